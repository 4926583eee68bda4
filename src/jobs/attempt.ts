import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { JsonObject } from "../ml/estimator.js";
import { type JobRecord, type JobStatus, NotFoundError, type Registry } from "../registry/index.js";
import { parseTrainingConfig } from "../training/config.js";
import { ConfigError } from "../training/errors.js";
import { defaultModelName, timestampVersion } from "../training/trainer.js";
import { applyDecision, promotionOf } from "./champion.js";
import { publish } from "./events.js";
import type { AttemptThreadData, ChampionBytes, FromThread, StoreMethod, ToThread } from "./protocol.js";
import type { JobEvent } from "./queue.js";

/** How attempts run: heartbeats, progress writes, cancel grace, retry backoff. */
export interface ExecutionOptions {
  /** Job (and worker) heartbeat, also how often a cancel asked from elsewhere is noticed. Default 2000 ms. */
  heartbeatMs?: number;
  /** At most one progress write per this many ms. Default 500 ms. */
  progressMs?: number;
  /** After a cancel or timeout, how long the thread may take to stop before it is terminated (0: at once). Default 10 s. */
  cancelGraceMs?: number;
  /** Retry delay after attempt n: baseMs · factor^(n−1), at most maxMs. Default 1 s, ×4, 5 min. */
  backoff?: { baseMs?: number; factor?: number; maxMs?: number };
}

export type ResolvedExecution = Required<Omit<ExecutionOptions, "backoff">> & {
  backoff: { baseMs: number; factor: number; maxMs: number };
};

export function resolveExecution(o: ExecutionOptions = {}): ResolvedExecution {
  return {
    heartbeatMs: o.heartbeatMs ?? 2000,
    progressMs: o.progressMs ?? 500,
    cancelGraceMs: o.cancelGraceMs ?? 10_000,
    backoff: { baseMs: 1000, factor: 4, maxMs: 300_000, ...o.backoff },
  };
}

export function backoffDelay(b: ResolvedExecution["backoff"], attempt: number): number {
  return Math.min(b.maxMs, b.baseMs * b.factor ** Math.max(0, attempt - 1));
}

/** Where a job stands after an attempt. */
export type AttemptOutcome = JobStatus | "LOST";

type Ending =
  | { kind: "done"; message: Extract<FromThread, { type: "done" }> }
  | { kind: "error"; name: string; message: string; retryable: boolean }
  | { kind: "aborted"; message: string }
  | { kind: "terminated" };

type StopReason = "cancel" | "timeout" | "interrupt";

/**
 * One attempt of a claimed (RUNNING) job: trains on a worker thread, relays its registry calls,
 * progress and log lines, beats, enforces the timeout and cancels, then records the outcome
 * (COMPLETED with the result, a retry with backoff, FAILED or CANCELLED).
 */
export class Attempt {
  private thread: Worker | null = null;
  private stopReason: StopReason | null = null;
  private hardStopped = false;
  private ended = false;
  private writes: Promise<void> = Promise.resolve();
  private latest: { percent: number; stage: string; message: string } | null = null;
  private lastWrite = 0;
  private hardTimer: NodeJS.Timeout | null = null;
  readonly done: Promise<AttemptOutcome>;

  constructor(
    readonly job: JobRecord,
    private readonly registry: Registry,
    private readonly options: ResolvedExecution,
    private readonly emit: (e: JobEvent) => void,
  ) {
    this.done = this.run().catch(async (e) => {
      // A bug or a lost database: the job must not stay RUNNING under a live worker.
      const message = `attempt ${job.attempts} failed: ${e instanceof Error ? e.message : String(e)}`;
      const status = await this.registry.jobs
        .retryOrFail(job.id, message, backoffDelay(options.backoff, job.attempts))
        .catch(() => null);
      return status ?? "LOST";
    });
  }

  /** Cooperative cancel now (the job row's flag is already set); terminated after the grace. */
  cancel(): void {
    this.stop("cancel");
  }

