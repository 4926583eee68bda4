import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createEstimator, estimatorFromParts, loadModel, saveModel } from "../../../src/ml/catalog.js";
import { InputError, ModelFormatError, NotFittedError, ParameterError } from "../../../src/ml/errors.js";
import type { ModelParts } from "../../../src/ml/estimator.js";
import { type Feature, FeatureMatrix } from "../../../src/ml/features.js";
import {
  ElasticNet,
  Lasso,
  LinearRegression,
  LogisticRegression,
  Ridge,
} from "../../../src/ml/linear/index.js";
import { classTarget, linearTarget, maxAbsDiff, randomMatrix } from "./helpers.js";

const { X, rows } = randomMatrix(11, 50, 3);
const y = linearTarget(rows, 12);
const labels = classTarget(rows, 3, 13);

function withFeature(f: Feature): FeatureMatrix {
  return new FeatureMatrix([...X.features, f], X.nRows);
}

describe("bad input is a typed error naming the column or parameter", () => {
  it("singular design: LinearRegression names the dependent column, Ridge with alpha > 0 fits", async () => {
    const dup = withFeature({
      kind: "numeric",
      name: "x0_twice",
      values: (X.features[0] as { values: Float64Array }).values.map((v) => 2 * v),
    });
    const err = await new LinearRegression().fit(dup, y).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.field).toBe("x0_twice");
    expect(err.message).toMatch(/singular/);
    await expect(new Ridge({ alpha: 0 }).fit(dup, y)).rejects.toThrow(InputError);
    const ridge = await new Ridge({ alpha: 1 }).fit(dup, y);
    expect(ridge.coef.every(Number.isFinite)).toBe(true);
    // A constant column is singular once the intercept is fitted.
    const constant = withFeature({ kind: "numeric", name: "const", values: new Float64Array(50).fill(3) });
    await expect(new LinearRegression().fit(constant, y)).rejects.toThrow(/"const"/);
  });

  it("NaN names the column and the row", async () => {
    const values = new Float64Array(50).fill(1);
    values[6] = Number.NaN;
    const bad = withFeature({ kind: "numeric", name: "age", values });
    for (const m of [new Ridge(), new Lasso(), new LogisticRegression()]) {
      const err = await m.fit(bad, m instanceof LogisticRegression ? labels : y).catch((e) => e);
      expect(err).toBeInstanceOf(InputError);
      expect(err.field).toBe("age");
      expect(err.message).toMatch(/row 7/);
    }
    const fitted = await new Ridge().fit(X, y);
    expect(() =>
      fitted.predict(
        new FeatureMatrix([...X.features.slice(0, 2), { kind: "numeric", name: "x2", values }], 50),
      ),
    ).toThrow(/row 7/);
  });

  it("a categorical feature must be encoded first", async () => {
    const cat = withFeature({ kind: "categorical", name: "city", codes: new Int32Array(50), levels: ["a"] });
    const err = await new LogisticRegression().fit(cat, labels).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.field).toBe("city");
    expect(err.message).toMatch(/encode/);
  });

  it("unknown and out-of-range params", () => {
    expect(() => new Ridge({ alpah: 1 } as never)).toThrow(ParameterError);
    expect(() => new Ridge({ alpha: -1 })).toThrow(/Ridge\.alpha/);
    expect(() => new Lasso({ maxIter: 0 })).toThrow(/Lasso\.maxIter/);
    expect(() => new ElasticNet({ l1Ratio: 1.5 })).toThrow(/ElasticNet\.l1Ratio/);
    expect(() => new LogisticRegression({ C: 0 })).toThrow(/LogisticRegression\.C/);
    expect(() => new LogisticRegression({ penalty: "l3" as never })).toThrow(/LogisticRegression\.penalty/);
    expect(() => new LogisticRegression({ penalty: "elasticnet" })).toThrow(/LogisticRegression\.l1Ratio/);
    expect(() => new LogisticRegression({ classWeight: { a: -1 } })).toThrow(/classWeight/);
    expect(() => createEstimator({ kind: "ridge", params: { solver: "svd" } })).toThrow(/Ridge\.solver/);
  });

  it("a single class, an unknown classWeight label, bad sample weights", async () => {
    const err = await new LogisticRegression().fit(X, new Array(50).fill("yes")).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/at least 2 classes/);
    await expect(new LogisticRegression({ classWeight: { 7: 2 } }).fit(X, labels)).rejects.toThrow(
      /classWeight/,
    );
    await expect(new Ridge().fit(X, y, { sampleWeight: new Float64Array(3) })).rejects.toThrow(
      /sampleWeight/,
    );
    await expect(new Ridge().fit(X, y, { sampleWeight: new Float64Array(50).fill(-1) })).rejects.toThrow(
      /sampleWeight/,
    );
    await expect(new Ridge().fit(X, y.subarray(0, 10))).rejects.toThrow(InputError);
  });

  it("predict before fit and a missing feature at predict time", async () => {
    expect(() => new Lasso().predict(X)).toThrow(NotFittedError);
    const m = await new Ridge().fit(X, y);
    expect(() => m.predict(new FeatureMatrix(X.features.slice(1), 50))).toThrow(/missing feature "x0"/);
  });

  it("maxIter too small gives a convergence warning, not an error", async () => {
    const lr = await new LogisticRegression({ maxIter: 1, tol: 1e-12 }).fit(X, labels);
    expect(lr.warnings[0]).toMatch(/did not converge/);
    const lasso = await new Lasso({ alpha: 0.01, maxIter: 1, tol: 1e-12 }).fit(X, y);
    expect(lasso.warnings[0]).toMatch(/did not converge/);
  });

  it("an aborted signal stops the fit", async () => {
    const ac = new AbortController();
    ac.abort(new Error("stop"));
    await expect(new LogisticRegression().fit(X, labels, { signal: ac.signal })).rejects.toThrow("stop");
    await expect(new Lasso().fit(X, y, { signal: ac.signal })).rejects.toThrow("stop");
  });
});

