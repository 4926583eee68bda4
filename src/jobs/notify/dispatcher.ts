import type { ClaimedDelivery, Registry } from "../../registry/index.js";
import { onPublished } from "../events.js";
import type { Clock } from "../scheduler.js";
import { type EmailOptions, EmailSender } from "./email.js";
import { type AttemptResult, sendWebhook } from "./webhook.js";

export interface DispatcherOptions extends EmailOptions {
  registry: Registry;
  clock?: Clock;
  /** How often the outbox is polled (a publish in this process also wakes it). Default 2 s. */
  intervalMs?: number;
  /** Attempts before a delivery is FAILED. Default 8. */
  maxAttempts?: number;
  /** Wait after the first failed attempt, doubled after each further one. Default 5 s. */
  baseDelayMs?: number;
  /** The longest wait between attempts. Default 1 h. */
  maxDelayMs?: number;
  /** Webhook and SMTP timeout. Default 10 s. */
  timeoutMs?: number;
  /** Deliveries claimed at once. Default 20. */
  batchSize?: number;
  onError?: (error: unknown) => void;
}

/** What happened to one claimed delivery. */
export interface DispatchOutcome extends AttemptResult {
  deliveryId: number;
  attempts: number;
  status: "DELIVERED" | "PENDING" | "FAILED";
}

/**
 * Sends the notification outbox: claims due PENDING deliveries (several dispatchers may run on
 * several replicas; each delivery goes to one), POSTs webhooks or sends e-mails, and records each
 * attempt: DELIVERED, or PENDING again after an exponential backoff, or FAILED after the last.
 */
export class NotificationDispatcher {
  private readonly registry: Registry;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly onError: (error: unknown) => void;
  readonly email: EmailSender;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private again = false;
  private unsubscribe: (() => void) | null = null;

  constructor(options: DispatcherOptions) {
    this.registry = options.registry;
    this.clock = options.clock ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? 2000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 5000;
    this.maxDelayMs = options.maxDelayMs ?? 3_600_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.batchSize = options.batchSize ?? 20;
    this.onError = options.onError ?? (() => {});
    this.email = new EmailSender({ ...options, timeoutMs: this.timeoutMs });
  }

  /** The wait before attempt `attempts + 1`. */
  backoffMs(attempts: number): number {
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  }

  /** Sends every delivery due now (in batches) and returns what happened to each. */
  async runOnce(): Promise<DispatchOutcome[]> {
    const out: DispatchOutcome[] = [];
    for (;;) {
      const now = this.clock();
      // The lease outlasts a send, so a slow receiver is not sent the same delivery twice.
      const batch = await this.registry.subscriptions.claimDue(
        now,
        this.batchSize,
        this.timeoutMs * 3 + 5000,
      );
      if (batch.length === 0) return out;
      out.push(...(await Promise.all(batch.map((d) => this.deliver(d, now)))));
    }
  }

  private async deliver(d: ClaimedDelivery, now: Date): Promise<DispatchOutcome> {
    const result: AttemptResult =
      d.channel === "webhook" ? await sendWebhook(d, now, this.timeoutMs) : await this.email.send(d);
    const at = this.clock();
    if (result.ok) {
      await this.registry.subscriptions.recordAttempt(d.id, {
        ok: true,
        responseStatus: result.responseStatus,
        at,
      });
      return { ...result, deliveryId: d.id, attempts: d.attempts, status: "DELIVERED" };
    }
    const retryAt =
      d.attempts >= this.maxAttempts ? null : new Date(at.getTime() + this.backoffMs(d.attempts));
    await this.registry.subscriptions.recordAttempt(d.id, {
      ok: false,
      responseStatus: result.responseStatus,
      error: result.error ?? "failed",
      retryAt,
      at,
    });
    return {
      ...result,
      deliveryId: d.id,
      attempts: d.attempts,
      status: retryAt === null ? "FAILED" : "PENDING",
    };
  }

  /** Runs the outbox now (or right after the run in progress). */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
        if (this.again && this.timer) {
          this.again = false;
          this.wake();
        }
      });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.wake(), this.intervalMs);
    this.timer.unref();
    this.unsubscribe = onPublished(() => this.wake());
    this.wake();
  }

  /** Stops polling and waits for the sends in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.running;
    this.email.close();
  }
}