  /** A shutdown whose grace has passed: stop at once and put the job back in the queue. */
  interrupt(): void {
    this.stop("interrupt");
  }

  private event(type: JobEvent["type"], extra: Partial<JobEvent> = {}): void {
    this.emit({ type, jobId: this.job.id, workspace: this.job.workspace, at: new Date(), ...extra });
  }

  private log(level: string, message: string): void {
    const { id, attempts } = this.job;
    this.write(() => this.registry.jobs.log(id, level, message, attempts));
    this.event("log", { message, level });
  }

  /** Database writes of progress and logs, in order, never failing the attempt. */
  private write(f: () => Promise<unknown>): void {
    this.writes = this.writes.then(f).then(
      () => undefined,
      () => undefined,
    );
  }

  private async run(): Promise<AttemptOutcome> {
    const { job, registry: r } = this;
    const attempt = job.attempts;
    this.event("started", { message: `attempt ${attempt} of ${job.maxAttempts}` });
    this.log("info", `attempt ${attempt} of ${job.maxAttempts} started on ${job.workerId ?? "a worker"}`);

    // Runs an interrupted earlier attempt left behind are superseded: one COMPLETED set per job.
    const earlier = attempt > 1 ? `attempt ${attempt - 1}` : "an earlier attempt";
    const superseded = await r.jobs.supersedeRuns(job.id, `${earlier} was interrupted`);
    if (superseded > 0) this.log("warn", `${superseded} run(s) of an interrupted attempt marked CANCELLED`);

    let prepared: { config: JsonObject; timeoutSeconds: number | null; datasetId: number | null };
    try {
      prepared = await this.prepare();
    } catch (e) {
      return this.fail(
        e instanceof Error ? e : new Error(String(e)),
        // An invalid configuration or an unknown dataset stays so on the next attempt.
        !(e instanceof ConfigError || e instanceof NotFoundError),
      );
    }
    const policy = promotionOf(job.origin);
    const data: AttemptThreadData = { jobId: job.id, config: prepared.config, validate: policy !== null };

    const heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    const timeout =
      prepared.timeoutSeconds !== null
        ? setTimeout(() => this.stop("timeout"), prepared.timeoutSeconds * 1000)
        : null;
    let ending: Ending;
    try {
      ending = await this.runThread(data);
    } finally {
      clearInterval(heartbeat);
      if (timeout) clearTimeout(timeout);
      if (this.hardTimer) clearTimeout(this.hardTimer);
      this.ended = true;
      if (this.thread) await this.thread.terminate().catch(() => undefined);
      await this.writes;
    }
    return this.conclude(ending, prepared, policy);
  }

  /** The configuration the thread trains with: the model's name, version and activation decided here. */
  private async prepare(): Promise<{
    config: JsonObject;
    timeoutSeconds: number | null;
    datasetId: number | null;
  }> {
    const { job, registry: r } = this;
    const config = parseTrainingConfig(job.config);
    let datasetId: number | null = job.datasetId;
    let source = config.dataset.path;
    if (config.dataset.datasetId !== undefined) {
      const d = await r.datasets.get(config.dataset.datasetId);
      datasetId = d.id;
      source ??= d.source;
    }
    const name = config.model.name ?? job.modelName ?? defaultModelName(source ?? "model");
    const version = await this.versionLabel(name, config.model.version);
    const activate = promotionOf(job.origin) ? false : config.model.activate;
    const model = { ...(job.config.model as JsonObject | undefined), name, version, activate };
    return {
      config: { ...job.config, model },
      timeoutSeconds: job.timeoutSeconds ?? config.resources.timeoutSeconds ?? null,
      datasetId,
    };
  }

