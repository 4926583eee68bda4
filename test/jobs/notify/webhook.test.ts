import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../../../src/jobs/events.js";
import { NotificationDispatcher } from "../../../src/jobs/notify/dispatcher.js";
import { verifyWebhook } from "../../../src/jobs/notify/signature.js";
import type { Registry } from "../../../src/registry/index.js";
import { backends } from "../../helpers/registries.js";
import { manualClock } from "../continuous/helpers.js";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver answering with the statuses it is given, in turn (then 200). */
function receiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end("ok");
    });
  });
  return {
    received,
    statuses,
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const backend of backends()) {
  describe(`webhooks on ${backend.name}`, () => {
    let r: Registry;
    const hook = receiver();
    let url: string;
    beforeAll(async () => {
      r = await backend.open();
      url = await hook.start();
    }, 120_000);
    afterAll(async () => {
      await hook.close();
      await r?.close();
      await backend.cleanup();
    });

    /** Each test sees only its own subscription's deliveries. */
    async function fresh(events?: ("job.completed" | "model.activated")[]) {
      for (const s of await r.subscriptions.list()) await r.subscriptions.delete(s.id);
      hook.received.length = 0;
      hook.statuses.length = 0;
      return r.subscriptions.create({ channel: "webhook", target: url, events });
    }

    it("POSTs the event as JSON, signed with HMAC-SHA256 over timestamp.body", async () => {
      const sub = await fresh();
      expect(sub.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(await publish(r, "job.completed", { jobId: "j1", modelName: "churn", version: "v2" })).toBe(1);
      const dispatcher = new NotificationDispatcher({ registry: r });
      const [outcome] = await dispatcher.runOnce();
      expect(outcome).toMatchObject({ ok: true, status: "DELIVERED", responseStatus: 200, attempts: 1 });

      expect(hook.received).toHaveLength(1);
      const { headers, body } = hook.received[0];
      expect(headers["content-type"]).toBe("application/json");
      expect(headers["x-trainyard-event"]).toBe("job.completed");
      expect(headers["x-trainyard-delivery"]).toBe(String(outcome.deliveryId));
      const ts = headers["x-trainyard-timestamp"] as string;
      expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(600);
      // Recomputed here with node:crypto, independently of the signer.
      const expected = `sha256=${createHmac("sha256", sub.secret as string)
        .update(`${ts}.${body}`)
        .digest("hex")}`;
      expect(headers["x-trainyard-signature"]).toBe(expected);
      expect(verifyWebhook(sub.secret as string, ts, body, expected)).toBe(true);
      expect(verifyWebhook(sub.secret as string, ts, body.replace("churn", "churm"), expected)).toBe(false);
      expect(JSON.parse(body)).toMatchObject({
        delivery: outcome.deliveryId,
        event: "job.completed",
        workspace: "default",
        data: { jobId: "j1", modelName: "churn", version: "v2" },
      });

      const [log] = await r.subscriptions.deliveries({ subscriptionId: sub.id });
      expect(log).toMatchObject({ status: "DELIVERED", attempts: 1, responseStatus: 200, lastError: null });
      expect(log.deliveredAt).not.toBeNull();
      // Nothing is sent twice.
      expect(await dispatcher.runOnce()).toEqual([]);
      expect(hook.received).toHaveLength(1);
    });

    it("retries after a 500 with backoff, then delivers", async () => {
      const sub = await fresh();
      hook.statuses.push(500);
      await publish(r, "job.completed", { jobId: "j2" });
      const clock = manualClock(new Date(Date.now() + 1000));
      const dispatcher = new NotificationDispatcher({ registry: r, clock, baseDelayMs: 30_000 });
      const [first] = await dispatcher.runOnce();
      expect(first).toMatchObject({ ok: false, status: "PENDING", responseStatus: 500, attempts: 1 });
      let [log] = await r.subscriptions.deliveries({ subscriptionId: sub.id });
      expect(log).toMatchObject({ status: "PENDING", attempts: 1, responseStatus: 500 });
      expect(log.lastError).toMatch(/HTTP 500/);
      expect(log.nextAttemptAt.getTime() - clock().getTime()).toBeGreaterThanOrEqual(30_000);

      // Not due yet.
      clock.advance(29_000);
      expect(await dispatcher.runOnce()).toEqual([]);
      clock.advance(2_000);
      const [second] = await dispatcher.runOnce();
      expect(second).toMatchObject({ ok: true, status: "DELIVERED", attempts: 2 });
      [log] = await r.subscriptions.deliveries({ subscriptionId: sub.id });
      expect(log).toMatchObject({ status: "DELIVERED", attempts: 2, responseStatus: 200, lastError: null });
      expect(hook.received.map((h) => h.headers["x-trainyard-delivery"])).toEqual([
        String(log.id),
        String(log.id),
      ]);
    });

    it("gives up after the last attempt: FAILED with the last error", async () => {
      const sub = await fresh();
      hook.statuses.push(500, 502, 503, 500);
      await publish(r, "model.activated", { modelName: "churn", version: "v3" });
      const clock = manualClock(new Date(Date.now() + 1000));
      const dispatcher = new NotificationDispatcher({
        registry: r,
        clock,
        maxAttempts: 3,
        baseDelayMs: 1000,
      });
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(...(await dispatcher.runOnce()).map((o) => o.status));
        clock.advance(60_000);
      }
      expect(statuses).toEqual(["PENDING", "PENDING", "FAILED"]);
      const [log] = await r.subscriptions.deliveries({ subscriptionId: sub.id });
      expect(log).toMatchObject({ status: "FAILED", attempts: 3, responseStatus: 503 });
      expect(log.lastError).toMatch(/HTTP 503/);
      expect(hook.received).toHaveLength(3);
      expect(dispatcher.backoffMs(1)).toBe(1000);
      expect(dispatcher.backoffMs(3)).toBe(4000);
    });

    it("records a receiver that is not there as a failed attempt", async () => {
      for (const s of await r.subscriptions.list()) await r.subscriptions.delete(s.id);
      const gone = receiver();
      const goneUrl = await gone.start();
      await gone.close();
      const sub = await r.subscriptions.create({ channel: "webhook", target: goneUrl });
      await publish(r, "job.failed", { jobId: "j3", error: "out of memory" });
      const [o] = await new NotificationDispatcher({ registry: r }).runOnce();
      expect(o).toMatchObject({ ok: false, status: "PENDING", responseStatus: null });
      const [log] = await r.subscriptions.deliveries({ subscriptionId: sub.id });
      expect(log.lastError).toMatch(/request failed: ECONNREFUSED/);
    });

    it("sends a subscription only the events it listens to", async () => {
      const sub = await fresh(["model.activated"]);
      const all = await r.subscriptions.create({ channel: "webhook", target: url, enabled: false });
      expect((await r.subscriptions.list({ event: "model.activated" })).map((s) => s.id)).toEqual([
        sub.id,
        all.id,
      ]);
      expect((await r.subscriptions.list({ event: "job.completed" })).map((s) => s.id)).toEqual([all.id]);
      expect(await publish(r, "job.completed", { jobId: "j4" })).toBe(0);
      expect(await publish(r, "model.activated", { modelName: "m", version: "v1" })).toBe(1);
      const sent = await new NotificationDispatcher({ registry: r }).runOnce();
      expect(sent).toHaveLength(1);
      expect(hook.received.map((h) => h.headers["x-trainyard-event"])).toEqual(["model.activated"]);
      expect((await r.subscriptions.deliveries({ subscriptionId: sub.id })).map((d) => d.event)).toEqual([
        "model.activated",
      ]);
    });

    it("sends each delivery once when two dispatchers race", async () => {
      await fresh();
      // On PostgreSQL the second dispatcher has its own connection pool (another replica).
      const other = backend.name === "postgres" ? await backend.open() : r;
      try {
        for (let i = 0; i < 12; i++) await publish(r, "job.completed", { jobId: `race-${i}` });
        const a = new NotificationDispatcher({ registry: r, batchSize: 3 });
        const b = new NotificationDispatcher({ registry: other, batchSize: 3 });
        const outcomes = (await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()])).flat();
        expect(outcomes).toHaveLength(12);
        expect(outcomes.every((o) => o.status === "DELIVERED")).toBe(true);
        const ids = hook.received.map((h) => h.headers["x-trainyard-delivery"]);
        expect(ids).toHaveLength(12);
        expect(new Set(ids).size).toBe(12);
      } finally {
        if (other !== r) await other.close();
      }
    });

    it("wakes a started dispatcher on publish", async () => {
      await fresh();
      const dispatcher = new NotificationDispatcher({ registry: r, intervalMs: 3_600_000 });
      dispatcher.start();
      try {
        await dispatcher.runOnce(); // whatever the start-up run left
        await publish(r, "job.completed", { jobId: "j5" });
        for (let i = 0; i < 200 && hook.received.length === 0; i++)
          await new Promise((s) => setTimeout(s, 25));
        expect(hook.received.map((h) => JSON.parse(h.body).data.jobId)).toEqual(["j5"]);
      } finally {
        await dispatcher.stop();
      }
    });
  });
}
