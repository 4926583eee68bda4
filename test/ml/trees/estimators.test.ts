import { describe, expect, it } from "vitest";
import { readCsv } from "../../../src/data/index.js";
import { createEstimator } from "../../../src/ml/catalog.js";
import { ParameterError } from "../../../src/ml/errors.js";
import { FeatureMatrix } from "../../../src/ml/features.js";
import { trainTestSplit } from "../../../src/ml/selection/holdout.js";
import { classTarget } from "../../../src/ml/target.js";
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../../src/ml/trees/index.js";
import { accuracy, synthetic } from "./helpers.js";

async function dataset(name: string) {
  const t = await readCsv(`examples/reference/${name}.csv`);
  const X = t.drop(["target"]);
  const split = trainTestSplit(t.nRows, { testSize: 0.25, seed: 7 });
  const y = classTarget(t.column("target"));
  const labels = Array.from(y.codes, (c) => y.classes[c]);
  return {
    Xtr: X.take(split.train),
    Xte: X.take(split.test),
    ytr: Array.from(split.train, (i) => labels[i]),
    yte: Array.from(split.test, (i) => labels[i]),
  };
}

describe("tree classifiers on reference data", () => {
  for (const name of ["breast_cancer", "iris"]) {
    it(`classify ${name} about as well as scikit-learn does`, async () => {
      const d = await dataset(name);
      const floor = name === "iris" ? 0.89 : 0.91;
      for (const m of [
        new DecisionTreeClassifier(),
        new RandomForestClassifier({ nEstimators: 50 }),
        new GradientBoostingClassifier({ nEstimators: 60 }),
      ]) {
        await m.fit(d.Xtr, d.ytr);
        // A single tree varies more than the ensembles (scikit-learn's scores about 0.90–0.93 here).
        const slack = m.kind === "decision_tree_classifier" ? 0.03 : 0;
        expect(accuracy(m.predict(d.Xte), d.yte), m.kind).toBeGreaterThan(floor - slack);
        const imp = m.featureImportances();
        expect(imp.length).toBe(m.featureNames.length);
        expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        expect(m.featureImportances("split").reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }
    });
  }
});

describe("missing values and categorical features", () => {
  it("are used without preprocessing, and unseen levels at predict are treated as missing", async () => {
    const train = synthetic(3000, 1);
    const test = synthetic(1000, 2);
    for (const m of [
      new DecisionTreeClassifier({ maxDepth: 8 }),
      new RandomForestClassifier({ nEstimators: 30 }),
      new GradientBoostingClassifier({ nEstimators: 50 }),
    ]) {
      await m.fit(train.X, train.y);
      expect(accuracy(m.predict(test.X), test.y), m.kind).toBeGreaterThan(0.8);
      const names = m.featureNames;
      const imp = m.featureImportances();
      expect(imp[names.indexOf("cat")]).toBeGreaterThan(0.05);
    }
    // A test matrix whose categorical levels differ from those at fit time.
    const m = await new GradientBoostingClassifier({ nEstimators: 20 }).fit(train.X, train.y);
    const f = test.X.features;
    const other = new FeatureMatrix(
      [
        f[0],
        f[1],
        f[2],
        { kind: "categorical", name: "cat", codes: new Int32Array(1000).fill(0), levels: ["zz"] },
      ],
      1000,
    );
    const p = m.predictProba(other);
    for (const v of p) expect(Number.isFinite(v)).toBe(true);
  });
});

describe("regressors", () => {
  it("fit a smooth function with every loss", async () => {
    const n = 2000;
    const x = new Float64Array(n);
    const z = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = ((i * 7919) % n) / n;
      z[i] = ((i * 104729) % n) / n;
      y[i] = Math.sin(6 * x[i]) + z[i] * z[i];
    }
    const X = new FeatureMatrix(
      [
        { kind: "numeric", name: "x", values: x },
        { kind: "numeric", name: "z", values: z },
      ],
      n,
    );
    const r2 = (p: Float64Array) => {
      let mean = 0;
      for (const v of y) mean += v / n;
      let a = 0;
      let b = 0;
      for (let i = 0; i < n; i++) {
        a += (y[i] - p[i]) ** 2;
        b += (y[i] - mean) ** 2;
      }
      return 1 - a / b;
    };
    for (const m of [
      new DecisionTreeRegressor({ maxDepth: 10 }),
      new RandomForestRegressor({ nEstimators: 20 }),
      new GradientBoostingRegressor({ nEstimators: 100 }),
      new GradientBoostingRegressor({ nEstimators: 100, loss: "absolute_error" }),
      new GradientBoostingRegressor({ nEstimators: 100, loss: "huber", huberDelta: 0.5 }),
    ]) {
      await m.fit(X, y);
      expect(r2(m.predict(X)), `${m.kind} ${"loss" in m.params ? m.params.loss : ""}`).toBeGreaterThan(0.95);
    }
  });
});

