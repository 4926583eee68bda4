import { type Job, Queue, QueueEvents, Worker } from "bullmq";
import { type JobRecord, type NewJob, NotFoundError, type Registry } from "../registry/index.js";
import { publish } from "./events.js";
import { Listeners } from "./listeners.js";
import type { JobEvent, JobQueue } from "./queue.js";
import { Runner, type RunnerOptions } from "./runner.js";

/**
 * The Redis engine. The `training_job` row stays the truth (status, attempts, cancel); a BullMQ
 * job only carries `{ id, workspace }` to a `trainyard worker` and holds the lock that tells a
 * dead worker from a live one. Each time a row becomes QUEUED it gets one BullMQ job, whose id is
 * the job's id the first time and `<id>.<run-after ms>` for a retry, so adding it twice is harmless.
 */

export interface RedisOptions {
  /** redis://host:port/db */
  redisUrl: string;
  /** The BullMQ queue's name (default "trainyard-training"); producers and workers must agree. */
  queueName?: string;
}

interface Payload {
  id: string;
  workspace: string;
}

const DEFAULT_QUEUE = "trainyard-training";
// BullMQ runs lower numbers first and 0 before any; ours runs higher first.
const PRIORITY_ZERO = 1_000_000;
const PRIORITY_LIMIT = 2 ** 21 - 1;

/** Whether a component's Redis connection has come up once (then it retries forever). */
interface Link {
  up: boolean;
}

function connection(url: string, blocking: boolean, link: Link) {
  return {
    url,
    // Workers and event listeners block on Redis: they must wait for it rather than give up.
    ...(blocking ? { maxRetriesPerRequest: null } : {}),
    // Unreachable at start: give up after ~5 s (a clear error, and close() works); once up, keep trying.
    retryStrategy: (times: number) => (link.up ? Math.min(times * 200, 5000) : times > 20 ? null : 250),
  };
}

/** BullMQ refuses integer-looking ids and ids with ":" */
function bullSafe(id: string): string {
  return /^\d+$/.test(id) || id.includes(":") ? `job-${id.replaceAll(":", "_")}` : id;
}

/** The BullMQ job id for the row's current QUEUED state. */
export function bullJobId(job: JobRecord): string {
  return job.startedAt === null && job.attempts === 0
    ? bullSafe(job.id)
    : `${bullSafe(job.id)}.${job.runAfter.getTime()}`;
}

async function addBullJob(queue: Queue, job: JobRecord): Promise<void> {
  await queue.add("train", { id: job.id, workspace: job.workspace } satisfies Payload, {
    jobId: bullJobId(job),
    priority: Math.min(PRIORITY_LIMIT, Math.max(1, PRIORITY_ZERO - job.priority)),
    delay: Math.max(0, job.runAfter.getTime() - Date.now()),
    attempts: 1,
    removeOnComplete: true,
    removeOnFail: true,
  });
}

