import { ParameterError } from "../errors.js";
import { type EstimatorSpec, type Json, throwIfAborted } from "../estimator.js";
import type { Features } from "../features.js";
import { defaultJobs, sharedPool, siblingModule, type WorkerPool } from "../parallel/pool.js";
import {
  type SharedFeatures,
  type SharedTarget,
  shareFeatures,
  shareTarget,
} from "../parallel/shared-data.js";
import type { Target } from "../target.js";
import { type FoldOutput, type FoldTask, runFold } from "./fold-task.js";

/** Where fits run: `nJobs` at a time on the worker pool, or in this thread for nJobs 1. */
export interface ParallelOptions {
  /** Fits at once: default the number of cores; 1 runs every fit in this thread. */
  readonly nJobs?: number;
  /** The worker pool (default: the process-wide one). */
  readonly pool?: WorkerPool;
}

/** A fold fit without its data (the runner adds the shared X and y). */
export type FoldJob = Omit<FoldTask, "X" | "y">;

const FOLD_MODULE = siblingModule(import.meta.url, "./fold-task");

/**
 * Runs fold fits over one dataset, in parallel on worker threads or serially, with identical
 * results either way (same specs, same rows; each fit is independent).
 *
 * Threads: when fits run in parallel, an estimator that parallelizes itself (a `nThreads`
 * param, e.g. tree ensembles) is given nThreads 1, so that nJobs fits use nJobs cores rather
 * than nJobs × nThreads threads fighting over them. With nJobs 1 the estimator keeps its own
 * nThreads, so one fit at a time still uses every core. Estimators must give the same model for
 * any nThreads (their contract), so the choice changes speed, not results.
 */
export class FoldRunner {
  readonly nJobs: number;
  private readonly pool?: WorkerPool;
  private shared?: { X: SharedFeatures; y: SharedTarget };

  constructor(
    private readonly X: Features,
    private readonly y: Target,
    options: ParallelOptions = {},
  ) {
    const n = options.nJobs ?? defaultJobs();
    if (!Number.isInteger(n) || n < 1) throw new ParameterError("nJobs", "an integer ≥ 1", n);
    this.nJobs = n;
    this.pool = options.pool;
  }

  /**
   * Runs every job (at most nJobs at once) and returns the outputs in job order; `onDone` sees each
   * finished job. The first failure (or an abort) cancels the others and rejects — unless
   * `settle` is set, then a failed job's slot holds its error instead.
   */
  async run(
    jobs: readonly FoldJob[],
    options: { signal?: AbortSignal; onDone?: (i: number) => void; settle?: boolean } = {},
  ): Promise<(FoldOutput | Error)[]> {
    const { signal, onDone } = options;
    throwIfAborted(signal);
    const out = new Array<FoldOutput | Error>(jobs.length);
    if (this.nJobs === 1) {
      for (let i = 0; i < jobs.length; i++) {
        throwIfAborted(signal);
        try {
          out[i] = await runFold({ ...jobs[i], X: this.X, y: this.y }, signal);
        } catch (e) {
          if (!options.settle || signal?.aborted) throw e;
          out[i] = asError(e);
        }
        onDone?.(i);
      }
      return out;
    }
    this.shared ??= { X: shareFeatures(this.X), y: shareTarget(this.y) };
    const data = this.shared;
    const pool = this.pool ?? sharedPool();
    const stop = new AbortController();
    const both = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    let next = 0;
    let failure: unknown;
    const lane = async (): Promise<void> => {
      while (next < jobs.length && failure === undefined) {
        const i = next++;
        const job = jobs[i];
        const task: FoldTask = {
          ...job,
          spec: singleThreaded(job.spec),
          X: data.X,
          y: data.y,
        };
        try {
          out[i] = await pool.run<FoldOutput>(FOLD_MODULE, "runFoldTask", task, { signal: both });
        } catch (e) {
          if (options.settle && !both.aborted) out[i] = asError(e);
          else {
            failure ??= signal?.aborted ? signal.reason : e;
            stop.abort(failure);
            return;
          }
        }
        onDone?.(i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.nJobs, jobs.length) }, lane));
    if (failure !== undefined) throw failure;
    return out;
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** The spec with `nThreads: 1` wherever an estimator (or a nested one) has that param. */
export function singleThreaded(spec: EstimatorSpec): EstimatorSpec {
  const params: Record<string, Json> = { ...spec.params };
  if ("nThreads" in params) params.nThreads = 1;
  if (!spec.children) return { ...spec, params };
  const children: Record<string, EstimatorSpec> = {};
  for (const [k, c] of Object.entries(spec.children)) children[k] = singleThreaded(c);
  return { ...spec, params, children };
}
