import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../../src/jobs/events.js";
import { NotificationDispatcher } from "../../src/jobs/notify/dispatcher.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { activeModel, dataset } from "../jobs/continuous/helpers.js";
import { openApp, type TestApp } from "./setup.js";

let t: TestApp;
let datasetId: number;
beforeAll(async () => {
  t = await openApp();
  datasetId = (await dataset(t.registry, "api-ds")).id;
}, 120_000);
afterAll(() => t.close());

const send = (method: "POST" | "PATCH" | "GET" | "DELETE", url: string, payload?: unknown) =>
  t.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });

/** A 4xx problem+json naming the given fields. */
function expectProblem(res: LightMyRequestResponse, status: number, fields: string[] = []) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
  const body = res.json();
  expect(body.status).toBe(status);
  for (const f of fields) expect(body.errors?.map((e: { field: string }) => e.field)).toContain(f);
  return body;
}

describe("schedules API", () => {
  const config = () => ({ dataset: { datasetId }, target: "y" });

  it("creates, reads, lists, changes and deletes a schedule", async () => {
    const created = await send("POST", "/v1/schedules", {
      name: "weekly",
      cron: "0 1 * * 0",
      timezone: "Europe/Berlin",
      modelName: "churn",
      config: config(),
      promotion: { auto: true, margin: 0.01 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json();
    expect(created.headers.location).toBe(`/v1/schedules/${s.id}`);
    expect(s).toMatchObject({ name: "weekly", timezone: "Europe/Berlin", enabled: true, conditions: {} });
    expect(s.promotion).toEqual({ auto: true, margin: 0.01 });
    // The next run is a Sunday 01:00 in Berlin.
    const next = new Date(s.nextRunAt);
    const local = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    }).format(next);
    expect(local).toBe("Sun 01:00");

    expect((await send("GET", "/v1/schedules/weekly")).json().id).toBe(s.id);
    const page = (await send("GET", "/v1/schedules?limit=1")).json();
    expect(page).toMatchObject({ limit: 1, offset: 0 });
    expect(page.items[0].id).toBe(s.id);

    const patched = await send("PATCH", `/v1/schedules/${s.id}`, { cron: "30 2 * * 1", enabled: false });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ cron: "30 2 * * 1", enabled: false, nextRunAt: null });

    expect((await send("DELETE", `/v1/schedules/${s.id}`)).statusCode).toBe(204);
    expectProblem(await send("GET", `/v1/schedules/${s.id}`), 404);
  });

  it("shows the ticks a schedule fired", async () => {
    const s = (
      await send("POST", "/v1/schedules", {
        name: "hourly",
        cron: "0 * * * *",
        modelName: "hourly",
        config: config(),
      })
    ).json();
    const ticker = new Scheduler({
      registry: t.registry,
      queue: t.deps.queue,
      clock: () => new Date(Date.now() + 3_600_000),
    });
    const [outcome] = (await ticker.tick()).filter((o) => o.scheduleId === s.id);
    expect(outcome.decision).toBe("fired");
    const firings = (await send("GET", `/v1/schedules/${s.id}/firings`)).json();
    expect(firings.items).toEqual([
      expect.objectContaining({ decision: "fired", jobId: outcome.jobId, job: `/v1/jobs/${outcome.jobId}` }),
    ]);
    expect((await send("GET", `/v1/schedules/${s.id}`)).json().lastFiredAt).toBe(outcome.tick.toISOString());
  });

  it("answers bad input with 4xx problem+json naming the field", async () => {
    const base = { name: "bad", cron: "0 1 * * 0", config: config() };
    expectProblem(await send("POST", "/v1/schedules", { ...base, cron: "0 25 * * *" }), 400, ["body/cron"]);
    expectProblem(await send("POST", "/v1/schedules", { ...base, timezone: "Europe/Atlantis" }), 400, [
      "body/timezone",
    ]);
    expectProblem(await send("POST", "/v1/schedules", { ...base, config: { target: "y" } }), 400, [
      "body/config/dataset",
    ]);
    expectProblem(await send("POST", "/v1/schedules", { ...base, colour: "red" }), 400, ["body/colour"]);
    expectProblem(await send("POST", "/v1/schedules", { ...base, enabled: "yes" }), 400, ["body/enabled"]);
    expectProblem(await send("POST", "/v1/schedules", { ...base, conditions: { newRows: 0 } }), 400, [
      "body/conditions/newRows",
    ]);
    expectProblem(await send("POST", "/v1/schedules", { ...base, conditions: { maxAgeDays: 9 } }), 400, [
      "body/conditions/maxAgeDays",
    ]);
    expectProblem(await send("POST", "/v1/schedules", { cron: "0 1 * * 0" }), 400, [
      "body/name",
      "body/config",
    ]);
    const malformed = await t.app.inject({
      method: "POST",
      url: "/v1/schedules",
      headers: { "content-type": "application/json" },
      payload: '{"name": "x",',
    });
    expectProblem(malformed, 400);
    await send("POST", "/v1/schedules", { ...base, name: "taken" });
    expectProblem(await send("POST", "/v1/schedules", { ...base, name: "taken" }), 409);
    expectProblem(await send("PATCH", "/v1/schedules/taken", {}), 400);
    expectProblem(await send("PATCH", "/v1/schedules/taken", { cron: "nope" }), 400, ["body/cron"]);
    expectProblem(await send("PATCH", "/v1/schedules/nothing", { enabled: false }), 404);
    expectProblem(await send("GET", "/v1/schedules?limit=0"), 400, ["querystring/limit"]);
    expectProblem(await send("DELETE", "/v1/schedules/999999"), 404);
  });
});