/** Redis must answer within `ms`; ioredis would otherwise keep retrying silently. */
async function reachable(url: string, ready: Promise<unknown>, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`cannot reach Redis at ${redacted(url)} within ${ms / 1000} s`)),
      ms,
    );
  });
  try {
    await Promise.race([ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for messages. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "the configured URL";
  }
}

function toEvent(data: unknown): JobEvent | null {
  if (data === null || typeof data !== "object") return null;
  const e = data as Record<string, unknown>;
  if (typeof e.type !== "string" || typeof e.jobId !== "string") return null;
  return { ...(e as unknown as JobEvent), at: new Date(typeof e.at === "string" ? e.at : Date.now()) };
}

export interface BullMQQueueOptions extends RedisOptions {
  /** Any workspace of the shared database (depth is read there). */
  registry: Registry;
}

/**
 * The server's side of the Redis engine: records jobs and hands them to `trainyard worker`
 * processes; relays their events (progress, logs, outcome) to subscribers.
 */
export class BullMQQueue implements JobQueue {
  readonly engine = "bullmq" as const;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly listeners = new Listeners();
  private readonly link: Link = { up: false };
  private closed = false;

  constructor(private readonly options: BullMQQueueOptions) {
    const name = options.queueName ?? DEFAULT_QUEUE;
    this.queue = new Queue(name, { connection: connection(options.redisUrl, false, this.link) });
    this.events = new QueueEvents(name, { connection: connection(options.redisUrl, true, this.link) });
    this.events.on("progress", ({ data }) => {
      const e = toEvent(data);
      if (e) this.listeners.emit(e);
    });
    // Connection trouble is retried by ioredis; an unhandled "error" would end the process.
    this.queue.on("error", () => undefined);
    this.events.on("error", () => undefined);
  }

  /** Resolves when Redis answers (a clear failure at start-up instead of at the first job). */
  async ready(): Promise<void> {
    await reachable(
      this.options.redisUrl,
      Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]),
    );
    this.link.up = true;
  }

  async enqueue(registry: Registry, job: NewJob): Promise<JobRecord> {
    if (this.closed) throw new Error("the job queue is closed");
    const record = await registry.jobs.create(job);
    try {
      await addBullJob(this.queue, record);
    } catch (e) {
      // Without its Redis job the row would wait for a worker's reconciliation; say so now.
      await registry.jobs.requestCancel(record.id).catch(() => undefined);
      throw e;
    }
    this.listeners.emit({ type: "queued", jobId: record.id, workspace: record.workspace, at: new Date() });
    return record;
  }

  async cancel(registry: Registry, id: string): Promise<JobRecord> {
    const record = await registry.jobs.requestCancel(id);
    if (record.status === "CANCELLED") {
      // The worker would skip it anyway; removing it keeps Redis tidy.
      await this.queue.remove(bullJobId(record)).catch(() => undefined);
      this.listeners.emit({ type: "cancelled", jobId: id, workspace: record.workspace, at: new Date() });
    }
    return record;
  }

  depth(): Promise<number> {
    return this.options.registry.jobs.depth();
  }

  subscribe(listener: (event: JobEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  /** The workers run the jobs; closing the producer only closes its connections. */
  async close(_options: { graceMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }
}

export interface JobWorkerOptions extends RunnerOptions, RedisOptions {
  /** BullMQ lock of a running job: a worker silent this long is presumed dead. Default 30 s. */
  lockDurationMs?: number;
  /** How often stalled (dead workers') jobs are looked for. Default 30 s. */
  stalledIntervalMs?: number;
  /** How often QUEUED rows are checked to have their Redis job (never lost). Default 30 s. */
  reconcileMs?: number;
}

/**
 * The consumer: what `trainyard worker` runs. Takes jobs from Redis, `concurrency` at a time,
 * and runs each attempt on a worker thread against the shared database and artifact store.
 * A job a dead worker held comes back (BullMQ's stalled check) and is retried here.
 */
export class JobWorker {
  private readonly listeners = new Listeners();
  private readonly runner: Runner;
  private readonly queue: Queue;
  private worker: Worker<Payload> | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private readonly name: string;
  private readonly link: Link = { up: false };

  constructor(private readonly options: JobWorkerOptions) {
    this.runner = new Runner("bullmq", options, this.listeners);
    this.name = options.queueName ?? DEFAULT_QUEUE;
    this.queue = new Queue(this.name, { connection: connection(options.redisUrl, false, this.link) });
    this.queue.on("error", () => undefined);
  }

  get id(): string {
    return this.runner.id;
  }

  /** Events of the jobs this worker runs (they also go to the producers through Redis). */
  subscribe(listener: (event: JobEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  async start(): Promise<void> {
    if (this.worker) return;
    await reachable(this.options.redisUrl, this.queue.waitUntilReady());
    this.link.up = true;
    await this.runner.register();
    await this.reconcile();
    const worker = new Worker<Payload>(this.name, (job) => this.process(job), {
      connection: connection(this.options.redisUrl, true, this.link),
      concurrency: this.runner.concurrency,
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      // Attempts are counted in the database; a stalled job always comes back to a worker.
      maxStalledCount: 1_000_000,
      autorun: false,
    });
    worker.on("error", () => undefined);
    this.worker = worker;
    void worker.run().catch(() => undefined);
    await worker.waitUntilReady();
    const every = this.options.reconcileMs ?? 30_000;
    this.reconcileTimer = setInterval(() => void this.reconcile().catch(() => undefined), every);
  }

  /**
   * Stops taking jobs; running ones get `graceMs` (default 30 s) to finish, then are interrupted
   * and re-queued (a new Redis job) for another worker.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.reconcileTimer = null;
    const worker = this.worker;
    if (worker) void worker.pause(true).catch(() => undefined);
    await this.runner.drain(options.graceMs ?? 30_000);
    if (worker) await worker.close().catch(() => undefined);
    await this.runner.stop();
    await this.queue.close().catch(() => undefined);
  }

  private async process(bull: Job<Payload>): Promise<string> {
    const { id, workspace } = bull.data;
    const r = await this.runner.inWorkspace(workspace);
    let row: JobRecord;
    try {
      row = await r.jobs.get(id);
    } catch (e) {
      if (e instanceof NotFoundError) return "gone";
      throw e;
    }
    if (row.status === "QUEUED" && row.runAfter.getTime() > Date.now() + 1000) return "early";
    if (row.status === "RUNNING" && row.workerId !== this.runner.id) {
      // A worker died holding it (BullMQ found the job stalled): take over once it is silent.
      if (!(await this.takeOver(r, row))) return "held";
    }
    const job = await r.jobs.claim(id, this.runner.id);
    if (!job) return "skipped";
    // Events reach the producers as BullMQ progress; all are sent before the job is completed
    // (and removed), or the last ones would be lost.
    const sending = new Set<Promise<unknown>>();
    const relay = this.listeners.add((e) => {
      if (e.jobId !== id) return;
      const p = bull.updateProgress({ ...e, at: e.at.toISOString() }).catch(() => undefined);
      sending.add(p);
      void p.finally(() => sending.delete(p));
    });
    try {
      const outcome = await this.runner.execute(job);
      if (outcome === "QUEUED") await addBullJob(this.queue, await r.jobs.get(id));
      return outcome;
    } finally {
      relay();
      await Promise.allSettled([...sending]);
    }
  }

  /** Waits until the holder of a RUNNING job stops beating, then ends its attempt; false if it lives. */
  private async takeOver(r: Registry, row: JobRecord): Promise<boolean> {
    const limit = Date.now() + this.runner.staleMs * 2 + this.runner.execution.heartbeatMs;
    for (let cur = row; Date.now() < limit; ) {
      if (cur.status !== "RUNNING") return cur.status === "QUEUED";
      const staleBefore = new Date(Date.now() - this.runner.staleMs);
      if (cur.heartbeatAt === null || cur.heartbeatAt < staleBefore) {
        const status = await r.jobs.recover(
          cur.id,
          `worker ${cur.workerId ?? "?"} stopped responding during attempt ${cur.attempts}`,
          staleBefore,
        );
        if (status) {
          await r.jobs.log(
            cur.id,
            "warn",
            `worker ${cur.workerId ?? "?"} stopped responding; job ${status}`,
            cur.attempts,
          );
          if (status === "FAILED") await this.failed(r, cur);
        }
        return status === "QUEUED";
      }
      await new Promise((res) => setTimeout(res, this.runner.execution.heartbeatMs));
      cur = await r.jobs.get(cur.id);
    }
    return false;
  }

  private async failed(r: Registry, job: JobRecord): Promise<void> {
    await r.jobs.supersedeRuns(job.id, `attempt ${job.attempts} was interrupted`);
    this.listeners.emit({ type: "failed", jobId: job.id, workspace: job.workspace, at: new Date() });
    await publish(r, "job.failed", {
      jobId: job.id,
      model: job.modelName,
      error: "the worker stopped responding and no attempts remain",
      attempts: job.attempts,
    });
  }

  /**
   * The safety net: jobs of dead workers whose Redis job is gone too are recovered, and every
   * QUEUED row gets its Redis job (adding an existing one does nothing).
   */
  private async reconcile(): Promise<void> {
    // Twice the staleness: BullMQ's stalled check normally acts first.
    await this.runner.recoverStale(this.runner.staleMs * 2);
    for (const job of await this.runner.registry.jobs.queued()) {
      if (!(await this.queue.getJob(bullJobId(job)))) await addBullJob(this.queue, job);
    }
  }
}
