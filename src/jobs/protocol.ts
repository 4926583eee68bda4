import type { JsonObject } from "../ml/estimator.js";

/**
 * Messages between a job's attempt (the parent, which owns the database) and the worker thread
 * that trains. The thread's registry is a proxy: each store call travels as a "call" and comes
 * back as a "reply".
 */

/** What the thread is started with (workerData.jobAttempt). */
export interface AttemptThreadData {
  jobId: string;
  /** The training configuration, with the model's name, version and activation already decided. */
  config: JsonObject;
  /** Score the challenger against the active version (champion/challenger). */
  validate: boolean;
}

/** The store methods the thread may call; the parent runs them on the job's workspace. */
export type StoreMethod =
  | "runs.start"
  | "runs.finish"
  | "runs.record"
  | "models.addVersion"
  | "models.hasActive"
  | "artifacts.put"
  | "datasets.get"
  | "audit.record"
  | "champion";

/** Scores of the challenger and the champion on the same held-out rows. */
export interface ValidationScores {
  metric: string;
  challengerScore: number;
  /** Null when the model had no active version. */
  champion: { versionId: number; version: string; score: number | null; error: string | null } | null;
}

export type FromThread =
  | { type: "call"; id: number; method: StoreMethod; args: unknown[] }
  | { type: "progress"; stage: string; percent: number; message: string }
  | { type: "log"; level: string; message: string }
  | { type: "done"; summary: JsonObject; validation: ValidationScores | null }
  | { type: "error"; name: string; message: string; retryable: boolean }
  | { type: "aborted"; message: string };

export type ToThread =
  | { type: "reply"; id: number; value?: unknown; error?: { name: string; message: string } }
  | { type: "cancel"; reason: string };

/** The champion's model file, as the parent hands it to the thread. */
export interface ChampionBytes {
  versionId: number;
  version: string;
  bytes: Uint8Array;
}
