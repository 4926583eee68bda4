import type { JsonObject } from "../ml/estimator.js";
import type { Db } from "./database.js";
import { json } from "./tables.js";

/** The events trainyard sends to subscribers. */
export const EVENT_NAMES = [
  "job.completed",
  "job.failed",
  "model.activated",
  "validation.decided",
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/**
 * Where events go (webhooks, e-mail addresses) and the log of each delivery. Deliveries are an
 * outbox in the database: any process may add them; a dispatcher sends the due ones and retries.
 */
export class SubscriptionStore {
  constructor(
    readonly db: Db,
    readonly workspace: string,
  ) {}

  /**
   * Queues one delivery of `event` per enabled subscription of this workspace that listens to
   * it (an empty event list means every event). Returns how many were queued.
   */
  async enqueue(event: EventName, payload: JsonObject): Promise<number> {
    const subs = await this.db
      .selectFrom("subscription")
      .select(["id", "events"])
      .where("workspace", "=", this.workspace)
      .where("enabled", "=", true)
      .execute();
    const matching = subs.filter((s) => s.events.length === 0 || s.events.includes(event));
    if (matching.length === 0) return 0;
    await this.db
      .insertInto("delivery")
      .values(
        matching.map((s) => ({
          subscription_id: s.id,
          event,
          payload: json(payload),
          status: "PENDING" as const,
        })),
      )
      .execute();
    return matching.length;
  }
}