  /**
   * A version label that is free: a version an interrupted attempt of this job left (and did not
   * activate) is removed; otherwise a taken generated label gets the job's id appended.
   */
  private async versionLabel(name: string, asked: string | undefined): Promise<string> {
    const { job, registry: r } = this;
    const base = asked ?? timestampVersion();
    const candidates = [
      base,
      `${base}-${job.id.slice(0, 8)}`,
      `${base}-${job.id.slice(0, 8)}-${job.attempts}`,
    ];
    for (const label of candidates) {
      let v: Awaited<ReturnType<typeof r.models.resolve>>;
      try {
        v = await r.models.resolve(`${name}@${label}`);
      } catch (e) {
        if (e instanceof NotFoundError) return label;
        throw e;
      }
      const ours = v.runId !== null && (await r.runs.get(v.runId).catch(() => null))?.jobId === job.id;
      if (ours && !v.active) {
        await r.models.deleteVersion(name, label);
        this.log("warn", `removed version ${label} left by an interrupted attempt`);
        return label;
      }
      // Someone else's explicitly asked-for version: let the registry refuse it.
      if (asked !== undefined && !ours) return label;
    }
    return `${base}-${job.id.slice(0, 8)}-${job.attempts}-${Date.now()}`;
  }

  private runThread(data: AttemptThreadData): Promise<Ending> {
    return new Promise<Ending>((resolve) => {
      let settled = false;
      const settle = (e: Ending) => {
        if (settled) return;
        settled = true;
        resolve(e);
      };
      const thread = startAttemptThread(data);
      this.thread = thread;
      if (this.stopReason) this.sendCancel();
      thread.on("message", (m: FromThread) => {
        switch (m.type) {
          case "call":
            void this.serve(m.id, m.method, m.args);
            break;
          case "progress":
            this.progress(m);
            break;
          case "log":
            this.log(m.level, m.message);
            break;
          case "done":
            settle({ kind: "done", message: m });
            break;
          case "error":
            settle({ kind: "error", name: m.name, message: m.message, retryable: m.retryable });
            break;
          case "aborted":
            settle({ kind: "aborted", message: m.message });
            break;
        }
      });
      thread.on("error", (e) =>
        settle({
          kind: "error",
          name: e.name,
          message: `worker thread crashed: ${e.message}`,
          retryable: true,
        }),
      );
      thread.on("exit", (code) => {
        if (this.hardStopped) settle({ kind: "terminated" });
        else
          settle({
            kind: "error",
            name: "Error",
            message: `worker thread exited (code ${code})`,
            retryable: true,
          });
      });
    });
  }

  /** Executes one store call of the thread on the job's workspace. */
  private async serve(id: number, method: StoreMethod, args: unknown[]): Promise<void> {
    const r = this.registry;
    const a = args as never[];
    let reply: ToThread;
    try {
      if (this.ended) return;
      let value: unknown;
      switch (method) {
        case "runs.start":
          value = await r.runs.start({ ...(a[0] as object), jobId: this.job.id });
          break;
        case "runs.finish":
          value = await r.runs.finish(a[0], a[1], a[2]);
          break;
        case "runs.record":
          value = await r.runs.record({ ...(a[0] as object), jobId: this.job.id }, a[1]);
          break;
        case "models.addVersion": {
          const v = await r.models.addVersion(a[0]);
          value = { id: v.id, modelName: v.modelName, version: v.version, active: v.active };
          break;
        }
        case "models.hasActive":
          value = await r.models.hasActive(a[0]);
          break;
        case "artifacts.put": {
          const stored = await r.artifacts.put(a[0], a[1]);
          value = { ...stored, localPath: r.artifacts.localPath(stored.uri) };
          break;
        }
        case "datasets.get":
          value = { source: (await r.datasets.get(a[0])).source };
          break;
        case "audit.record":
          value = await r.audit.record(a[0]);
          break;
        case "champion":
          value = await this.champion(a[0]);
          break;
      }
      reply = { type: "reply", id, value };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { type: "reply", id, error: { name: err.name, message: err.message } };
    }
    if (!this.ended) this.thread?.postMessage(reply);
  }

