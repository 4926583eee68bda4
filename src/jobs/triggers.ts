import type { Registry, TriggerRecord } from "../registry/index.js";
import { Periodic } from "./periodic.js";
import type { JobQueue } from "./queue.js";
import type { Clock } from "./scheduler.js";
import { busyJob, enqueueRetrain, evaluateConditions, WorkspaceRegistries } from "./triggers-retrain.js";

export interface TriggerEvaluatorOptions {
  registry: Registry;
  queue: JobQueue;
  clock?: Clock;
  /** How often every enabled trigger is checked. Default 60 s. */
  intervalMs?: number;
  /** After a retraining FAILED, the trigger waits this long before firing again. Default 1 h. */
  failureBackoffMs?: number;
  /** Priority of the retraining jobs. Default 0. */
  priority?: number;
  onError?: (error: unknown) => void;
}

export interface TriggerOutcome {
  triggerId: number;
  workspace: string;
  fired: boolean;
  reason: string;
  jobId: string | null;
}

/**
 * Checks retraining triggers periodically and when rows are appended to a watched dataset. A
 * trigger fires when any of its conditions holds, never while a job of its model is QUEUED or
 * RUNNING, and only once when several replicas check it at the same moment.
 */
export class TriggerEvaluator {
  private readonly registry: Registry;
  private readonly queue: JobQueue;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly failureBackoffMs: number;
  private readonly priority: number;
  private readonly onError: (error: unknown) => void;
  private readonly workspaces: WorkspaceRegistries;
  private readonly loop: Periodic;
  /** Evaluations started by appends, awaited on stop. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(options: TriggerEvaluatorOptions) {
    this.registry = options.registry;
    this.queue = options.queue;
    this.clock = options.clock ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? 60_000;
    this.failureBackoffMs = options.failureBackoffMs ?? 3_600_000;
    this.priority = options.priority ?? 0;
    this.onError = options.onError ?? (() => {});
    this.workspaces = new WorkspaceRegistries(options.registry);
    this.loop = new Periodic(() => this.evaluateAll(), this.intervalMs, this.onError);
  }

  /** Checks every enabled trigger of every workspace once. */
  async evaluateAll(): Promise<TriggerOutcome[]> {
    return this.evaluateEach(await this.registry.triggers.enabledEverywhere());
  }

  /** Checks the triggers watching a dataset (call it after rows were appended or it was marked ready). */
  async onDatasetAppended(datasetId: number): Promise<TriggerOutcome[]> {
    const work = this.registry.triggers
      .enabledEverywhere({ datasetId })
      .then((triggers) => this.evaluateEach(triggers));
    this.pending.add(work);
    try {
      return await work;
    } finally {
      this.pending.delete(work);
    }
  }

  private async evaluateEach(triggers: TriggerRecord[]): Promise<TriggerOutcome[]> {
    const out: TriggerOutcome[] = [];
    for (const t of triggers) {
      try {
        out.push(await this.evaluate(t));
      } catch (e) {
        this.onError(e);
      }
    }
    return out;
  }

  /** Checks one trigger and fires it when due. */
  async evaluate(t: TriggerRecord): Promise<TriggerOutcome> {
    const now = this.clock();
    const registry = await this.workspaces.get(t.workspace);
    const result = (fired: boolean, reason: string, jobId: string | null = null): TriggerOutcome => ({
      triggerId: t.id,
      workspace: t.workspace,
      fired,
      reason,
      jobId,
    });

    const busy = await busyJob(registry, t.modelName);
    if (busy) return result(false, `job ${busy.id} of model "${t.modelName}" is ${busy.status}`);
    if (t.lastJobId !== null && t.lastFiredAt !== null) {
      const last = await registry.jobs.get(t.lastJobId).catch(() => null);
      const since = now.getTime() - t.lastFiredAt.getTime();
      if (last?.status === "FAILED" && since < this.failureBackoffMs)
        return result(false, `the last retraining (job ${last.id}) failed; waiting before the next`);
    }
    const verdict = await evaluateConditions(
      registry,
      { conditions: t.conditions, dataset: t.datasetId, modelName: t.modelName, lastFiredAt: t.lastFiredAt },
      now,
    );
    const why = verdict.reasons.join("; ");
    if (!verdict.holds) return result(false, `no condition holds (${why})`);
    if (!(await registry.triggers.claimFiring(t.id, t.lastFiredAt, now)))
      return result(false, "fired by another process at the same time");
    const job = await enqueueRetrain(this.queue, registry, {
      config: t.config,
      modelName: t.modelName,
      datasetId: t.datasetId,
      origin: { type: "trigger", id: t.id, promotion: t.promotion },
      priority: this.priority,
    });
    await registry.triggers.recordJob(t.id, job.id);
    return result(true, why, job.id);
  }

  start(): void {
    this.loop.start();
  }

  /** Stops the timer and waits for evaluations in progress. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled([...this.pending]);
  }
}