describe("triggers API", () => {
  it("creates a trigger with the default conditions and checks it on demand", async () => {
    const res = await send("POST", "/v1/triggers", {
      name: "grow",
      modelName: "grower",
      config: { dataset: { datasetId }, target: "y" },
    });
    expect(res.statusCode, res.body).toBe(201);
    const trig = res.json();
    expect(trig).toMatchObject({ datasetId, conditions: { newRows: 1000, maxAgeDays: 90 }, lastJobId: null });

    const no = (await send("POST", `/v1/triggers/${trig.id}/evaluate`)).json();
    expect(no).toMatchObject({ fired: false, jobId: null });
    expect(no.reason).toMatch(/0 new rows < 1000/);

    await t.registry.datasets.appended(datasetId, 1000, { rows: 1100, fingerprint: "x" });
    const yes = (await send("POST", "/v1/triggers/grow/evaluate")).json();
    expect(yes).toMatchObject({ fired: true });
    const job = (await t.registry.jobs.get(yes.jobId)).origin;
    expect(job).toEqual({ type: "trigger", id: trig.id, promotion: { auto: false, margin: 0 } });
    const after = (await send("GET", `/v1/triggers/${trig.id}`)).json();
    expect(after.lastJobId).toBe(yes.jobId);
    expect(after.links.lastJob).toBe(`/v1/jobs/${yes.jobId}`);

    const patched = await send("PATCH", "/v1/triggers/grow", {
      conditions: { datasetReady: true },
      enabled: false,
    });
    expect(patched.json()).toMatchObject({ conditions: { datasetReady: true }, enabled: false });
    expect(
      (await send("GET", "/v1/triggers?enabled=false")).json().items.map((x: { id: number }) => x.id),
    ).toEqual([trig.id]);
    expect((await send("DELETE", "/v1/triggers/grow")).statusCode).toBe(204);
  });

  it("answers bad input with 4xx problem+json naming the field", async () => {
    const base = { name: "t-bad", modelName: "m", config: { dataset: { datasetId }, target: "y" } };
    expectProblem(await send("POST", "/v1/triggers", { ...base, datasetId: 987654 }), 400, [
      "body/datasetId",
    ]);
    expectProblem(await send("POST", "/v1/triggers", { ...base, datasetId: "one" }), 400, ["body/datasetId"]);
    expectProblem(await send("POST", "/v1/triggers", { ...base, modelName: "a b" }), 400, ["body/modelName"]);
    expectProblem(await send("POST", "/v1/triggers", { ...base, conditions: { rows: 5 } }), 400, [
      "body/conditions/rows",
    ]);
    expectProblem(await send("POST", "/v1/triggers", { ...base, promotion: { margin: -1 } }), 400, [
      "body/promotion/margin",
    ]);
    expectProblem(
      await send("POST", "/v1/triggers", { ...base, config: { dataset: { path: "/x.csv" }, target: "y" } }),
      400,
      ["body/datasetId"],
    );
    expectProblem(await send("POST", "/v1/triggers/nothing/evaluate"), 404);
  });
});

