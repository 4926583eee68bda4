import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { readCsv } from "../../../src/data/csv/read.js";
import type { Table } from "../../../src/data/table.js";
import { ParameterError } from "../../../src/ml/errors.js";
import { LogisticRegression, Ridge } from "../../../src/ml/linear/index.js";
import { WorkerPool } from "../../../src/ml/parallel/pool.js";
import { crossValidate } from "../../../src/ml/selection/cross-validate.js";
import { KFold, RepeatedKFold } from "../../../src/ml/selection/kfold.js";
import { StratifiedKFold } from "../../../src/ml/selection/stratified-kfold.js";

const F = JSON.parse(readFileSync(new URL("../../fixtures/selection/cv.json", import.meta.url), "utf8"));
const pool = new WorkerPool(2);
afterAll(() => pool.close());

async function dataset(name: string): Promise<{ X: Table; y: Table["columns"][number] }> {
  const t = await readCsv(new URL(`../../../examples/reference/${name}.csv`, import.meta.url).pathname);
  return { X: t.drop(["target"]), y: t.column("target") };
}

function close(got: readonly number[], want: readonly number[], rel: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(Math.abs(g - want[i])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(want[i])));
  });
}

describe("crossValidate matches scikit-learn's cross_validate", () => {
  it("Ridge on diabetes: test and train scores, out-of-fold predictions (serial and on 2 workers)", async () => {
    const { X, y } = await dataset("diabetes");
    const scoring = ["r2", "neg_mean_squared_error", "neg_mean_absolute_error"];
    for (const nJobs of [1, 2]) {
      const r = await crossValidate(new Ridge({ alpha: F.ridge.alpha }), X, y, {
        cv: new KFold({ nSplits: 5 }),
        scoring,
        returnTrainScore: true,
        returnOofPredictions: true,
        nJobs,
        pool,
      });
      for (const s of scoring) {
        close(r.test[s].values, F.ridge.test[s], 1e-9);
        close(r.train?.[s].values ?? [], F.ridge.train[s], 1e-9);
      }
      close([...(r.oof?.values ?? [])], F.ridge.oof, 1e-9);
      const m = F.ridge.test.r2.reduce((a: number, b: number) => a + b, 0) / 5;
      expect(r.test.r2.mean).toBeCloseTo(m, 9);
    }
  });

  it("LogisticRegression on iris: accuracy, log loss, macro F1, out-of-fold probabilities", async () => {
    const { X, y } = await dataset("iris");
    const est = new LogisticRegression({ C: F.logistic.C, maxIter: 2000, tol: 1e-10 });
    const r = await crossValidate(est, X, y, {
      cv: 4,
      scoring: ["accuracy", "neg_log_loss", "f1_macro"],
      returnOofPredictions: true,
      returnEstimators: true,
      pool,
    });
    expect(r.cv).toBe(new StratifiedKFold({ nSplits: 4 }).name);
    close(r.test.accuracy.values, F.logistic.test.accuracy, 1e-12);
    close(r.test.f1_macro.values, F.logistic.test.f1_macro, 1e-12);
    close(r.test.neg_log_loss.values, F.logistic.test.neg_log_loss, 1e-5);
    close([...(r.oof?.proba ?? [])], F.logistic.oofProba.flat(), 1e-4);
    expect(r.estimators?.length).toBe(4);
    expect(r.estimators?.[0].isFitted).toBe(true);
    expect(r.oof?.classes).toEqual(["setosa", "versicolor", "virginica"]);
  });
});

describe("crossValidate behaviour", () => {
  it("gives the same scores serially and in parallel, and reports progress per fold", async () => {
    const { X, y } = await dataset("breast_cancer");
    const est = new LogisticRegression({ C: 0.01, maxIter: 50 });
    const seen: number[] = [];
    const a = await crossValidate(est, X, y, { cv: 5, scoring: ["roc_auc", "accuracy"], nJobs: 1 });
    const b = await crossValidate(est, X, y, {
      cv: 5,
      scoring: ["roc_auc", "accuracy"],
      nJobs: 2,
      pool,
      onProgress: (p) => {
        expect(p.total).toBe(5);
        seen.push(p.done);
      },
    });
    expect(b.test).toEqual(a.test);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(a.fitMs.values.every((t) => t >= 0)).toBe(true);
  });

  it("is cancelled by an AbortSignal, in parallel and serially", async () => {
    const { X, y } = await dataset("breast_cancer");
    const est = new LogisticRegression({ maxIter: 100 });
    for (const nJobs of [1, 2]) {
      const ac = new AbortController();
      const p = crossValidate(est, X, y, {
        cv: 5,
        nJobs,
        pool,
        signal: ac.signal,
        onProgress: () => ac.abort(new Error("stop now")),
      });
      await expect(p).rejects.toThrow("stop now");
    }
    const ac = new AbortController();
    ac.abort(new Error("before"));
    await expect(crossValidate(est, X, y, { signal: ac.signal, pool })).rejects.toThrow("before");
  });

  it("refuses bad options with errors naming them", async () => {
    const { X, y } = await dataset("diabetes");
    const ridge = new Ridge();
    const param = async (p: Promise<unknown>) => {
      const e = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ParameterError);
      return (e as ParameterError).param;
    };
    expect(await param(crossValidate(ridge, X, y, { scoring: ["accuracy"] }))).toBe("scoring");
    expect(await param(crossValidate(ridge, X, y, { scoring: ["no_such_metric"] }))).toBe("scoring");
    expect(await param(crossValidate(ridge, X, y, { cv: 1 }))).toBe("cv");
    expect(await param(crossValidate(ridge, X, y, { nJobs: 0 }))).toBe("nJobs");
    const repeated = new RepeatedKFold({ nSplits: 3, nRepeats: 2 });
    expect(await param(crossValidate(ridge, X, y, { cv: repeated, returnOofPredictions: true }))).toBe(
      "returnOofPredictions",
    );
  });

  it("passes an estimator's InputError through from a worker with its class and field", async () => {
    const { X, y } = await dataset("iris");
    // species as a feature: LogisticRegression refuses a categorical column, naming it
    const withCat = X.withColumn({ ...(y as Extract<typeof y, { kind: "categorical" }>), name: "species" });
    const e = await crossValidate(new LogisticRegression(), withCat, y, { cv: 3, nJobs: 2, pool }).catch(
      (x) => x,
    );
    expect(e.name).toBe("InputError");
    expect(e.field).toBe("species");
  });
});
