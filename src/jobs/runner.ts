import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { JobRecord, Registry } from "../registry/index.js";
import {
  Attempt,
  type AttemptOutcome,
  type ExecutionOptions,
  type ResolvedExecution,
  resolveExecution,
} from "./attempt.js";
import { publish } from "./events.js";
import type { Listeners } from "./listeners.js";

export interface RunnerOptions extends ExecutionOptions {
  /** Any workspace of the database; jobs run in their own workspace. */
  registry: Registry;
  /** Jobs run at once (each on its own thread). Default 1. */
  concurrency?: number;
  /** A RUNNING job whose heartbeat is older than this is taken for dead. Default 30 s. */
  staleMs?: number;
  /** This worker's id in the `worker` table (default a random one). */
  workerId?: string;
}

/**
 * What both engines share: the attempts running in this process, the worker's row and its
 * heartbeat, recovery of jobs whose worker died, and a graceful stop.
 */
export class Runner {
  readonly id: string;
  readonly concurrency: number;
  readonly staleMs: number;
  readonly execution: ResolvedExecution;
  readonly running = new Map<string, Attempt>();
  /** Attempts started (counted before their thread exists, so a claim loop cannot overshoot). */
  busy = 0;
  private readonly workspaces = new Map<string, Promise<Registry>>();
  private beatTimer: NodeJS.Timeout | null = null;
  closing = false;

  constructor(
    readonly engine: "embedded" | "bullmq",
    readonly options: RunnerOptions,
    private readonly listeners: Listeners,
  ) {
    this.id = options.workerId ?? `${engine}-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1)
      throw new RangeError(`concurrency must be an integer ≥ 1, got ${options.concurrency}`);
    this.staleMs = options.staleMs ?? 30_000;
    this.execution = resolveExecution(options);
  }

  get registry(): Registry {
    return this.options.registry;
  }

  /** The registry of a job's workspace (one per workspace, reused). */
  inWorkspace(workspace: string): Promise<Registry> {
    if (workspace === this.registry.workspace) return Promise.resolve(this.registry);
    let r = this.workspaces.get(workspace);
    if (!r) {
      r = this.registry.inWorkspace(workspace);
      this.workspaces.set(workspace, r);
      r.catch(() => this.workspaces.delete(workspace));
    }
    return r;
  }

  async register(): Promise<void> {
    await this.registry.workers.register({
      id: this.id,
      engine: this.engine,
      host: hostname(),
      pid: process.pid,
      concurrency: this.concurrency,
    });
    this.beatTimer = setInterval(() => {
      void this.registry.workers
        .heartbeat(this.id, [...this.running.keys()], this.closing ? "stopping" : "running")
        .catch(() => undefined);
    }, this.execution.heartbeatMs);
    this.beatTimer.unref();
  }

  /** Runs one attempt of a job this worker claimed; resolves with where the job stands after it. */
  async execute(job: JobRecord): Promise<AttemptOutcome> {
    this.busy++;
    try {
      const r = await this.inWorkspace(job.workspace);
      const attempt = new Attempt(job, r, this.execution, (e) => this.listeners.emit(e));
      this.running.set(job.id, attempt);
      try {
        return await attempt.done;
      } finally {
        this.running.delete(job.id);
      }
    } finally {
      this.busy--;
    }
  }

  /**
   * Ends the attempts of RUNNING jobs that no live worker beats for (a crashed process):
   * re-queued while attempts remain, else FAILED. `workerId` also takes this worker's own
   * leftovers from before a restart whatever their age. Returns the jobs it changed.
   */
  async recoverStale(olderThanMs = this.staleMs): Promise<{ job: JobRecord; status: string }[]> {
    const before = new Date(Date.now() - olderThanMs);
    const found = await this.registry.jobs.stale(before);
    if (this.options.workerId) {
      for (const j of await this.registry.jobs.stale(new Date(), this.options.workerId))
        if (!found.some((f) => f.id === j.id)) found.push(j);
    }
    const changed: { job: JobRecord; status: string }[] = [];
    for (const job of found) {
      if (this.running.has(job.id)) continue;
      const r = await this.inWorkspace(job.workspace);
      const mine = job.workerId === this.id || job.workerId === this.options.workerId;
      const status = await r.jobs.recover(
        job.id,
        `worker ${job.workerId ?? "?"} stopped responding during attempt ${job.attempts}`,
        mine ? undefined : before,
      );
      if (!status) continue;
      await r.jobs.log(
        job.id,
        "warn",
        `worker ${job.workerId ?? "?"} stopped responding; job ${status}`,
        job.attempts,
      );
      this.listeners.emit({
        type: status === "QUEUED" ? "queued" : status === "FAILED" ? "failed" : "cancelled",
        jobId: job.id,
        workspace: job.workspace,
        message: `worker ${job.workerId ?? "?"} stopped responding`,
        at: new Date(),
      });
      if (status === "FAILED") {
        await r.jobs.supersedeRuns(job.id, `attempt ${job.attempts} was interrupted`);
        await publish(r, "job.failed", {
          jobId: job.id,
          model: job.modelName,
          error: "the worker stopped responding and no attempts remain",
          attempts: job.attempts,
        });
      }
      changed.push({ job, status });
    }
    return changed;
  }

  /**
   * Lets running attempts finish for `graceMs`, then interrupts them (they are re-queued).
   * Counts attempts still starting too, so a job claimed while closing is not left behind.
   */
  async drain(graceMs: number): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + graceMs;
    while (this.busy > 0) {
      const late = Date.now() >= deadline;
      if (late) for (const a of this.running.values()) a.interrupt();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running.values()].map((a) => a.done)),
        new Promise((r) => {
          timer = setTimeout(r, late ? 50 : Math.min(100, Math.max(1, deadline - Date.now())));
        }),
      ]);
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    if (this.beatTimer) clearInterval(this.beatTimer);
    this.beatTimer = null;
    await this.registry.workers.stopped(this.id).catch(() => undefined);
  }
}
