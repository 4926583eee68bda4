import type { Registry } from "../registry/index.js";
import { type DispatcherOptions, NotificationDispatcher } from "./notify/dispatcher.js";
import type { JobQueue } from "./queue.js";
import { type Clock, Scheduler } from "./scheduler.js";
import { TriggerEvaluator, type TriggerOutcome } from "./triggers.js";

export interface ContinuousTrainingOptions {
  registry: Registry;
  queue: JobQueue;
  clock?: Clock;
  /** Schedule ticker interval. Default 15 s. */
  scheduleIntervalMs?: number;
  /** Periodic trigger check interval. Default 60 s. */
  triggerIntervalMs?: number;
  /** Outbox poll interval. Default 2 s. */
  notifyIntervalMs?: number;
  /** SMTP server for e-mail subscriptions (default `$TRAINYARD_SMTP_URL`). */
  smtpUrl?: string;
  /** Sender address of e-mails (default `$TRAINYARD_SMTP_FROM`). */
  from?: string;
  /** Retry policy and timeouts of notifications. */
  notify?: Pick<DispatcherOptions, "maxAttempts" | "baseDelayMs" | "maxDelayMs" | "timeoutMs" | "batchSize">;
  onError?: (error: unknown) => void;
}

const started = new Set<ContinuousTraining>();

/**
 * Continuous training and notifications in one service: the schedule ticker, the trigger
 * evaluator and the notification dispatcher. Every replica of the server may run one; ticks,
 * trigger firings and deliveries are claimed in the database, so each happens once.
 */
export class ContinuousTraining {
  readonly scheduler: Scheduler;
  readonly triggers: TriggerEvaluator;
  readonly dispatcher: NotificationDispatcher;

  constructor(options: ContinuousTrainingOptions) {
    const { registry, queue, clock, onError } = options;
    this.scheduler = new Scheduler({
      registry,
      queue,
      clock,
      onError,
      intervalMs: options.scheduleIntervalMs,
    });
    this.triggers = new TriggerEvaluator({
      registry,
      queue,
      clock,
      onError,
      intervalMs: options.triggerIntervalMs,
    });
    this.dispatcher = new NotificationDispatcher({
      registry,
      clock,
      onError,
      intervalMs: options.notifyIntervalMs,
      smtpUrl: options.smtpUrl,
      from: options.from,
      ...options.notify,
    });
  }

  start(): void {
    this.scheduler.start();
    this.triggers.start();
    this.dispatcher.start();
    started.add(this);
  }

  /** Stops the timers and waits for work in progress (firings, evaluations, sends). */
  async stop(): Promise<void> {
    started.delete(this);
    await Promise.all([this.scheduler.stop(), this.triggers.stop(), this.dispatcher.stop()]);
  }

  /** Checks the triggers that watch a dataset, after rows were appended or it was marked ready. */
  onDatasetAppended(_registry: Registry, datasetId: number): Promise<TriggerOutcome[]> {
    return this.triggers.onDatasetAppended(datasetId);
  }
}

/**
 * Checks the triggers watching a dataset in every ContinuousTraining started in this process
 * (the API calls it after an append or a ready marking); nothing when none is running.
 */
export async function onDatasetAppended(registry: Registry, datasetId: number): Promise<TriggerOutcome[]> {
  const all = await Promise.all([...started].map((c) => c.onDatasetAppended(registry, datasetId)));
  return all.flat();
}