describe("gradient boosting monitoring", () => {
  it("records the metric per round and stops early on the validation rows", async () => {
    const d = synthetic(2000, 3);
    const m = await new GradientBoostingClassifier({
      nEstimators: 400,
      learningRate: 0.3,
      earlyStoppingRounds: 5,
      evalMetric: "logloss",
    }).fit(d.X, d.y);
    const h = m.evalHistory;
    expect(h.metric).toBe("logloss");
    expect(h.valid.length).toBe(h.train.length);
    expect(h.valid.length).toBeLessThan(400);
    const best = m.bestIteration as number;
    expect(best).toBeGreaterThan(0);
    expect(m.nTrees).toBe(best);
    expect(h.valid[best - 1]).toBe(Math.min(...h.valid));
    // Without early stopping nothing is held out or truncated.
    const plain = await new GradientBoostingClassifier({ nEstimators: 10 }).fit(d.X, d.y);
    expect(plain.nTrees).toBe(10);
    expect(plain.bestIteration).toBeNull();
  });

  it("grows one tree per class and round for more than two classes", async () => {
    const d = synthetic(1500, 4, 3);
    const m = await new GradientBoostingClassifier({ nEstimators: 10 }).fit(d.X, d.y);
    expect(m.classes).toEqual([0, 1, 2]);
    expect(m.nTrees).toBe(30);
  });
});

describe("random forest options", () => {
  it("reports an out-of-bag score close to the test score, and takes class weights", async () => {
    const train = synthetic(3000, 5);
    const test = synthetic(2000, 6);
    const m = await new RandomForestClassifier({ nEstimators: 40, oobScore: true }).fit(train.X, train.y);
    const acc = accuracy(m.predict(test.X), test.y);
    expect(Math.abs((m.oobScore as number) - acc)).toBeLessThan(0.04);
    for (const classWeight of ["balanced", "balanced_subsample", { "0": 1, "1": 3 }] as const) {
      const w = await new RandomForestClassifier({ nEstimators: 10, classWeight }).fit(train.X, train.y);
      expect(accuracy(w.predict(test.X), test.y)).toBeGreaterThan(0.75);
    }
    const r = await new RandomForestRegressor({ nEstimators: 20, oobScore: true, maxFeatures: "log2" }).fit(
      train.X,
      Float64Array.from(train.y),
    );
    expect(r.oobScore).toBeGreaterThan(0.3);
  });
});

describe("params", () => {
  it("are validated with the parameter named, and the catalog builds every kind", () => {
    expect(() => new RandomForestClassifier({ nEstimators: 0 })).toThrow(ParameterError);
    expect(() => new RandomForestClassifier({ maxFeatures: "cube" as never })).toThrow(/maxFeatures/);
    expect(() => new GradientBoostingRegressor({ loss: "log_loss" as never })).toThrow(/loss/);
    expect(() => new GradientBoostingClassifier({ learningRate: -1 })).toThrow(/learningRate/);
    expect(() => new DecisionTreeClassifier({ maxBins: 256 })).toThrow(/maxBins/);
    for (const kind of [
      "decision_tree_classifier",
      "decision_tree_regressor",
      "random_forest_classifier",
      "random_forest_regressor",
      "gradient_boosting_classifier",
      "gradient_boosting_regressor",
    ]) {
      const e = createEstimator({ kind, params: { maxBins: 63 } });
      expect(e.kind).toBe(kind);
      expect(e.toSpec()).toEqual({ kind, params: (e as { params: object }).params });
      expect((e.clone() as { params: { maxBins: number } }).params.maxBins).toBe(63);
    }
    const rf = new RandomForestClassifier();
    expect(rf.params.maxFeatures).toBe("sqrt");
    expect(new RandomForestRegressor().params.maxFeatures).toBe(1);
  });
});
