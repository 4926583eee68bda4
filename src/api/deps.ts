import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { JobQueue } from "../jobs/queue.js";
import type { DatasetRecord } from "../registry/datasets.js";
import type { Registry } from "../registry/registry.js";
import type { ModelCache } from "../serving/cache.js";

export interface ApiLimits {
  /** Largest JSON body (bytes). Default 10 MiB. */
  bodyLimit?: number;
  /** Largest uploaded file (bytes). Default 1 GiB. */
  uploadLimit?: number;
  /** Most rows in one JSON predict request. Default 10,000. */
  maxPredictRows?: number;
}

/** What the API needs from the composition root (`trainyard serve`, tests, benches). */
export interface AppDeps {
  /** The registry of the default workspace. */
  registry: Registry;
  queue: JobQueue;
  cache: ModelCache;
  /** Where uploaded datasets and batch-prediction inputs are written. */
  uploadDir: string;
  /** A pino logger, `true` for Fastify's own (pino, "info"), or `false`/absent for none. */
  logger?: FastifyBaseLogger | boolean;
  limits?: ApiLimits;
  /** Called after rows were appended to a dataset (the trigger evaluator hooks in here). */
  onAppend?: (dataset: DatasetRecord, added: number) => Promise<void> | void;
  /** Called when a dataset is marked ready (the "dataset ready" trigger hooks in here). */
  onReady?: (dataset: DatasetRecord) => Promise<void> | void;
  /** Whether the service is ready to take traffic (for `/readyz`; default: the database answers). */
  ready?: () => Promise<boolean>;
}

/** The limits with their defaults filled in. */
export function resolvedLimits(deps: AppDeps): Required<ApiLimits> {
  return {
    bodyLimit: deps.limits?.bodyLimit ?? 10 * 1024 * 1024,
    uploadLimit: deps.limits?.uploadLimit ?? 1024 * 1024 * 1024,
    maxPredictRows: deps.limits?.maxPredictRows ?? 10_000,
  };
}

/** A route plugin: `async (app, deps) => { app.get(…) }`, registered under `/v1` by buildApp. */
export type RoutePlugin = (app: FastifyInstance, deps: AppDeps) => Promise<void>;
