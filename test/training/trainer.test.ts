import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qualityReport } from "../../src/data/quality/report.js";
import { readTable } from "../../src/data/read.js";
import { loadModel } from "../../src/ml/catalog.js";
import type { Registry } from "../../src/registry/index.js";
import {
  ConfigError,
  DataQualityError,
  parseTrainingConfig,
  suggest,
  Trainer,
  type TrainingProgress,
} from "../../src/training/index.js";
import { backends } from "../helpers/registries.js";

const SKILLS = { dataset: { path: "examples/future_skills.csv" }, target: "future_skill_priority" };

describe("training configuration", () => {
  it("fills defaults", () => {
    const c = parseTrainingConfig(SKILLS);
    expect(c).toMatchObject({
      task: "auto",
      algorithms: ["random_forest"],
      testSplit: 0.2,
      seed: 42,
      cvFolds: null,
      tuning: { method: "none", trials: 20 },
      model: { activate: "if_none" },
    });
  });

  it("reports every invalid field by its path", () => {
    let err: unknown;
    try {
      parseTrainingConfig({
        ...SKILLS,
        testSplit: 1.5,
        algorithms: ["random_forest", "svm"],
        tuning: { method: "annealing", trials: 0 },
        cvFolds: 2,
        colour: "red",
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const paths = new Set((err as ConfigError).problems.map((p) => p.path));
    for (const p of ["/testSplit", "/algorithms/1", "/tuning/method", "/tuning/trials", "/cvFolds"]) {
      expect(paths.has(p), p).toBe(true);
    }
    expect(() => parseTrainingConfig({ dataset: {}, target: "y" })).toThrow(
      /\/dataset needs a path or a datasetId/,
    );
    expect(() => parseTrainingConfig({ ...SKILLS, hyperparameters: { svm: {} } })).toThrow(
      /\/hyperparameters\/svm/,
    );
  });
});

describe("Trainer", () => {
  it("several algorithms with CV give a leaderboard; the best is refitted and evaluated", async () => {
    const stages: TrainingProgress[] = [];
    const r = await new Trainer({ onProgress: (p) => stages.push(p) }).run({
      dataset: { path: "examples/admissions.csv", exclude: ["applicant_id"] },
      target: "admitted",
      algorithms: ["logistic_regression", "random_forest", "gradient_boosting"],
      hyperparameters: { random_forest: { nEstimators: 40 }, gradient_boosting: { nEstimators: 40 } },
      cvFolds: 3,
      targetMetric: "roc_auc",
    });
    expect(r.task).toBe("binary");
    expect(r.leaderboard).toHaveLength(3);
    const means = r.leaderboard.map((e) => e.cvMean as number);
    expect([...means].sort((a, b) => b - a)).toEqual(means);
    for (const e of r.leaderboard) {
      expect(e.cvMean).toBeGreaterThan(0.7);
      expect(e.cvStd).toBeGreaterThanOrEqual(0);
      expect(e.predictLatencyUs).toBeGreaterThan(0);
    }
    expect(r.best.algorithm).toBe(r.leaderboard[0].algorithm);
    expect(r.best.evaluation.metrics.rocAuc).toBeGreaterThan(0.7);
    expect(r.best.importances.length).toBeGreaterThan(0);
    // progress runs forward from 0 to 100 through the stages
    const pct = stages.map((s) => s.percent);
    expect(pct[0]).toBe(0);
    expect(pct.at(-1)).toBe(100);
    for (let i = 1; i < pct.length; i++) expect(pct[i]).toBeGreaterThanOrEqual(pct[i - 1]);
    expect(new Set(stages.map((s) => s.stage))).toEqual(
      new Set(["load", "validate", "split", "fit", "explain", "save", "record", "done"]),
    );
  }, 300_000);

  it("regression: R², MAE, MSE, RMSE on a numeric target", async () => {
    const r = await new Trainer().run({
      dataset: { path: "examples/reference/diabetes.csv" },
      target: "target",
      algorithms: ["ridge"],
    });
    expect(r.task).toBe("regression");
    const m = r.best.evaluation.metrics;
    expect(m.r2).toBeGreaterThan(0.3);
    expect(m.rmse).toBeCloseTo(Math.sqrt(m.mse as number), 9);
    expect(r.classes).toBeNull();
  }, 120_000);

  it("tuning: a seeded random search is reproducible and records its trials", async () => {
    const config = {
      ...SKILLS,
      algorithms: ["decision_tree" as const],
      tuning: { method: "random" as const, trials: 4 },
      cvFolds: 3,
    };
    const a = await new Trainer().run(config);
    const b = await new Trainer().run(config);
    expect(a.leaderboard[0].trials).toBe(4);
    expect(a.best.params).toEqual(b.best.params);
    expect(a.leaderboard[0].cvMean).toBe(b.leaderboard[0].cvMean);
  }, 300_000);

  it("a row filter keeps only the matching rows", async () => {
    const r = await new Trainer().run({
      dataset: {
        path: "examples/admissions.csv",
        exclude: ["applicant_id"],
        filter: [
          { column: "gpa", op: "ge", value: 3 },
          { column: "region", op: "in", value: ["Northeast", "South"] },
        ],
      },
      target: "admitted",
      hyperparameters: { random_forest: { nEstimators: 10 } },
    });
    const table = await readTable("examples/admissions.csv");
    const gpa = table.column("gpa") as { values: Float64Array };
    const region = table.column("region") as { codes: Int32Array; levels: readonly string[] };
    let expected = 0;
    for (let i = 0; i < table.nRows; i++) {
      const reg = region.levels[region.codes[i]];
      if (gpa.values[i] >= 3 && (reg === "Northeast" || reg === "South")) expected++;
    }
    expect(r.data.rows).toBe(expected);
    expect(r.data.droppedRows).toBe(table.nRows - expected);
  }, 120_000);

  it("fails early with the quality report on unfit data", async () => {
    const err = await new Trainer()
      .run({
        dataset: { path: "examples/future_skills.csv", classes: ["HIGH", "NONE"] },
        target: "future_skill_priority",
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(DataQualityError);
    expect((err as DataQualityError).report.verdict).toBe("unfit");
  });

  it("a dataset larger than resources.memoryMb is refused before it is read whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trainyard-mem-"));
    const path = join(dir, "big.csv");
    const lines = ["a,b,c,y"];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},${i * 0.5},${i % 7},${i % 2}`);
    writeFileSync(path, `${lines.join("\n")}\n`);
    const err = await new Trainer()
      .run({ dataset: { path }, target: "y", resources: { memoryMb: 1 } })
      .catch((e) => e);
    rmSync(dir, { recursive: true, force: true });
    expect(String(err)).toMatch(/big\.csv/);
    expect(String(err)).toMatch(/memory/i);
  });

  it("cancellation stops the training", async () => {
    const controller = new AbortController();
    const run = new Trainer({
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === "fit") controller.abort(new Error("stop"));
      },
    }).run({ ...SKILLS, hyperparameters: { random_forest: { nEstimators: 300 } } });
    await expect(run).rejects.toThrow("stop");
  });

  it("suggests algorithms and a budget from the data profile", async () => {
    const table = await readTable("examples/admissions.csv");
    const s = suggest(qualityReport(table, { target: "admitted" }));
    expect(s.algorithms).toEqual(["gradient_boosting", "random_forest", "logistic_regression", "mlp"]);
    expect(s.targetMetric).toBe("roc_auc");
    expect(s.reasons.length).toBeGreaterThan(3);
  });
});

for (const backend of backends()) {
  describe(`Trainer with a registry on ${backend.name}`, () => {
    let registry: Registry;
    beforeAll(async () => {
      registry = await backend.open({ artifacts: "database" });
    }, 120_000);
    afterAll(async () => {
      await registry?.close();
      await backend.cleanup();
    });

    it("records every candidate as a run and the best as the active first version (database artifacts)", async () => {
      const r = await new Trainer({ registry, jobId: "job-1" }).run({
        ...SKILLS,
        algorithms: ["random_forest", "logistic_regression"],
        hyperparameters: { random_forest: { nEstimators: 30 } },
        cvFolds: 3,
        model: { name: "skills", version: "v1" },
        notes: "leaderboard",
      });
      const runs = await registry.runs.list({ modelName: "skills" });
      expect(runs).toHaveLength(2);
      for (const run of runs) {
        expect(run).toMatchObject({
          status: "COMPLETED",
          jobId: "job-1",
          notes: "leaderboard",
          trainSize: 400,
        });
        expect(Object.keys(run.metrics)).toEqual(
          expect.arrayContaining(["accuracy", "precision", "recall", "f1"]),
        );
      }
      const v = await registry.models.resolve("skills");
      expect(v).toMatchObject({ version: "v1", runId: r.best.runId, active: true });
      expect(v.artifactUri).toMatch(/^db:models\/skills\/v1\.model$/);
      const bytes = await registry.artifacts.get(v.artifactUri, v.checksum);
      expect(bytes.length).toBe(v.sizeBytes);
      // a second version is not activated unless asked
      await new Trainer({ registry }).run({ ...SKILLS, model: { name: "skills", version: "v2" } });
      expect((await registry.models.resolve("skills")).version).toBe("v1");
      expect((await registry.audit.list({ action: "train" })).map((e) => e.targetId)).toEqual(
        expect.arrayContaining(["skills@v1", "skills@v2"]),
      );
    }, 300_000);
  });
}

describe("Trainer savePath", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "trainyard-save-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the model and its metadata without a registry; the model reloads and predicts the same", async () => {
    const path = join(dir, "deep/folder/m.model");
    const r = await new Trainer().run({ ...SKILLS, model: { savePath: path } });
    expect(r.saved).toMatchObject({ path, metadataPath: join(dir, "deep/folder/m.json"), uri: null });
    const loaded = await loadModel(path);
    const table = await readTable("examples/future_skills.csv");
    const est = loaded.estimator as typeof r.best.model;
    expect(est.predictProba(table)).toEqual(r.best.model.predictProba(table));
    expect(loaded.header.metadata).toMatchObject({
      target: "future_skill_priority",
      algorithm: "random_forest",
    });
  }, 120_000);
});
