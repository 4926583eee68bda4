import { afterAll, describe, expect, it } from "vitest";
import { readCsv } from "../../../src/data/csv/read.js";
import {
  BayesSearch,
  type Classifier,
  defaultPreprocessor,
  LogisticRegression,
  Pipeline,
  space,
  WorkerPool,
} from "../../../src/ml/index.js";

const pool = new WorkerPool(2);
afterAll(() => pool.close());

describe("issue 4's done-when: a tuned pipeline from the library API", () => {
  it("imputer + one-hot + scaler + LogisticRegression, 30-trial Bayesian search with 5-fold CV on breast_cancer, reproducible", async () => {
    const table = await readCsv(
      new URL("../../../examples/reference/breast_cancer.csv", import.meta.url).pathname,
    );
    const X = table.drop(["target"]);
    const y = table.column("target");
    const pipe = new Pipeline([
      ["prep", defaultPreprocessor()],
      ["model", new LogisticRegression({ maxIter: 200 })],
    ]);
    const search = () =>
      new BayesSearch(
        pipe,
        { model__C: space.logUniform(1e-3, 1e2), model__fitIntercept: space.choice([true, false]) },
        { nTrials: 30, cv: 5, scoring: ["roc_auc", "accuracy"], seed: 42, pool },
      ).fit(X, y);
    const a = await search();
    const b = await search();
    expect(a.trials.length).toBe(30);
    expect(b.trials.map((t) => [t.params, t.foldScores])).toEqual(
      a.trials.map((t) => [t.params, t.foldScores]),
    );
    expect(a.trials.every((t) => t.status === "ok")).toBe(true);
    expect(a.bestScore).toBeGreaterThan(0.98);
    const best = a.bestEstimator as Pipeline<Classifier>;
    expect(best.isFitted).toBe(true);
    expect((best.namedSteps.model as LogisticRegression).params.C).toBe(a.bestParams.model__C);
    expect(best.predict(X.head(3))).toHaveLength(3);
  });
});
