import {
  configModelName,
  latestTick,
  parseCron,
  type Registry,
  type ScheduleRecord,
} from "../registry/index.js";
import { Periodic } from "./periodic.js";
import type { JobQueue } from "./queue.js";
import {
  busyJob,
  configDatasetId,
  enqueueRetrain,
  evaluateConditions,
  WorkspaceRegistries,
} from "./triggers-retrain.js";

/** The current time; tests pass a fixed or stepped one. */
export type Clock = () => Date;

export interface SchedulerOptions {
  registry: Registry;
  queue: JobQueue;
  clock?: Clock;
  /** How often due ticks are looked for. Default 15 s. */
  intervalMs?: number;
  /** A tick found later than this (the server was down) is recorded as missed, not fired. Default 24 h. */
  maxLateMs?: number;
  /** Priority of the retraining jobs. Default 0. */
  priority?: number;
  /** Ticks recorded longer ago than this are forgotten (each schedule's latest stays). Default 30 days. */
  keepFiringsMs?: number;
  onError?: (error: unknown) => void;
}

/** What one tick of one schedule led to (for this process: only ticks it claimed). */
export interface TickOutcome {
  scheduleId: number;
  workspace: string;
  tick: Date;
  decision: "fired" | "skipped" | "failed";
  reason: string;
  jobId: string | null;
}

/**
 * Fires cron schedules. Every replica may run one: each due tick is claimed by inserting
 * (schedule, tick) into schedule_firing, which only one replica can do; that one checks the
 * schedule's conditions, enqueues the retraining and records what it decided.
 */
export class Scheduler {
  private readonly registry: Registry;
  private readonly queue: JobQueue;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly maxLateMs: number;
  private readonly priority: number;
  private readonly keepFiringsMs: number;
  private lastPrune = 0;
  private readonly onError: (error: unknown) => void;
  private readonly workspaces: WorkspaceRegistries;
  private readonly loop: Periodic;

  constructor(options: SchedulerOptions) {
    this.registry = options.registry;
    this.queue = options.queue;
    this.clock = options.clock ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? 15_000;
    this.maxLateMs = options.maxLateMs ?? 86_400_000;
    this.priority = options.priority ?? 0;
    this.keepFiringsMs = options.keepFiringsMs ?? 30 * 86_400_000;
    this.onError = options.onError ?? (() => {});
    this.workspaces = new WorkspaceRegistries(options.registry);
    this.loop = new Periodic(() => this.tick(), this.intervalMs, this.onError);
  }

  /** Looks for due ticks once, now (what the timer calls). */
  async tick(): Promise<TickOutcome[]> {
    const now = this.clock();
    const out: TickOutcome[] = [];
    for (const schedule of await this.registry.schedules.enabledEverywhere()) {
      try {
        const outcome = await this.fireIfDue(schedule, now);
        if (outcome) out.push(outcome);
      } catch (e) {
        this.onError(e);
      }
    }
    // The log of skipped ticks grows with every check of a frequent cron: trim it hourly.
    if (now.getTime() - this.lastPrune >= 3_600_000) {
      this.lastPrune = now.getTime();
      await this.registry.schedules
        .pruneFirings(new Date(now.getTime() - this.keepFiringsMs))
        .catch(this.onError);
    }
    return out;
  }

  private async fireIfDue(s: ScheduleRecord, now: Date): Promise<TickOutcome | null> {
    const tick = latestTick(parseCron(s.cron, s.timezone), now);
    // Ticks before the schedule's last change belong to an older cron (or to no schedule at all).
    if (tick === null || tick < s.updatedAt) return null;
    if (s.lastFiredAt !== null && tick <= s.lastFiredAt) return null;
    if (!(await this.registry.schedules.claimTick(s.id, tick, now))) return null;

    const registry = await this.workspaces.get(s.workspace);
    const decide = async (): Promise<Omit<TickOutcome, "scheduleId" | "workspace" | "tick">> => {
      const late = now.getTime() - tick.getTime();
      if (late > this.maxLateMs)
        return {
          decision: "skipped",
          reason: `missed: found ${Math.round(late / 60_000)} min late`,
          jobId: null,
        };
      const modelName = s.modelName ?? configModelName(s.config);
      const datasetId = await configDatasetId(registry, s.config);
      const verdict = await evaluateConditions(
        registry,
        { conditions: s.conditions, dataset: datasetId, modelName, lastFiredAt: s.lastFiredAt },
        now,
      );
      const why = verdict.reasons.join("; ");
      if (!verdict.holds) return { decision: "skipped", reason: `no condition holds (${why})`, jobId: null };
      const busy = await busyJob(registry, modelName);
      if (busy)
        return {
          decision: "skipped",
          reason: `job ${busy.id} of model "${modelName}" is ${busy.status}`,
          jobId: null,
        };
      const job = await enqueueRetrain(this.queue, registry, {
        config: s.config,
        modelName,
        datasetId,
        origin: { type: "schedule", id: s.id, promotion: s.promotion },
        priority: this.priority,
      });
      return { decision: "fired", reason: why, jobId: job.id };
    };

    let result: Omit<TickOutcome, "scheduleId" | "workspace" | "tick">;
    try {
      result = await decide();
    } catch (e) {
      result = { decision: "failed", reason: e instanceof Error ? e.message : String(e), jobId: null };
    }
    await this.registry.schedules.recordFiring(s.id, tick, result);
    return { scheduleId: s.id, workspace: s.workspace, tick, ...result };
  }

  start(): void {
    this.loop.start();
  }

  /** Stops the timer and waits for a tick in progress. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
