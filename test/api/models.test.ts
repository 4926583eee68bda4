import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMISSIONS_ROW } from "../../examples/sample-rows.js";
import { Trainer } from "../../src/training/trainer.js";
import { multipartBody } from "./multipart.js";
import { openApp, type TestApp } from "./setup.js";

const ADMISSIONS = resolve(import.meta.dirname, "../../examples/admissions.csv");

let t: TestApp;
const row = ADMISSIONS_ROW;

beforeAll(async () => {
  t = await openApp();
  const trainer = new Trainer({ registry: t.registry });
  for (const [version, nEstimators] of [
    ["v1", 10],
    ["v2", 20],
  ] as const) {
    await trainer.run({
      dataset: { path: ADMISSIONS },
      target: "admitted",
      algorithms: ["random_forest"],
      hyperparameters: { random_forest: { nEstimators, maxDepth: 6 } },
      model: { name: "admit", version, activate: version === "v1" },
    });
  }
}, 300_000);
afterAll(() => t.close());

describe("models", () => {
  it("lists models, gets one and its versions", async () => {
    const list = (await t.app.inject("/v1/models?active=true")).json();
    expect(list.items.map((m: { name: string }) => m.name)).toEqual(["admit"]);
    const m = (await t.app.inject("/v1/models/admit")).json();
    expect(m).toMatchObject({ name: "admit", activeVersion: "v1", versions: 2 });
    const versions = (await t.app.inject("/v1/models/admit/versions?limit=1")).json();
    expect(versions.items.map((v: { version: string }) => v.version)).toEqual(["v2"]);
    expect(versions.next).toContain("offset=1");
    expect((await t.app.inject("/v1/models/nope")).statusCode).toBe(404);
  });

  it("predicts JSON rows with probabilities, by active version, version or alias", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/predict",
      payload: { rows: [row, { ...row, gpa: 2.0 }] },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ model: "admit", version: "v1" });
    expect(body.predictions).toHaveLength(2);
    const p = body.predictions[0];
    expect(["yes", "no"]).toContain(p.prediction);
    expect(p.probabilities.yes + p.probabilities.no).toBeCloseTo(1, 9);
    const v2 = (
      await t.app.inject({
        method: "POST",
        url: "/v1/models/admit/predict",
        payload: { rows: [row], version: "v2" },
      })
    ).json();
    expect(v2.version).toBe("v2");
    await t.registry.models.setAlias("admit", "challenger", "v2");
    const alias = (
      await t.app.inject({
        method: "POST",
        url: "/v1/models/admit/predict",
        payload: { rows: [row], alias: "challenger" },
      })
    ).json();
    expect(alias.version).toBe("v2");
  });

  it("lists every problem of bad rows by row and field (422)", async () => {
    const { gpa: _gpa, ...withoutGpa } = row;
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/predict",
      payload: { rows: [withoutGpa, { ...row, sat_score: "high", colour: "red" }, 7] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers["content-type"]).toMatch(/problem\+json/);
    expect(res.json().errors).toEqual([
      { row: 0, field: "body/rows/0/gpa", message: "is missing" },
      { row: 1, field: "body/rows/1/sat_score", message: "must be a number, got a string" },
      { row: 1, field: "body/rows/1/colour", message: "is not an input of the model" },
      { row: 2, field: "body/rows/2", message: "must be an object of feature values, got a number" },
    ]);
    const ignore = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/predict",
      payload: { rows: [{ ...row, colour: "red" }], unknownFields: "ignore" },
    });
    expect(ignore.statusCode).toBe(200);
    const unknownVersion = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/predict",
      payload: { rows: [row], version: "v9" },
    });
    expect(unknownVersion.statusCode).toBe(404);
    const both = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/predict",
      payload: { rows: [row], version: "v1", alias: "x" },
    });
    expect(both.statusCode).toBe(400);
    const empty = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/predict",
      payload: { rows: [] },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe("body/rows");
  });

  it("activates a version: new requests get it, the audit log and outbox record it", async () => {
    const before = (
      await t.app.inject({ method: "POST", url: "/v1/models/admit/predict", payload: { rows: [row] } })
    ).json();
    expect(before.version).toBe("v1");
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/activate",
      payload: { version: "v2" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: "v2", active: true });
    const after = (
      await t.app.inject({ method: "POST", url: "/v1/models/admit/predict", payload: { rows: [row] } })
    ).json();
    expect(after.version).toBe("v2");
    const audit = await t.registry.audit.list({ action: "model.activate" });
    expect(audit[0]).toMatchObject({ targetId: "admit@v2", details: { previous: "v1" } });
    const missing = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/activate",
      payload: { version: "v7" },
    });
    expect(missing.statusCode).toBe(404);
    await t.app.inject({ method: "POST", url: "/v1/models/admit/activate", payload: { version: "v1" } });
  });

  it("compares versions and serves metrics and importances", async () => {
    const c = (await t.app.inject("/v1/models/admit/compare?versions=v1&versions=v2")).json();
    expect(c.versions.map((v: { version: string }) => v.version)).toEqual(["v1", "v2"]);
    expect(c.metrics.find((m: { name: string }) => m.name === "accuracy").values).toHaveLength(2);
    const commas = (await t.app.inject("/v1/models/admit/compare?versions=v1,v2")).json();
    expect(commas.versions.map((v: { version: string }) => v.version)).toEqual(["v1", "v2"]);
    const one = await t.app.inject("/v1/models/admit/compare?versions=v1");
    expect(one.statusCode).toBe(400);
    const metrics = (await t.app.inject("/v1/models/admit/metrics?version=v2")).json();
    expect(metrics.confusionMatrix).toBeTruthy();
    expect(metrics.perClass).toBeTruthy();
    expect(metrics.metrics.accuracy).toBeGreaterThan(0.5);
    const imp = (await t.app.inject("/v1/models/admit/importance?top=3")).json();
    expect(imp.importances).toHaveLength(3);
    expect(imp.importances[0].importance).toBeGreaterThanOrEqual(imp.importances[2].importance);
  });

  it("computes curves on the held-out rows and draws them as SVG", async () => {
    const c = (await t.app.inject("/v1/models/admit/curves?positiveClass=yes")).json();
    expect(c.data.kind).toBe("held-out");
    expect(c.rows).toBe(600);
    expect(c.roc.auc).toBeGreaterThan(0.6);
    expect(c.roc.fpr[0]).toBe(0);
    expect(c.pr.precision.length).toBe(c.pr.recall.length);
    expect(c.calibration.counts.reduce((a: number, b: number) => a + b, 0)).toBe(600);
    const bad = await t.app.inject("/v1/models/admit/curves?positiveClass=maybe");
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("positiveClass");
    for (const kind of ["confusion_matrix", "roc", "pr", "calibration", "importance"]) {
      const svg = await t.app.inject(`/v1/models/admit/plots/${kind}`);
      expect(svg.statusCode, kind).toBe(200);
      expect(svg.headers["content-type"]).toMatch(/image\/svg\+xml/);
      expect(svg.body).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    // The heat map shows the recorded confusion matrix's counts.
    const metrics = (await t.app.inject("/v1/models/admit/metrics")).json();
    const heat = (await t.app.inject("/v1/models/admit/plots/confusion_matrix")).body;
    for (const count of (metrics.confusionMatrix.matrix as number[][]).flat())
      expect(heat).toContain(`>${count}</text>`);
    expect((await t.app.inject("/v1/models/admit/plots/png?format=svg")).statusCode).toBe(400);
    expect((await t.app.inject("/v1/models/admit/plots/roc?format=png")).statusCode).toBe(406);
  });

  it("explains a row, alone and with a prediction", async () => {
    const e = (
      await t.app.inject({ method: "POST", url: "/v1/models/admit/explain", payload: { row, nSamples: 50 } })
    ).json();
    expect(e.contributions).toHaveLength(13);
    const sum = e.contributions.reduce((a: number, c: { contribution: number }) => a + c.contribution, 0);
    expect(sum).toBeCloseTo(e.prediction - e.baseValue, 1);
    const p = (
      await t.app.inject({
        method: "POST",
        url: "/v1/models/admit/predict",
        payload: { rows: [row], explain: true },
      })
    ).json();
    expect(p.predictions[0].explanation.contributions.length).toBe(13);
  });

  it("predicts a whole file, streamed back as CSV or JSON Lines", async () => {
    const csv =
      "applicant_id,gpa,sat_score,essay_score,ap_courses,extracurricular_count,recommendation_strength,interview_score,family_income,distance_km,intended_major,school_type,region,first_generation\nA1,3.6,1350,8,4,5,4,4,50000,300,Engineering,Public,West,false\nA2,2.1,900,3,0,1,1,1,20000,100,English,Private,South,true\n";
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/predict/batch",
      ...multipartBody({ name: "in.csv", content: csv }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/csv/);
    const lines = res.body.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^applicant_id,.*,prediction,proba_(no|yes),proba_(no|yes)$/);
    const jl = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/predict/batch?format=jsonl",
      ...multipartBody({ name: "in.csv", content: csv }),
    });
    const rows = jl.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows[1]).toMatchObject({ applicant_id: "A2" });
    expect(["yes", "no"]).toContain(rows[1].prediction);
    const missing = await t.app.inject({
      method: "POST",
      url: "/v1/models/admit/predict/batch",
      ...multipartBody({ name: "in.csv", content: "gpa\n3.1\n" }),
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toContain("sat_score");
  });
});