describe("model files", () => {
  const dir = mkdtempSync(join(tmpdir(), "trainyard-linear-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("save → load gives the same predictions for every linear model", async () => {
    const models = [
      await new LinearRegression().fit(X, y),
      await new Ridge({ alpha: 2 }).fit(X, y),
      await new Lasso({ alpha: 0.1 }).fit(X, y),
      await new ElasticNet({ alpha: 0.1, l1Ratio: 0.3 }).fit(X, y),
    ];
    for (const m of models) {
      const path = join(dir, `${m.kind}.tym`);
      await saveModel(path, m);
      const back = (await loadModel(path)).estimator as typeof m;
      expect(back.kind).toBe(m.kind);
      expect(back.params).toEqual(m.params);
      expect(maxAbsDiff(back.predict(X), m.predict(X))).toBe(0);
    }
    const lr = await new LogisticRegression({ classWeight: { 0: 2 } }).fit(X, labels);
    await saveModel(join(dir, "lr.tym"), lr);
    const back = (await loadModel(join(dir, "lr.tym"))).estimator as LogisticRegression;
    expect(back.classes).toEqual(lr.classes);
    expect(back.predict(X)).toEqual(lr.predict(X));
    expect(maxAbsDiff(back.predictProba(X), lr.predictProba(X))).toBe(0);
    expect(back.featureImportances().reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
  });

  it("hostile parts are refused with ModelFormatError", async () => {
    const good = (await new LogisticRegression().fit(X, labels)).toParts();
    const mutate = (change: Partial<ModelParts>): ModelParts => ({ ...good, ...change });
    const bad: ModelParts[] = [
      mutate({ arrays: { ...good.arrays, coef: new Float64Array(2) } }),
      mutate({ arrays: { ...good.arrays, coef: new Float64Array(9).fill(Number.NaN) } }),
      mutate({ arrays: { ...good.arrays, intercept: new Int32Array(3) } }),
      mutate({ state: { ...good.state, classes: ["a"] } }),
      mutate({ state: { ...good.state, classes: [0, 0, 1] } }),
      mutate({ state: { ...good.state, classes: [0, 1] } }),
      mutate({ state: { ...good.state, nIter: -1 } }),
      mutate({ params: { ...good.params, penalty: "l5" } }),
      mutate({ params: { ...good.params, evil: 1 } }),
      mutate({ features: [{ kind: "categorical", name: "x0", levels: [] }, ...good.features.slice(1)] }),
      mutate({ features: [] }),
    ];
    for (const parts of bad) expect(() => estimatorFromParts(parts)).toThrow(ModelFormatError);
    expect(() => estimatorFromParts({ ...good, kind: "ridge" })).toThrow(ModelFormatError);
  });

  it("clone and toSpec rebuild an unfitted copy", async () => {
    const m = new ElasticNet({ alpha: 0.2 });
    const spec = m.toSpec();
    const rebuilt = createEstimator(spec) as ElasticNet;
    expect(rebuilt.params).toEqual(m.params);
    expect(rebuilt.isFitted).toBe(false);
    const c = (await m.fit(X, y)).clone({ alpha: 0.5 });
    expect(c.isFitted).toBe(false);
    expect(c.params.alpha).toBe(0.5);
    expect(c.params.l1Ratio).toBe(0.5);
  });
});
