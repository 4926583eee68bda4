import { randomBytes } from "node:crypto";
import { type Selectable, sql } from "kysely";
import type { JsonObject } from "../ml/estimator.js";
import { InvalidInputError } from "./continuous-input.js";
import type { Db } from "./database.js";
import { NotFoundError } from "./errors.js";
import { type DeliveryStatus, type DeliveryTable, json, type SubscriptionTable } from "./tables.js";

/** The events trainyard sends to subscribers. */
export const EVENT_NAMES = ["job.completed", "job.failed", "model.activated", "validation.decided"] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export type Channel = "webhook" | "email";
export type { DeliveryStatus };

/** Where events go: a webhook URL (HMAC-signed with the secret) or an e-mail address. */
export interface SubscriptionRecord {
  id: number;
  workspace: string;
  channel: Channel;
  target: string;
  /** Empty: every event. */
  events: EventName[];
  enabled: boolean;
  /** The secret itself is shown once, when the subscription is created. */
  hasSecret: boolean;
  createdAt: Date;
}

export interface NewSubscription {
  channel: Channel;
  /** An http(s) URL for a webhook, an address for e-mail. */
  target: string;
  events?: EventName[];
  /** Webhooks only; generated when not given. */
  secret?: string;
  enabled?: boolean;
}

export type SubscriptionPatch = Partial<Pick<NewSubscription, "target" | "events" | "enabled" | "secret">>;

