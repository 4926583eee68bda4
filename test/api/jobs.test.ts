import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApp, type RecordingQueue, type TestApp } from "./setup.js";

const ADMISSIONS = resolve(import.meta.dirname, "../../examples/admissions.csv");
const config = (extra: Record<string, unknown> = {}) => ({
  dataset: { path: ADMISSIONS },
  target: "admitted",
  model: { name: "admit" },
  ...extra,
});

let t: TestApp;
beforeAll(async () => {
  t = await openApp();
}, 120_000);
afterAll(() => t.close());

describe("training jobs", () => {
  it("queues a training job: 202 with its id and links", async () => {
    const res = await t.app.inject({ method: "POST", url: "/v1/train?priority=5", payload: config() });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ status: "QUEUED", links: { self: `/v1/jobs/${body.jobId}` } });
    const job = (await t.app.inject(body.links.self)).json();
    expect(job).toMatchObject({
      id: body.jobId,
      status: "QUEUED",
      progress: 0,
      priority: 5,
      attempts: 0,
      modelName: "admit",
    });
    expect(job.timings.createdAt).toBeDefined();
  });

  it("takes a registered dataset by id or name", async () => {
    const d = (
      await t.app.inject({
        method: "POST",
        url: "/v1/datasets/register",
        payload: { name: "adm", path: ADMISSIONS },
      })
    ).json();
    const byName = await t.app.inject({
      method: "POST",
      url: "/v1/train",
      payload: { ...config(), dataset: { datasetId: "adm" } },
    });
    expect(byName.statusCode).toBe(202);
    expect((await t.app.inject(`/v1/jobs/${byName.json().jobId}`)).json().datasetId).toBe(d.id);
    const unknown = await t.app.inject({
      method: "POST",
      url: "/v1/train",
      payload: { ...config(), dataset: { datasetId: 9999 } },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].field).toBe("body/dataset/datasetId");
  });

  it("names the failing field of a bad configuration", async () => {
    const cases: [unknown, string][] = [
      [{ ...config(), algorithms: ["magic"] }, "body/algorithms/0"],
      [{ ...config(), testSplit: "big" }, "body/testSplit"],
      [{ ...config(), surprise: true }, "body/surprise"],
      [{ dataset: { path: ADMISSIONS } }, "body/target"],
      [{ ...config(), dataset: { path: "/no/such.csv" } }, "body/dataset/path"],
      [{ ...config(), dataset: {} }, "body/dataset"],
    ];
    for (const [payload, field] of cases) {
      const res = await t.app.inject({ method: "POST", url: "/v1/train", payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers["content-type"]).toMatch(/problem\+json/);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it("says which values a field of literals allows, once", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/train",
      payload: { ...config(), algorithms: ["magic"] },
    });
    const errors = res.json().errors.filter((e: { field: string }) => e.field === "body/algorithms/0");
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^must be one of "random_forest", "gradient_boosting", /);
  });

  it("lists jobs filtered by status and model, paginated", async () => {
    for (let i = 0; i < 3; i++)
      await t.app.inject({ method: "POST", url: "/v1/train", payload: config({ model: { name: "other" } }) });
    const page = (await t.app.inject("/v1/jobs?model=other&limit=2")).json();
    expect(page.items).toHaveLength(2);
    expect(page.next).toContain("offset=2");
    expect((await t.app.inject(page.next)).json().items).toHaveLength(1);
    const queued = (await t.app.inject("/v1/jobs?status=QUEUED&status=RUNNING")).json();
    expect(queued.items.every((j: { status: string }) => j.status === "QUEUED")).toBe(true);
    const commas = (await t.app.inject("/v1/jobs?status=QUEUED,RUNNING")).json();
    expect(commas.items.map((j: { id: string }) => j.id)).toEqual(
      queued.items.map((j: { id: string }) => j.id),
    );
    expect(commas.items.length).toBeGreaterThan(0);
    expect((await t.app.inject("/v1/jobs?status=QUEUED,DONE")).statusCode).toBe(400);
    const bad = await t.app.inject("/v1/jobs?status=DONE");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toMatch(/^querystring\/status/);
  });

  it("cancels with DELETE or POST …/cancel; a second cancel is a 409", async () => {
    const a = (await t.app.inject({ method: "POST", url: "/v1/train", payload: config() })).json();
    const del = await t.app.inject({ method: "DELETE", url: `/v1/jobs/${a.jobId}` });
    expect(del.statusCode).toBe(202);
    expect(del.json().status).toBe("CANCELLED");
    const again = await t.app.inject({ method: "POST", url: `/v1/jobs/${a.jobId}/cancel` });
    expect(again.statusCode).toBe(409);
    const missing = await t.app.inject({ method: "POST", url: "/v1/jobs/nope/cancel" });
    expect(missing.statusCode).toBe(404);
  });

  it("serves logs with a cursor", async () => {
    const a = (await t.app.inject({ method: "POST", url: "/v1/train", payload: config() })).json();
    for (let i = 0; i < 5; i++) await t.registry.jobs.log(a.jobId, "info", `line ${i}`);
    const first = (await t.app.inject(`/v1/jobs/${a.jobId}/logs?limit=3`)).json();
    expect(first.items.map((l: { message: string }) => l.message)).toEqual(["line 0", "line 1", "line 2"]);
    const rest = (await t.app.inject(first.next)).json();
    expect(rest.items.map((l: { message: string }) => l.message)).toEqual(["line 3", "line 4"]);
    expect(rest.next).toBeNull();
  });

  it("streams progress as server-sent events until the job ends", async () => {
    const a = (await t.app.inject({ method: "POST", url: "/v1/train", payload: config() })).json();
    const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
    const res = await fetch(`${address}/v1/jobs/${a.jobId}/events?pollMs=50`);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const body = res.body;
    if (!body) throw new Error("no body");
    const reader = body.getReader();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil("event: snapshot");
    const queue = t.deps.queue as RecordingQueue;
    await t.registry.jobs.claim(a.jobId, "w1");
    queue.emit({
      type: "progress",
      jobId: a.jobId,
      workspace: "default",
      percent: 40,
      stage: "fit",
      at: new Date(),
    });
    await t.registry.jobs.log(a.jobId, "info", "fitting random_forest");
    await readUntil("fitting random_forest");
    await t.registry.jobs.finish(a.jobId, "COMPLETED", { result: { best: "random_forest" } });
    await readUntil("event: completed");
    const { done } = await reader.read();
    expect(done).toBe(true);
    expect(text).toContain('"percent":40');
    expect(text).toMatch(/event: completed\ndata: .*"status":"COMPLETED"/);
  });
});
