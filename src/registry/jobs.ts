import { randomUUID } from "node:crypto";
import { type ExpressionBuilder, type Selectable, sql } from "kysely";
import type { JsonObject } from "../ml/estimator.js";
import type { Db } from "./database.js";
import { ConflictError, NotFoundError } from "./errors.js";
import { type JobStatus, json, type Tables, type TrainingJobTable } from "./tables.js";

export type { JobStatus };

/** A background training job: its configuration, state, progress and outcome. */
export interface JobRecord {
  id: string;
  workspace: string;
  /** "train" (asked for), "retrain" (a schedule or trigger). */
  kind: string;
  status: JobStatus;
  /** Higher runs first. */
  priority: number;
  config: JsonObject;
  modelName: string | null;
  datasetId: number | null;
  /** Who asked: `{ type: "api" }`, `{ type: "schedule", id }`, `{ type: "trigger", id }`… */
  origin: JsonObject;
  /** 0–100. */
  progress: number;
  stage: string | null;
  message: string | null;
  attempts: number;
  maxAttempts: number;
  timeoutSeconds: number | null;
  cancelRequested: boolean;
  workerId: string | null;
  heartbeatAt: Date | null;
  /** Not before this time (retry backoff). */
  runAfter: Date;
  result: JsonObject | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewJob {
  config: JsonObject;
  kind?: string;
  priority?: number;
  modelName?: string | null;
  datasetId?: number | null;
  origin?: JsonObject;
  /** Default 3. */
  maxAttempts?: number;
  timeoutSeconds?: number | null;
  /** A caller-chosen id (default a random UUID). */
  id?: string;
}

export interface JobListOptions {
  status?: JobStatus | JobStatus[];
  modelName?: string;
  kind?: string;
  /** Newest first; default 50, at most 500. */
  limit?: number;
  offset?: number;
}

export interface JobLogEntry {
  id: number;
  attempt: number;
  level: string;
  message: string;
  at: Date;
}

export const JOB_STATUSES: readonly JobStatus[] = ["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"];
const FINAL: readonly JobStatus[] = ["COMPLETED", "FAILED", "CANCELLED"];

function toRecord(r: Selectable<TrainingJobTable>): JobRecord {
  const date = (d: Date | string | null) => (d === null ? null : new Date(d));
  return {
    id: r.id,
    workspace: r.workspace,
    kind: r.kind,
    status: r.status,
    priority: r.priority,
    config: r.config,
    modelName: r.model_name,
    datasetId: r.dataset_id,
    origin: r.origin,
    progress: r.progress,
    stage: r.stage,
    message: r.message,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    timeoutSeconds: r.timeout_seconds,
    cancelRequested: r.cancel_requested,
    workerId: r.worker_id,
    heartbeatAt: date(r.heartbeat_at),
    runAfter: new Date(r.run_after),
    result: r.result,
    error: r.error,
    createdAt: new Date(r.created_at),
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
  };
}

/** The columns a claim sets: RUNNING on `workerId`, one more attempt, progress from zero. */
function runningFor(eb: ExpressionBuilder<Tables, "training_job">, workerId: string) {
  return {
    status: "RUNNING" as const,
    attempts: eb("attempts", "+", 1),
    worker_id: workerId,
    started_at: new Date(),
    heartbeat_at: new Date(),
    progress: 0,
    stage: null,
    message: null,
  };
}

/**
 * Training jobs and their logs. Every state change is one conditional UPDATE, so two processes
 * racing on a job (two workers, a worker and a cancel) cannot both win.
 */
export class JobStore {
  constructor(
    private readonly db: Db,
    readonly workspace: string,
  ) {}

