import type { JobRecord, NewJob, Registry } from "../registry/index.js";
import { Listeners } from "./listeners.js";
import type { JobEvent, JobQueue } from "./queue.js";
import { Runner, type RunnerOptions } from "./runner.js";

export interface EmbeddedQueueOptions extends RunnerOptions {
  /** How often the database is looked at for due jobs besides the wake-ups on enqueue. Default 1000 ms. */
  pollMs?: number;
}

/**
 * The in-process engine: jobs are rows in the database, claimed by this process and trained on
 * worker threads, `concurrency` at a time, highest priority first. Jobs enqueued by another
 * process sharing the database are picked up by polling. Start with `await queue.start()`.
 */
export class EmbeddedQueue implements JobQueue {
  readonly engine = "embedded" as const;
  private readonly listeners = new Listeners();
  private readonly runner: Runner;
  private readonly pollMs: number;
  private pollTimer: NodeJS.Timeout | null = null;
  private pumping = false;
  private again = false;
  private started = false;
  private lastSweep = 0;

  constructor(options: EmbeddedQueueOptions) {
    this.runner = new Runner("embedded", options, this.listeners);
    this.pollMs = options.pollMs ?? 1000;
  }

  /** This process's worker id (its row in the `worker` table). */
  get workerId(): string {
    return this.runner.id;
  }

  /**
   * Registers the worker, takes back jobs a previous process left RUNNING (re-queued, or FAILED
   * when out of attempts) and starts taking work.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.runner.register();
    await this.runner.recoverStale();
    this.lastSweep = Date.now();
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.wake();
  }

  async enqueue(registry: Registry, job: NewJob): Promise<JobRecord> {
    if (this.runner.closing) throw new Error("the job queue is shutting down");
    const record = await registry.jobs.create(job);
    this.listeners.emit({ type: "queued", jobId: record.id, workspace: record.workspace, at: new Date() });
    this.wake();
    return record;
  }

  async cancel(registry: Registry, id: string): Promise<JobRecord> {
    const record = await registry.jobs.requestCancel(id);
    if (record.status === "CANCELLED") {
      this.listeners.emit({ type: "cancelled", jobId: id, workspace: record.workspace, at: new Date() });
    } else this.runner.running.get(id)?.cancel();
    return record;
  }

  depth(): Promise<number> {
    return this.runner.registry.jobs.depth();
  }

  subscribe(listener: (event: JobEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Stops taking work; running jobs get `graceMs` (default 30 s) to finish, then are re-queued. */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    this.runner.closing = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    await this.runner.drain(options.graceMs ?? 30_000);
    if (this.started) await this.runner.stop();
  }

  /** Claims due jobs while there is room; one pass at a time, repeated when woken meanwhile. */
  private wake(): void {
    if (!this.started || this.runner.closing) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    try {
      if (Date.now() - this.lastSweep >= this.runner.staleMs / 2) {
        this.lastSweep = Date.now();
        await this.runner.recoverStale();
      }
      while (!this.runner.closing && this.runner.busy < this.runner.concurrency) {
        const job = await this.runner.registry.jobs.claimNext(this.runner.id);
        if (!job) break;
        void this.runner.execute(job).finally(() => this.wake());
      }
    } catch {
      // The database is unreachable for now; the next poll tries again.
    }
  }
}