/** One event to one subscriber, and how its sending went. */
export interface DeliveryRecord {
  id: number;
  subscriptionId: number;
  event: string;
  payload: JsonObject;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  responseStatus: number | null;
  nextAttemptAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A delivery claimed for sending, with where it goes. */
export interface ClaimedDelivery extends DeliveryRecord {
  channel: Channel;
  target: string;
  secret: string | null;
  workspace: string;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

function toSubscription(r: Selectable<SubscriptionTable>): SubscriptionRecord {
  return {
    id: r.id,
    workspace: r.workspace,
    channel: r.channel,
    target: r.target,
    events: r.events as EventName[],
    enabled: r.enabled,
    hasSecret: r.secret !== null,
    createdAt: new Date(r.created_at),
  };
}

function toDelivery(r: Selectable<DeliveryTable>): DeliveryRecord {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    event: r.event,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    responseStatus: r.response_status,
    nextAttemptAt: new Date(r.next_attempt_at),
    createdAt: new Date(r.created_at),
    deliveredAt: r.delivered_at === null ? null : new Date(r.delivered_at),
  };
}

type Problems = { path: string; message: string }[];

function checkTarget(channel: Channel, target: unknown, problems: Problems): void {
  if (typeof target !== "string" || target.length === 0 || target.length > 2000) {
    problems.push({ path: "/target", message: "must be a URL (webhook) or an e-mail address" });
    return;
  }
  if (channel === "webhook") {
    let url: URL | null = null;
    try {
      url = new URL(target);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
      problems.push({ path: "/target", message: `${JSON.stringify(target)} is not an http(s) URL` });
  } else if (!EMAIL.test(target)) {
    problems.push({ path: "/target", message: `${JSON.stringify(target)} is not an e-mail address` });
  }
}

function checkEvents(events: unknown, problems: Problems): EventName[] {
  if (events === undefined || events === null) return [];
  if (!Array.isArray(events)) {
    problems.push({ path: "/events", message: `must be a list of events (${EVENT_NAMES.join(", ")})` });
    return [];
  }
  events.forEach((e, i) => {
    if (!(EVENT_NAMES as readonly unknown[]).includes(e))
      problems.push({ path: `/events/${i}`, message: `is not an event (${EVENT_NAMES.join(", ")})` });
  });
  return [...new Set(events as EventName[])];
}

function checkSecret(secret: unknown, problems: Problems): void {
  if (typeof secret !== "string" || secret.length < 16 || secret.length > 256)
    problems.push({ path: "/secret", message: "must be a string of 16–256 characters" });
}

/**
 * Where events go (webhooks, e-mail addresses) and the log of each delivery. Deliveries are an
 * outbox in the database: any process may add them; a dispatcher sends the due ones and retries.
 */
export class SubscriptionStore {
  constructor(
    readonly db: Db,
    readonly workspace: string,
  ) {}

  /** Creates a subscription; a webhook's secret (given or generated) is returned this once. */
  async create(input: NewSubscription): Promise<SubscriptionRecord & { secret: string | null }> {
    const problems: Problems = [];
    const channel = input.channel;
    if (channel !== "webhook" && channel !== "email")
      problems.push({ path: "/channel", message: 'must be "webhook" or "email"' });
    else checkTarget(channel, input.target, problems);
    const events = checkEvents(input.events, problems);
    if (input.enabled !== undefined && typeof input.enabled !== "boolean")
      problems.push({ path: "/enabled", message: "must be true or false" });
    let secret: string | null = null;
    if (channel === "webhook") {
      if (input.secret !== undefined) checkSecret(input.secret, problems);
      secret = input.secret ?? randomBytes(32).toString("hex");
    } else if (input.secret !== undefined) {
      problems.push({ path: "/secret", message: "only webhooks have a secret" });
    }
    if (problems.length > 0) throw new InvalidInputError("subscription", problems);
    const row = await this.db
      .insertInto("subscription")
      .values({
        workspace: this.workspace,
        channel,
        target: input.target,
        secret,
        events: json(events),
        enabled: input.enabled ?? true,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...toSubscription(row), secret };
  }

  async get(id: number): Promise<SubscriptionRecord> {
    const row = await this.db
      .selectFrom("subscription")
      .selectAll()
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .executeTakeFirst();
    if (!row) throw new NotFoundError("subscription", String(id));
    return toSubscription(row);
  }

  async list(
    options: { channel?: Channel; event?: EventName; limit?: number; offset?: number } = {},
  ): Promise<SubscriptionRecord[]> {
    let q = this.db.selectFrom("subscription").selectAll().where("workspace", "=", this.workspace);
    if (options.channel) q = q.where("channel", "=", options.channel);
    // An empty list means every event.
    if (options.event)
      q = q.where(sql<boolean>`(events = '[]'::jsonb or events @> ${json([options.event])}::jsonb)`);
    const rows = await q
      .orderBy("id")
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toSubscription);
  }

  async update(id: number, patch: SubscriptionPatch): Promise<SubscriptionRecord> {
    const current = await this.get(id);
    const problems: Problems = [];
    if (patch.target !== undefined) checkTarget(current.channel, patch.target, problems);
    const events = patch.events !== undefined ? checkEvents(patch.events, problems) : undefined;
    if (patch.enabled !== undefined && typeof patch.enabled !== "boolean")
      problems.push({ path: "/enabled", message: "must be true or false" });
    if (patch.secret !== undefined) {
      if (current.channel !== "webhook")
        problems.push({ path: "/secret", message: "only webhooks have a secret" });
      else checkSecret(patch.secret, problems);
    }
    if (problems.length > 0) throw new InvalidInputError("subscription", problems);
    const row = await this.db
      .updateTable("subscription")
      .set({
        ...(patch.target !== undefined ? { target: patch.target } : {}),
        ...(events !== undefined ? { events: json(events) } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(patch.secret !== undefined ? { secret: patch.secret } : {}),
      })
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSubscription(row);
  }

  /** Deletes a subscription and its delivery log. */
  async delete(id: number): Promise<void> {
    const r = await this.db
      .deleteFrom("subscription")
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .executeTakeFirst();
    if (r.numDeletedRows === 0n) throw new NotFoundError("subscription", String(id));
  }

  /**
   * Queues one delivery of `event` per enabled subscription of this workspace that listens to
   * it (an empty event list means every event). Returns how many were queued.
   */
  async enqueue(event: EventName, payload: JsonObject, now = new Date()): Promise<number> {
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
          next_attempt_at: now,
          created_at: now,
        })),
      )
      .execute();
    return matching.length;
  }

  /** The delivery log of this workspace (or one subscription), newest first. */
  async deliveries(
    options: { subscriptionId?: number; status?: DeliveryStatus; limit?: number; offset?: number } = {},
  ): Promise<DeliveryRecord[]> {
    if (options.subscriptionId !== undefined) await this.get(options.subscriptionId);
    let q = this.db
      .selectFrom("delivery")
      .selectAll()
      .where(
        "subscription_id",
        "in",
        this.db.selectFrom("subscription").select("id").where("workspace", "=", this.workspace),
      );
    if (options.subscriptionId !== undefined) q = q.where("subscription_id", "=", options.subscriptionId);
    if (options.status) q = q.where("status", "=", options.status);
    const rows = await q
      .orderBy("id", "desc")
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toDelivery);
  }

  /**
   * Takes up to `limit` due PENDING deliveries of any workspace for sending: one more attempt,
   * and their next attempt pushed `leaseMs` ahead so no other dispatcher takes them meanwhile
   * (a dispatcher that dies mid-send leaves them to be retried after the lease).
   * `skip locked` lets dispatchers on several replicas claim in parallel.
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await this.db
      .updateTable("delivery")
      .set((eb) => ({ attempts: eb("attempts", "+", 1), next_attempt_at: new Date(now.getTime() + leaseMs) }))
      .where(
        "id",
        "in",
        this.db
          .selectFrom("delivery")
          .select("id")
          .where("status", "=", "PENDING")
          .where("next_attempt_at", "<=", now)
          .where(
            "subscription_id",
            "in",
            this.db.selectFrom("subscription").select("id").where("enabled", "=", true),
          )
          .orderBy("next_attempt_at")
          .orderBy("id")
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .where("status", "=", "PENDING")
      .returningAll()
      .execute();
    if (rows.length === 0) return [];
    const subs = await this.db
      .selectFrom("subscription")
      .select(["id", "channel", "target", "secret", "workspace"])
      .where(
        "id",
        "in",
        rows.map((r) => r.subscription_id),
      )
      .execute();
    const byId = new Map(subs.map((s) => [s.id, s]));
    return rows.flatMap((r) => {
      const s = byId.get(r.subscription_id);
      return s
        ? [
            {
              ...toDelivery(r),
              channel: s.channel,
              target: s.target,
              secret: s.secret,
              workspace: s.workspace,
            },
          ]
        : [];
    });
  }

  /**
   * Records one sending attempt: DELIVERED, or back to PENDING at `retryAt`, or FAILED when
   * `retryAt` is null (out of attempts).
   */
  async recordAttempt(
    id: number,
    outcome:
      | { ok: true; responseStatus: number | null; at: Date }
      | { ok: false; responseStatus: number | null; error: string; retryAt: Date | null; at: Date },
  ): Promise<void> {
    const set = outcome.ok
      ? {
          status: "DELIVERED" as const,
          response_status: outcome.responseStatus,
          delivered_at: outcome.at,
          last_error: null,
        }
      : {
          status: outcome.retryAt === null ? ("FAILED" as const) : ("PENDING" as const),
          response_status: outcome.responseStatus,
          last_error: outcome.error.slice(0, 2000),
          ...(outcome.retryAt !== null ? { next_attempt_at: outcome.retryAt } : {}),
        };
    await this.db
      .updateTable("delivery")
      .set(set)
      .where("id", "=", id)
      .where("status", "=", "PENDING")
      .execute();
  }
}
