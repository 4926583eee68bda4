import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { deserializeError, type SerializedError } from "./errors.js";
import type { TaskMessage } from "./worker.js";

/**
 * A small pool of worker threads that run module functions: `pool.run(moduleUrl, "fn", args)`
 * imports `moduleUrl` in a worker and resolves with `await fn(args)`. Arguments travel by
 * structured clone, so pass typed arrays in SharedArrayBuffers (see `toShared`) for data that
 * every task reads. Workers start lazily, run one task at a time, and do not keep the process
 * alive while idle. Aborting a running task terminates its worker (a fresh one replaces it),
 * so cancellation is immediate even inside a long synchronous loop.
 *
 * Works from the TypeScript sources (tsx, vitest: the worker registers tsx first) and from dist.
 */
export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly transfer?: readonly ArrayBuffer[];
}

interface Job {
  readonly message: TaskMessage;
  readonly transfer: readonly ArrayBuffer[];
  readonly signal?: AbortSignal;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  onAbort?: () => void;
}

interface Slot {
  readonly worker: Worker;
  job?: Job;
}

const EXT = extname(fileURLToPath(import.meta.url));

/** The URL of a module next to `base` (an `import.meta.url`), with the extension this build runs from (.ts or .js). */
export function siblingModule(base: string, relative: string): string {
  return new URL(`${relative}${EXT}`, base).href;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number = defaultJobs()) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`WorkerPool size must be an integer ≥ 1, got ${size}`);
  }

  run<T>(module: string, fn: string, args: unknown, options: RunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error("WorkerPool is closed"));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        message: { id: this.nextId++, module, fn, args },
        transfer: options.transfer ?? [],
        signal,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      if (signal) {
        job.onAbort = () => this.abort(job);
        signal.addEventListener("abort", job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Terminates every worker; pending tasks reject. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new Error("WorkerPool closed"), false);
    await Promise.all(
      this.slots.splice(0).map((s) => {
        if (s.job) this.settle(s.job, new Error("WorkerPool closed"), false);
        return s.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === undefined);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift() as Job;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage(job.message, [...job.transfer]);
    }
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker };
    this.slots.push(slot);
    worker.on("message", (m: { id: number; ok: boolean; value?: unknown; error?: SerializedError }) => {
      const job = slot.job;
      if (!job || job.message.id !== m.id) return;
      slot.job = undefined;
      worker.unref();
      if (m.ok) this.settle(job, m.value, true);
      else this.settle(job, deserializeError(m.error as SerializedError), false);
      this.dispatch();
    });
    const fail = (e: Error) => {
      this.remove(slot);
      if (slot.job) this.settle(slot.job, e, false);
      this.dispatch();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (this.slots.includes(slot)) fail(new Error(`worker thread exited with code ${code}`));
    });
    worker.unref();
    return slot;
  }

  private abort(job: Job): void {
    const reason = job.signal?.reason ?? new Error("aborted");
    const q = this.queue.indexOf(job);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.settle(job, reason, false);
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return;
    this.remove(slot);
    slot.job = undefined;
    void slot.worker.terminate();
    this.settle(job, reason, false);
    this.dispatch();
  }

  private remove(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private settle(job: Job, value: unknown, ok: boolean): void {
    if (job.onAbort) job.signal?.removeEventListener("abort", job.onAbort);
    if (ok) job.resolve(value);
    else job.reject(value);
  }
}

/** Both cores (all of them, on a bigger machine). */
export function defaultJobs(): number {
  return availableParallelism();
}

let shared: WorkerPool | undefined;

/** The process-wide pool (one worker per core), created on first use. */
export function sharedPool(): WorkerPool {
  shared ??= new WorkerPool(defaultJobs());
  return shared;
}

function startWorker(): Worker {
  const entry = new URL(`./worker${EXT}`, import.meta.url);
  if (EXT !== ".ts") return new Worker(entry);
  // From the sources: register tsx in the worker before importing TypeScript.
  const code = `import(${JSON.stringify(tsxApi())}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true });
}

let tsxApiUrl: string | undefined;

function tsxApi(): string {
  if (tsxApiUrl) return tsxApiUrl;
  const pkg = createRequire(import.meta.url).resolve("tsx/package.json");
  const exports = JSON.parse(readFileSync(pkg, "utf8")).exports["./esm/api"];
  tsxApiUrl = pathToFileURL(join(dirname(pkg), exports.import.default)).href;
  return tsxApiUrl;
}