  async create(job: NewJob): Promise<JobRecord> {
    const row = await this.db
      .insertInto("training_job")
      .values({
        id: job.id ?? randomUUID(),
        workspace: this.workspace,
        kind: job.kind ?? "train",
        status: "QUEUED",
        priority: job.priority ?? 0,
        config: json(job.config),
        model_name: job.modelName ?? null,
        dataset_id: job.datasetId ?? null,
        origin: json(job.origin ?? { type: "api" }),
        max_attempts: job.maxAttempts ?? 3,
        timeout_seconds: job.timeoutSeconds ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async get(id: string): Promise<JobRecord> {
    const row = await this.db
      .selectFrom("training_job")
      .selectAll()
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .executeTakeFirst();
    if (!row) throw new NotFoundError("job", id);
    return toRecord(row);
  }

  async list(options: JobListOptions = {}): Promise<JobRecord[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    let q = this.db.selectFrom("training_job").selectAll().where("workspace", "=", this.workspace);
    const statuses = options.status === undefined ? [] : [options.status].flat();
    if (statuses.length > 0) q = q.where("status", "in", statuses);
    if (options.modelName) q = q.where("model_name", "=", options.modelName);
    if (options.kind) q = q.where("kind", "=", options.kind);
    const rows = await q
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toRecord);
  }

  /** Jobs by status in this workspace (every status present, zero when none). */
  async countByStatus(): Promise<Record<JobStatus, number>> {
    const rows = await this.db
      .selectFrom("training_job")
      .select(["status", (eb) => eb.fn.countAll<string>().as("n")])
      .where("workspace", "=", this.workspace)
      .groupBy("status")
      .execute();
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  /**
   * Takes the next due QUEUED job (highest priority, then oldest) of any workspace for a worker:
   * RUNNING, one more attempt. Null when none is due. `skip locked` lets workers claim in parallel.
   */
  async claimNext(workerId: string): Promise<JobRecord | null> {
    const row = await this.db
      .updateTable("training_job")
      .set((eb) => ({ ...runningFor(eb, workerId), cancel_requested: false }))
      .where(
        "id",
        "=",
        this.db
          .selectFrom("training_job")
          .select("id")
          .where("status", "=", "QUEUED")
          .where("run_after", "<=", sql<Date>`now()`)
          .orderBy("priority", "desc")
          .orderBy("created_at", "asc")
          .orderBy("id", "asc")
          .limit(1)
          .forUpdate()
          .skipLocked(),
      )
      .where("status", "=", "QUEUED")
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /**
   * Marks a given QUEUED job RUNNING for a worker (the BullMQ engine, where Redis chose the job).
   * Null when the job is not QUEUED any more (cancelled, or taken).
   */
  async claim(id: string, workerId: string): Promise<JobRecord | null> {
    const row = await this.db
      .updateTable("training_job")
      .set((eb) => runningFor(eb, workerId))
      .where("id", "=", id)
      .where("status", "=", "QUEUED")
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Progress of a RUNNING job; also a heartbeat. Returns whether a cancel was asked for. */
  async progress(
    id: string,
    p: { percent?: number; stage?: string | null; message?: string | null },
  ): Promise<{ cancelRequested: boolean }> {
    const row = await this.db
      .updateTable("training_job")
      .set({
        heartbeat_at: new Date(),
        ...(p.percent !== undefined ? { progress: Math.max(0, Math.min(100, p.percent)) } : {}),
        ...(p.stage !== undefined ? { stage: p.stage } : {}),
        ...(p.message !== undefined ? { message: p.message } : {}),
      })
      .where("id", "=", id)
      .where("status", "=", "RUNNING")
      .returning("cancel_requested")
      .executeTakeFirst();
    return { cancelRequested: row?.cancel_requested ?? true };
  }

  /** Ends a RUNNING job; false when it was not RUNNING (someone else ended or re-queued it). */
  async finish(
    id: string,
    status: "COMPLETED" | "FAILED" | "CANCELLED",
    outcome: { result?: JsonObject | null; error?: string | null } = {},
  ): Promise<boolean> {
    const r = await this.db
      .updateTable("training_job")
      .set({
        status,
        ...(status === "COMPLETED" ? { progress: 100, stage: "done", message: null } : {}),
        result: outcome.result === undefined || outcome.result === null ? null : json(outcome.result),
        error: outcome.error ?? null,
        finished_at: new Date(),
        heartbeat_at: new Date(),
      })
      .where("id", "=", id)
      .where("status", "=", "RUNNING")
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /**
   * A failed or interrupted attempt: back to QUEUED after `delayMs` while attempts remain, else
   * FAILED. Returns the new status, or null when the job was not RUNNING.
   */
  async retryOrFail(id: string, error: string, delayMs: number): Promise<JobStatus | null> {
    const row = await this.db
      .updateTable("training_job")
      .set((eb) => ({
        status: eb
          .case()
          .when("attempts", "<", eb.ref("max_attempts"))
          .then(sql<JobStatus>`'QUEUED'`)
          .else(sql<JobStatus>`'FAILED'`)
          .end(),
        run_after: new Date(Date.now() + delayMs),
        error,
        worker_id: null,
        finished_at: eb
          .case()
          .when("attempts", "<", eb.ref("max_attempts"))
          .then(null)
          .else(sql<Date>`now()`)
          .end(),
      }))
      .where("id", "=", id)
      .where("status", "=", "RUNNING")
      .where("cancel_requested", "=", false)
      .returning("status")
      .executeTakeFirst();
    return (row?.status as JobStatus | undefined) ?? null;
  }

  /**
   * Puts back a RUNNING job whose attempt was interrupted through no fault of its own (a
   * graceful shutdown): QUEUED again without using up an attempt, or CANCELLED when a cancel was
   * asked for. Returns the new status, or null when the job was not RUNNING.
   */
  async requeue(id: string, error: string): Promise<JobStatus | null> {
    const row = await this.db
      .updateTable("training_job")
      .set((eb) => ({
        status: eb
          .case()
          .when("cancel_requested", "=", true)
          .then(sql<JobStatus>`'CANCELLED'`)
          .else(sql<JobStatus>`'QUEUED'`)
          .end(),
        attempts: eb
          .case()
          .when("cancel_requested", "=", true)
          .then(eb.ref("attempts"))
          .else(sql<number>`greatest(attempts - 1, 0)`)
          .end(),
        run_after: new Date(),
        error,
        worker_id: null,
        finished_at: eb.case().when("cancel_requested", "=", true).then(sql<Date>`now()`).else(null).end(),
      }))
      .where("id", "=", id)
      .where("status", "=", "RUNNING")
      .returning("status")
      .executeTakeFirst();
    return (row?.status as JobStatus | undefined) ?? null;
  }

  /**
   * Ends the attempt of a RUNNING job whose worker died (no heartbeat since `staleBefore`, when
   * given): CANCELLED when a cancel was asked for, else QUEUED while attempts remain, else
   * FAILED. Returns the new status, or null when the job was not (stale and) RUNNING.
   */
  async recover(id: string, error: string, staleBefore?: Date): Promise<JobStatus | null> {
    let q = this.db
      .updateTable("training_job")
      .set((eb) => ({
        status: eb
          .case()
          .when("cancel_requested", "=", true)
          .then(sql<JobStatus>`'CANCELLED'`)
          .when("attempts", "<", eb.ref("max_attempts"))
          .then(sql<JobStatus>`'QUEUED'`)
          .else(sql<JobStatus>`'FAILED'`)
          .end(),
        run_after: new Date(),
        error,
        worker_id: null,
        finished_at: eb
          .case()
          .when(eb.and([eb("cancel_requested", "=", false), eb("attempts", "<", eb.ref("max_attempts"))]))
          .then(null)
          .else(sql<Date>`now()`)
          .end(),
      }))
      .where("id", "=", id)
      .where("status", "=", "RUNNING");
    if (staleBefore) q = q.where("heartbeat_at", "<", staleBefore);
    const row = await q.returning("status").executeTakeFirst();
    return (row?.status as JobStatus | undefined) ?? null;
  }

  /**
   * Marks the runs an earlier, interrupted attempt of the job left RUNNING or COMPLETED as
   * CANCELLED with `reason`, so that one attempt's runs are the job's only COMPLETED ones.
   * Returns how many runs it marked.
   */
  async supersedeRuns(jobId: string, reason: string): Promise<number> {
    const r = await this.db
      .updateTable("training_run")
      .set({ status: "CANCELLED", error: reason, finished_at: new Date() })
      .where("job_id", "=", jobId)
      .where("workspace", "=", this.workspace)
      .where("status", "in", ["RUNNING", "COMPLETED"])
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** QUEUED jobs of every workspace, oldest first (the BullMQ engine checks each has its Redis job). */
  async queued(limit = 1000): Promise<JobRecord[]> {
    const rows = await this.db
      .selectFrom("training_job")
      .selectAll()
      .where("status", "=", "QUEUED")
      .orderBy("created_at")
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  /**
   * Asks to cancel: a QUEUED job is CANCELLED at once; a RUNNING one is flagged and its worker
   * stops it. A finished job cannot be cancelled (ConflictError).
   */
  async requestCancel(id: string): Promise<JobRecord> {
    const queued = await this.db
      .updateTable("training_job")
      .set({ status: "CANCELLED", cancel_requested: true, finished_at: new Date() })
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .where("status", "=", "QUEUED")
      .returningAll()
      .executeTakeFirst();
    if (queued) return toRecord(queued);
    const running = await this.db
      .updateTable("training_job")
      .set({ cancel_requested: true })
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .where("status", "=", "RUNNING")
      .returningAll()
      .executeTakeFirst();
    if (running) return toRecord(running);
    const job = await this.get(id);
    throw new ConflictError(`job ${id} is ${job.status}; only a QUEUED or RUNNING job can be cancelled`);
  }

  /**
   * RUNNING jobs whose worker stopped beating before `staleBefore` (a crashed process), of any
   * workspace. `workerId` limits it to one worker's jobs (a restart of that worker).
   */
  async stale(staleBefore: Date, workerId?: string): Promise<JobRecord[]> {
    let q = this.db
      .selectFrom("training_job")
      .selectAll()
      .where("status", "=", "RUNNING")
      .where("heartbeat_at", "<", staleBefore);
    if (workerId) q = q.where("worker_id", "=", workerId);
    return (await q.execute()).map(toRecord);
  }

  /** Pending work of every workspace: QUEUED jobs. */
  async depth(): Promise<number> {
    const row = await this.db
      .selectFrom("training_job")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("status", "=", "QUEUED")
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async log(id: string, level: string, message: string, attempt = 0): Promise<void> {
    await this.db.insertInto("job_log").values({ job_id: id, level, message, attempt }).execute();
  }

  /** Log lines after `afterId` (for polling and live streams), oldest first. */
  async logs(id: string, afterId = 0, limit = 1000): Promise<JobLogEntry[]> {
    await this.get(id);
    const rows = await this.db
      .selectFrom("job_log")
      .selectAll()
      .where("job_id", "=", id)
      .where("id", ">", afterId)
      .orderBy("id")
      .limit(Math.min(Math.max(limit, 1), 10_000))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      attempt: r.attempt,
      level: r.level,
      message: r.message,
      at: new Date(r.at),
    }));
  }

  /** Whether the job has ended (COMPLETED, FAILED or CANCELLED). */
  static isFinal(status: JobStatus): boolean {
    return FINAL.includes(status);
  }
}
