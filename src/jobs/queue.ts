import type { JobRecord, NewJob, Registry } from "../registry/index.js";

/** What happened to a job, as seen by this process (for live streams). */
export interface JobEvent {
  type: "queued" | "started" | "progress" | "log" | "completed" | "failed" | "cancelled" | "retrying";
  jobId: string;
  workspace: string;
  /** Progress 0–100, stage and message for "progress"; the line for "log". */
  percent?: number;
  stage?: string | null;
  message?: string | null;
  /** The level of a "log" line (info, warn, error). */
  level?: string;
  at: Date;
}

/**
 * The producer side of the job queue, the same for both engines: the API enqueues and cancels
 * here; job state lives in the registry's `training_job` rows (read them with `registry.jobs`).
 * - embedded: jobs run on worker threads in this process;
 * - bullmq: jobs go to Redis and `trainyard worker` processes run them.
 */
export interface JobQueue {
  readonly engine: "embedded" | "bullmq";
  /** Records the job as QUEUED in the registry's workspace and hands it to the engine. */
  enqueue(registry: Registry, job: NewJob): Promise<JobRecord>;
  /** Cancels a QUEUED job at once; asks a RUNNING one to stop (hard stop after a grace period). */
  cancel(registry: Registry, id: string): Promise<JobRecord>;
  /** Jobs waiting to run, all workspaces. */
  depth(): Promise<number>;
  /** Live events of jobs (this process's, and the engine's workers' where it can relay them). */
  subscribe(listener: (event: JobEvent) => void): () => void;
  /** Stops taking work; running jobs get `graceMs` to finish, then are re-queued. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Champion/challenger policy of a retraining job, carried in the job's `origin.promotion`: the
 * retrained model (challenger) is scored against the active version (champion) on the same
 * held-out rows with the model's target metric, and activated only when `auto` is true and it
 * wins by at least `margin` (in the metric's units, better-is-higher after the scorer's sign).
 */
export interface PromotionPolicy {
  auto: boolean;
  margin: number;
}

/** Who asked for a job; stored in `training_job.origin`. */
export interface JobOrigin {
  type: "api" | "cli" | "schedule" | "trigger";
  id?: number | string;
  promotion?: PromotionPolicy;
}
