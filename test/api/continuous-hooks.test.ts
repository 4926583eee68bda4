import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContinuousTraining, onDatasetAppended } from "../../src/jobs/continuous.js";
import { openApp, type TestApp } from "./setup.js";

// The composition root's wiring: the API's append and ready hooks reach the trigger evaluator.
let t: TestApp;
let continuous: ContinuousTraining;
beforeAll(async () => {
  t = await openApp({
    onAppend: async (d) => {
      await onDatasetAppended(t.registry, d.id);
    },
    onReady: async (d) => {
      await onDatasetAppended(t.registry, d.id);
    },
  });
  continuous = new ContinuousTraining({
    registry: t.registry,
    queue: t.deps.queue,
    scheduleIntervalMs: 3_600_000,
    triggerIntervalMs: 3_600_000,
    notifyIntervalMs: 3_600_000,
  });
  continuous.start();
}, 120_000);
afterAll(async () => {
  await continuous?.stop();
  await t?.close();
});

describe("continuous training behind the API's dataset hooks", () => {
  it("fires a trigger when rows are appended over HTTP, and one when the dataset is marked ready", async () => {
    const path = join(t.home, "iris.csv");
    const lines = Array.from(
      { length: 30 },
      (_, i) => `${4 + (i % 7) / 2},${2 + (i % 5) / 3},${i % 3 === 0 ? "a" : "b"}`,
    );
    writeFileSync(path, `sepal,petal,target\n${lines.join("\n")}\n`);
    const reg = await t.app.inject({
      method: "POST",
      url: "/v1/datasets/register",
      payload: { name: "iris", path },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const ds = reg.json();
    const config = { dataset: { datasetId: ds.id }, target: "target" };
    const rows = await t.app.inject({
      method: "POST",
      url: "/v1/triggers",
      payload: { name: "iris-rows", modelName: "iris", conditions: { newRows: 2 }, config },
    });
    expect(rows.statusCode, rows.body).toBe(201);

    const row = { sepal: 5, petal: 3.4, target: "a" };
    const one = await t.app.inject({
      method: "POST",
      url: `/v1/datasets/${ds.id}/rows`,
      payload: { rows: [row] },
    });
    expect(one.statusCode, one.body).toBe(200);
    expect(await t.registry.jobs.list({ modelName: "iris" })).toHaveLength(0);
    await t.app.inject({ method: "POST", url: `/v1/datasets/${ds.id}/rows`, payload: { rows: [row] } });
    const jobs = await t.registry.jobs.list({ modelName: "iris" });
    expect(jobs).toHaveLength(1);
    expect(jobs[0].origin).toMatchObject({ type: "trigger", id: rows.json().id });
    const trig = (await t.app.inject(`/v1/triggers/${rows.json().id}`)).json();
    expect(trig.lastJobId).toBe(jobs[0].id);

    // A ready trigger on another model of the same dataset.
    await t.app.inject({
      method: "POST",
      url: "/v1/triggers",
      payload: { name: "iris-ready", modelName: "iris-b", conditions: { datasetReady: true }, config },
    });
    const ready = await t.app.inject({ method: "POST", url: `/v1/datasets/${ds.id}/ready` });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(await t.registry.jobs.list({ modelName: "iris-b" })).toHaveLength(1);
  });
});
