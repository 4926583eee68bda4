import { existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataLoadError } from "../../src/data/errors.js";
import { readTable } from "../../src/data/read.js";
import { loadModel } from "../../src/ml/catalog.js";
import { Registry } from "../../src/registry/index.js";
import { ModelTrainer, ModelTrainerError, silentLogger, TrainingError } from "../../src/training/index.js";
import { freshHome } from "../helpers/home.js";

// Scenario S1 of SCENARIOS.md, end to end on examples/future_skills.csv.
const DATASET = "examples/future_skills.csv";
let home: string;
let registry: Registry;

beforeAll(async () => {
  home = freshHome("trainyard-s1-");
  registry = await Registry.open({ home });
}, 120_000);
afterAll(async () => {
  await registry?.close();
  rmSync(home, { recursive: true, force: true });
});

const trainer = (extra = {}) =>
  new ModelTrainer({
    datasetPath: DATASET,
    testSplit: 0.2,
    randomState: 42,
    classes: ["HIGH", "MEDIUM"],
    logger: silentLogger(),
    registry,
    ...extra,
  });

describe("S1: ModelTrainer", () => {
  it("loads, validates, filters classes and splits stratified (285/72 of 357)", async () => {
    const t = trainer();
    const s = await t.loadData();
    expect(s).toMatchObject({ rows: 357, features: 11, trainSize: 285, testSize: 72 });
    expect(s.categorical).toEqual(["job_role_name", "skill_name", "skill_category"]);
    expect(s.numeric).toHaveLength(8);
    expect(Object.keys(s.classDistribution).sort()).toEqual(["HIGH", "MEDIUM"]);
    const counts = Object.values(s.classDistribution);
    expect(s.imbalanceRatio).toBeCloseTo(Math.max(...counts) / Math.min(...counts), 12);
  });

  it("trains, evaluates, explains, saves and records a run", async () => {
    const t = trainer();
    await t.loadData();
    expect(() => t.getFeatureImportance()).toThrow(ModelTrainerError);
    const m = await t.train({
      nEstimators: 100,
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      classWeight: "balanced",
    });
    // Real signal: clearly better than the majority class (59%), not perfect.
    expect(m.accuracy).toBeGreaterThan(0.7);
    expect(m.accuracy).toBeLessThan(1);
    expect(m.perClass.map((c) => [c.label, c.support])).toEqual([
      ["HIGH", 29],
      ["MEDIUM", 43],
    ]);
    const cm = m.confusionMatrix;
    expect(cm.labels).toEqual(["HIGH", "MEDIUM"]);
    const correct = cm.matrix[0][0] + cm.matrix[1][1];
    expect(correct / 72).toBeCloseTo(m.accuracy, 12);
    expect(m.perClass[0].accuracy).toBeCloseTo(cm.matrix[0][0] / 29, 12);
    expect(m.classificationReport).toMatch(/precision\s+recall\s+f1-score\s+support/);
    expect(m.f1).toBeGreaterThan(0.6);

    // evaluate on any labelled table gives the same structure
    const table = await readTable(DATASET);
    const again = t.evaluate(table.take(Int32Array.from({ length: 50 }, (_, i) => i)));
    expect(Object.keys(again).sort()).toEqual(Object.keys(m).sort());

    const imp = t.getFeatureImportance();
    expect(imp.some((x) => x.feature === "skill_category_Soft Skill")).toBe(true);
    for (let i = 1; i < imp.length; i++)
      expect(imp[i - 1].importance).toBeGreaterThanOrEqual(imp[i].importance);
    expect(imp.reduce((s, x) => s + x.importance, 0)).toBeCloseTo(1, 9);

    const path = join(home, "artifacts/models/nested/v5.model");
    const saved = await t.saveModel(path);
    expect(statSync(path).size).toBe(saved.sizeBytes);
    const loaded = await loadModel(path);
    expect(loaded.estimator.kind).toBe("pipeline");

    const id = await t.saveTrainingRun({ modelVersion: "v5.0", modelPath: path, notes: "S1" });
    const run = await registry.runs.get(id);
    expect(run).toMatchObject({
      status: "COMPLETED",
      modelVersion: "v5.0",
      modelPath: path,
      notes: "S1",
      algorithm: "random_forest",
      trainSize: 285,
      testSize: 72,
      params: { nEstimators: 100, classWeight: "balanced" },
      metrics: { accuracy: m.accuracy, f1: m.f1 },
    });
    expect(run.importances).toHaveLength(10);
    expect((run.durations as { trainMs: number }).trainMs).toBeGreaterThan(0);
  });

  it("records a failed run with the error and the hyperparameters that were set", async () => {
    const t = trainer();
    await t.loadData();
    await expect(t.train({ nEstimators: 0 })).rejects.toThrow(TrainingError);
    const id = await t.saveFailedTrainingRun({
      modelVersion: "v6.0",
      errorMessage: "nEstimators must be ≥ 1",
    });
    const run = await registry.runs.get(id);
    expect(run).toMatchObject({
      status: "FAILED",
      error: "nEstimators must be ≥ 1",
      params: { nEstimators: 0 },
      modelVersion: "v6.0",
    });
  });

  it("missing file, missing target and missing features raise DataLoadError naming them", async () => {
    await expect(
      new ModelTrainer({ datasetPath: "nope.csv", logger: silentLogger() }).loadData(),
    ).rejects.toThrow(/nope\.csv/);
    await expect(trainer({ target: "priority" }).loadData()).rejects.toThrow(DataLoadError);
    await expect(trainer({ target: "priority" }).loadData()).rejects.toThrow(/"priority"/);
    await expect(trainer({ features: ["trend_score", "salary"] }).loadData()).rejects.toThrow(/"salary"/);
    const err = await trainer({ features: ["salary"] })
      .loadData()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ModelTrainerError);
    expect(existsSync("nope.csv")).toBe(false);
  });
});