describe("subscriptions API", () => {
  it("subscribes a webhook, shows its secret once, and logs its deliveries", async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(String(req.headers["x-trainyard-event"]));
      res.statusCode = hits.length === 1 ? 500 : 204;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const res = await send("POST", "/v1/subscriptions", {
        channel: "webhook",
        target: url,
        events: ["job.failed"],
      });
      expect(res.statusCode, res.body).toBe(201);
      const sub = res.json();
      expect(sub.secret).toMatch(/^[0-9a-f]{64}$/);
      const shown = (await send("GET", `/v1/subscriptions/${sub.id}`)).json();
      expect(shown).toMatchObject({
        channel: "webhook",
        target: url,
        events: ["job.failed"],
        hasSecret: true,
      });
      expect(shown.secret).toBeUndefined();

      await publish(t.registry, "job.failed", { jobId: "j1", error: "boom" });
      const dispatcher = new NotificationDispatcher({ registry: t.registry, baseDelayMs: 0 });
      await dispatcher.runOnce();
      await dispatcher.runOnce();
      const log = (await send("GET", `/v1/subscriptions/${sub.id}/deliveries`)).json();
      expect(log.items).toEqual([
        expect.objectContaining({
          event: "job.failed",
          status: "DELIVERED",
          attempts: 2,
          responseStatus: 204,
        }),
      ]);
      const all = (await send("GET", `/v1/deliveries?status=DELIVERED&subscriptionId=${sub.id}`)).json();
      expect(all.items).toHaveLength(1);

      expect((await send("PATCH", `/v1/subscriptions/${sub.id}`, { enabled: false })).json().enabled).toBe(
        false,
      );
      expect((await send("DELETE", `/v1/subscriptions/${sub.id}`)).statusCode).toBe(204);
      expectProblem(await send("GET", `/v1/subscriptions/${sub.id}/deliveries`), 404);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("answers bad input with 4xx problem+json naming the field", async () => {
    expectProblem(await send("POST", "/v1/subscriptions", { channel: "webhook", target: "ftp://x/y" }), 400, [
      "body/target",
    ]);
    expectProblem(await send("POST", "/v1/subscriptions", { channel: "email", target: "nobody" }), 400, [
      "body/target",
    ]);
    expectProblem(await send("POST", "/v1/subscriptions", { channel: "sms", target: "+4912345" }), 400, [
      "body/channel",
    ]);
    expectProblem(
      await send("POST", "/v1/subscriptions", {
        channel: "webhook",
        target: "http://x/",
        events: ["job.exploded"],
      }),
      400,
      ["body/events/0"],
    );
    expectProblem(
      await send("POST", "/v1/subscriptions", { channel: "webhook", target: "http://x/", secret: "short" }),
      400,
      ["body/secret"],
    );
    expectProblem(
      await send("POST", "/v1/subscriptions", { channel: "email", target: "a@b.c", secret: "x".repeat(20) }),
      400,
      ["body/secret"],
    );
    expectProblem(await send("GET", "/v1/subscriptions/abc"), 400, ["params/id"]);
    expectProblem(await send("GET", "/v1/subscriptions/424242"), 404);
    expectProblem(await send("GET", "/v1/deliveries?status=LOST"), 400, ["querystring/status"]);
  });
});

describe("validations API", () => {
  it("lists a model's champion/challenger decisions", async () => {
    await activeModel(t.registry, "judged");
    await t.registry.validations.record({
      modelName: "judged",
      jobId: null,
      metric: "accuracy",
      championVersionId: null,
      challengerVersionId: null,
      championScore: 0.8,
      challengerScore: 0.83,
      margin: 0.01,
      decision: "promoted",
      reason: "wins by 0.03",
    });
    const byModel = (await send("GET", "/v1/models/judged/validations")).json();
    expect(byModel.items).toEqual([
      expect.objectContaining({
        decision: "promoted",
        championScore: 0.8,
        challengerScore: 0.83,
        margin: 0.01,
      }),
    ]);
    expect((await send("GET", "/v1/validations?model=judged")).json().items).toHaveLength(1);
    expect((await send("GET", "/v1/validations?model=other")).json().items).toHaveLength(0);
    expectProblem(await send("GET", "/v1/models/unknown/validations"), 404);
    expectProblem(await send("GET", "/v1/validations?limit=-3"), 400, ["querystring/limit"]);
  });
});
