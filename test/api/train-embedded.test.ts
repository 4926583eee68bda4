import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUTURE_SKILLS_ROW } from "../../examples/sample-rows.js";
import { createQueue } from "../../src/jobs/index.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import { openApp, type TestApp } from "./setup.js";

// The whole path over a real listening socket: train on the embedded queue's worker thread,
// follow it on the SSE stream, see it on the status page, then predict with the new model.
const SKILLS = resolve(import.meta.dirname, "../../examples/future_skills.csv");

// biome-ignore lint/suspicious/noExplicitAny: JSON responses are read loosely here.
type Json = Record<string, any>;
let t: TestApp;
let queue: JobQueue;
let base: string;
beforeAll(async () => {
  t = await openApp();
  queue = await createQueue({ registry: t.registry, heartbeatMs: 200, progressMs: 100 });
  t.deps.queue = queue; // route plugins read deps at request time
  base = await t.app.listen({ port: 0, host: "127.0.0.1" });
}, 120_000);
afterAll(async () => {
  await queue.close({ graceMs: 1000 });
  await t.close();
}, 60_000);

async function post(path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    body: (await res.json()) as Json,
  };
}

describe("training over HTTP on the embedded queue", () => {
  it("trains, streams progress to completion, activates and predicts", async () => {
    const started = await post("/v1/train", {
      dataset: { path: SKILLS },
      target: "future_skill_priority",
      algorithms: ["random_forest", "logistic_regression"],
      hyperparameters: { random_forest: { nEstimators: 10 } },
      model: { name: "skills", version: "v1" },
    });
    expect(started.status).toBe(202);
    const jobId = started.body.jobId as string;

    const res = await fetch(`${base}/v1/jobs/${jobId}/events?pollMs=100`);
    const text = await res.text(); // the stream ends when the job does
    expect(text).toContain("event: snapshot");
    expect(text).toMatch(/event: (progress|started)/);
    expect(text).toMatch(/event: completed\ndata: .*"status":"COMPLETED"/);

    const job = (await (await fetch(`${base}/v1/jobs/${jobId}`)).json()) as Json;
    expect(job).toMatchObject({ status: "COMPLETED", progress: 100, attempts: 1 });
    expect(job.timings.runMs).toBeGreaterThan(0);
    expect(job.result).toBeTruthy();

    const status = (await (await fetch(`${base}/v1/status`)).json()) as Json;
    expect(status.jobs.COMPLETED).toBe(1);
    expect(status.workers.length).toBeGreaterThan(0);
    expect(status.models.items).toContainEqual(
      expect.objectContaining({ name: "skills", activeVersion: "v1" }),
    );

    const row = FUTURE_SKILLS_ROW;
    const p = await post("/v1/models/skills/predict", { rows: [row], unknownFields: "ignore" });
    expect(p.status).toBe(200);
    expect(p.body.predictions[0].prediction).toMatch(/^(HIGH|MEDIUM|LOW)$/);
  });

  it("cancels a queued job before it runs", async () => {
    const a = await post("/v1/train", {
      dataset: { path: SKILLS },
      target: "future_skill_priority",
      model: { name: "c1" },
    });
    const b = await post("/v1/train", {
      dataset: { path: SKILLS },
      target: "future_skill_priority",
      model: { name: "c2" },
    });
    const res = await fetch(`${base}/v1/jobs/${b.body.jobId}/cancel`, { method: "POST" });
    expect(res.status).toBe(202);
    const after = (await (await fetch(`${base}/v1/jobs/${b.body.jobId}`)).json()) as Json;
    expect(["CANCELLED", "RUNNING"]).toContain(after.status);
    expect(after.cancelRequested).toBe(true);
    await fetch(`${base}/v1/jobs/${a.body.jobId}`, { method: "DELETE" });
  });
});