  private async champion(name: string): Promise<ChampionBytes | null> {
    let v: Awaited<ReturnType<Registry["models"]["resolve"]>>;
    try {
      v = await this.registry.models.resolve(name);
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
    return {
      versionId: v.id,
      version: v.version,
      bytes: await this.registry.artifacts.get(v.artifactUri, v.checksum),
    };
  }

  private progress(p: { percent: number; stage: string; message: string }): void {
    this.latest = p;
    if (Date.now() - this.lastWrite >= this.options.progressMs) this.beat();
  }

  /** Writes the latest progress (a heartbeat when there is none) and notices a cancel. */
  private beat(): void {
    const p = this.latest;
    this.latest = null;
    this.lastWrite = Date.now();
    if (p) this.event("progress", { percent: p.percent, stage: p.stage, message: p.message });
    this.write(async () => {
      const { cancelRequested } = await this.registry.jobs.progress(
        this.job.id,
        p ? { percent: p.percent, stage: p.stage, message: p.message } : {},
      );
      if (cancelRequested && !this.ended) this.stop("cancel");
    });
  }

  private stop(reason: StopReason): void {
    if (this.ended || this.stopReason) return;
    this.stopReason = reason;
    const what =
      reason === "cancel" ? "cancel requested" : reason === "timeout" ? "timed out" : "shutting down";
    this.log("warn", `${what}: stopping the training`);
    const grace = reason === "interrupt" ? 0 : this.options.cancelGraceMs;
    const terminate = () => {
      if (this.ended || !this.thread) return;
      this.hardStopped = true;
      this.log("warn", `the training did not stop within ${grace} ms; thread terminated`);
      void this.thread.terminate();
    };
    // No grace: terminate now, not after a race with the thread's own stop.
    if (grace === 0) {
      terminate();
      return;
    }
    this.sendCancel();
    this.hardTimer = setTimeout(terminate, grace);
  }

  private sendCancel(): void {
    this.thread?.postMessage({ type: "cancel", reason: this.stopReason ?? "cancel" } satisfies ToThread);
  }

  private async conclude(
    ending: Ending,
    prepared: { timeoutSeconds: number | null; datasetId: number | null },
    policy: ReturnType<typeof promotionOf>,
  ): Promise<AttemptOutcome> {
    const { job, registry: r } = this;
    if (ending.kind === "done") return this.complete(ending.message, prepared.datasetId, policy);
    // Runs the stopped thread left RUNNING (or completed before failing) are not the job's result.
    const leftover = `attempt ${job.attempts} did not complete`;
    if (this.stopReason === "interrupt") {
      await r.jobs.supersedeRuns(job.id, leftover);
      const status = await r.jobs.requeue(job.id, "interrupted by a shutdown; re-queued");
      if (status === "QUEUED") this.event("queued", { message: "re-queued after a shutdown" });
      if (status === "CANCELLED") this.event("cancelled");
      return status ?? "LOST";
    }
    if (this.stopReason === "cancel") {
      await r.jobs.supersedeRuns(job.id, "cancelled");
      const how = this.hardStopped ? "cancelled (hard stop after the grace period)" : "cancelled";
      await r.jobs.finish(job.id, "CANCELLED", { error: how });
      await r.jobs.log(job.id, "warn", how, job.attempts);
      this.event("cancelled", { message: how });
      return "CANCELLED";
    }
    await r.jobs.supersedeRuns(job.id, leftover);
    if (this.stopReason === "timeout")
      return this.fail(new Error(`timed out after ${prepared.timeoutSeconds} s`), true);
    if (ending.kind === "error")
      return this.fail(Object.assign(new Error(ending.message), { name: ending.name }), ending.retryable);
    return this.fail(
      new Error(ending.kind === "aborted" ? ending.message : "the worker thread was terminated"),
      true,
    );
  }

  private async fail(error: Error, retryable: boolean): Promise<AttemptOutcome> {
    const { job, registry: r } = this;
    const message = error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error.message;
    let status: JobStatus | null;
    if (retryable) {
      const delay = backoffDelay(this.options.backoff, job.attempts);
      status = await r.jobs.retryOrFail(job.id, message, delay);
      if (status === "QUEUED") {
        await r.jobs.log(
          job.id,
          "warn",
          `attempt ${job.attempts} failed: ${message}; retrying in ${delay} ms`,
          job.attempts,
        );
        this.event("retrying", { message });
        return "QUEUED";
      }
    } else status = (await r.jobs.finish(job.id, "FAILED", { error: message })) ? "FAILED" : null;
    if (status === null) {
      // A cancel was asked for meanwhile (retryOrFail refuses then), or the job was taken away.
      const cur = await r.jobs.get(job.id);
      if (cur.status === "RUNNING" && cur.cancelRequested) {
        await r.jobs.finish(job.id, "CANCELLED", { error: "cancelled" });
        this.event("cancelled");
        return "CANCELLED";
      }
      return "LOST";
    }
    await r.jobs.log(job.id, "error", `failed: ${message}`, job.attempts);
    this.event("failed", { message });
    await publish(r, "job.failed", {
      jobId: job.id,
      model: job.modelName,
      error: message,
      attempts: job.attempts,
    });
    return "FAILED";
  }

  private async complete(
    m: Extract<FromThread, { type: "done" }>,
    datasetId: number | null,
    policy: ReturnType<typeof promotionOf>,
  ): Promise<AttemptOutcome> {
    const { job, registry: r } = this;
    const summary = m.summary;
    const model = summary.model as {
      name: string;
      version: string;
      versionId: number | null;
      active: boolean;
    };
    let validation: JsonObject | null = null;
    if (policy && m.validation) {
      const { record, activated } = await applyDecision(
        r,
        job.id,
        { name: model.name, version: model.version, versionId: model.versionId },
        policy,
        m.validation,
      );
      model.active = activated || model.active;
      validation = {
        id: record.id,
        decision: record.decision,
        reason: record.reason,
        metric: record.metric,
        championScore: record.championScore,
        challengerScore: record.challengerScore,
        margin: record.margin,
      };
      this.log("info", `champion/challenger: ${record.decision} (${record.reason})`);
    } else if (model.active) {
      await publish(r, "model.activated", {
        model: model.name,
        version: model.version,
        reason: "training",
        jobId: job.id,
      });
    }
    const result: JsonObject = { ...summary, model, validation, attempt: job.attempts };
    if (!(await r.jobs.finish(job.id, "COMPLETED", { result }))) {
      this.log("warn", "the job was no longer RUNNING under this worker; result dropped");
      await r.jobs.supersedeRuns(job.id, `attempt ${job.attempts} finished after the job was taken away`);
      return "LOST";
    }
    if (datasetId !== null) await r.datasets.resetNewRows(datasetId).catch(() => undefined);
    await r.jobs.log(job.id, "info", `completed: ${model.name}@${model.version}`, job.attempts);
    this.event("completed", { percent: 100, message: `${model.name}@${model.version}` });
    await publish(r, "job.completed", {
      jobId: job.id,
      model: model.name,
      version: model.version,
      active: model.active,
      bestAlgorithm: summary.bestAlgorithm ?? null,
      metrics: summary.metrics ?? null,
    });
    return "COMPLETED";
  }
}

/** The attempt's worker thread; from the TypeScript sources (tests, tsx) it registers tsx first. */
function startAttemptThread(data: AttemptThreadData): Worker {
  const self = import.meta.url;
  const workerData = { jobAttempt: data };
  if (!self.endsWith(".ts")) return new Worker(new URL("./attempt-thread.js", self), { workerData });
  const api = pathToFileURL(
    createRequire(self)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const target = new URL("./attempt-thread.ts", self).href;
  const source = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(target)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), { workerData });
}
