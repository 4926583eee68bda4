import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tableFromRecords } from "../../../src/data/builder.js";
import { Random } from "../../../src/data/random.js";
import { createEstimator, estimatorFromParts, loadModel, saveModel } from "../../../src/ml/catalog.js";
import { InputError, ModelFormatError, NotFittedError, ParameterError } from "../../../src/ml/errors.js";
import type { ModelParts } from "../../../src/ml/estimator.js";
import { type Feature, FeatureMatrix } from "../../../src/ml/features.js";
import { decodeModel, encodeModel } from "../../../src/ml/model-file.js";
import { useMatrixBackend } from "../../../src/ml/neural/backend.js";
import { MLPClassifier, type MLPParams, MLPRegressor } from "../../../src/ml/neural/index.js";

/** n rows × d standard-normal features; the class is which of k centres a row's first features point to. */
function blobs(
  seed: number,
  n: number,
  d: number,
  k: number,
): { X: FeatureMatrix; y: number[]; yReg: Float64Array } {
  const rng = new Random(seed);
  const cols = Array.from({ length: d }, () => new Float64Array(n));
  const y: number[] = [];
  const yReg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    y.push(c);
    for (let j = 0; j < d; j++) cols[j][i] = rng.normal() + (j === c % d ? 2 : 0);
    yReg[i] = 3 * cols[0][i] - 2 * (d > 1 ? cols[1][i] : 0) + 0.1 * rng.normal();
  }
  const features: Feature[] = cols.map((values, j) => ({ kind: "numeric", name: `x${j}`, values }));
  return { X: new FeatureMatrix(features, n), y, yReg };
}

const small = { hiddenLayerSizes: [8], maxIter: 15 };

describe("MLPClassifier properties", () => {
  it("gives probabilities that sum to 1 (2 to 5 classes, any activation and solver)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 2, max: 5 }),
        fc.constantFrom("relu", "tanh", "logistic", "identity" as const),
        fc.constantFrom("adam", "sgd" as const),
        async (seed, k, activation, solver) => {
          const { X, y } = blobs(seed, 40, 3, k);
          const m = await new MLPClassifier({ ...small, activation, solver, randomState: seed }).fit(X, y);
          const proba = m.predictProba(X);
          const kk = m.classes.length;
          expect(proba.length).toBe(40 * kk);
          for (let i = 0; i < 40; i++) {
            let s = 0;
            for (let c = 0; c < kk; c++) {
              expect(proba[i * kk + c]).toBeGreaterThanOrEqual(0);
              s += proba[i * kk + c];
            }
            expect(Math.abs(s - 1)).toBeLessThan(1e-12);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("is deterministic: the same seed gives the same weights and predictions, another seed others", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), async (seed) => {
        const { X, y } = blobs(3, 60, 4, 3);
        const params = { ...small, randomState: seed, earlyStopping: true, validationFraction: 0.2 };
        const a = await new MLPClassifier(params).fit(X, y);
        const b = await new MLPClassifier(params).fit(X, y);
        expect(b.toParts().arrays).toEqual(a.toParts().arrays);
        expect(b.predictProba(X)).toEqual(a.predictProba(X));
        expect(b.lossCurve).toEqual(a.lossCurve);
        const c = await new MLPClassifier({ ...params, randomState: (seed ^ 1) >>> 0 }).fit(X, y);
        expect(c.toParts().arrays["layer0.weights"]).not.toEqual(a.toParts().arrays["layer0.weights"]);
      }),
      { numRuns: 10 },
    );
  });

  it("learns separable blobs and records one loss and one validation score per epoch", async () => {
    const { X, y } = blobs(1, 300, 4, 3);
    const m = await new MLPClassifier({
      hiddenLayerSizes: [16, 8],
      learningRateInit: 0.01,
      maxIter: 100,
      earlyStopping: true,
    }).fit(X, y);
    const pred = m.predict(X);
    expect(pred.filter((p, i) => p === y[i]).length / y.length).toBeGreaterThan(0.85);
    expect(m.lossCurve.length).toBe(m.nIter);
    expect(m.validationScores.length).toBe(m.nIter);
    expect(m.classes).toEqual([0, 1, 2]);
  });

  it("warns when it runs out of epochs, and not when it converged", async () => {
    const { X, y } = blobs(2, 100, 3, 2);
    const short = await new MLPClassifier({ ...small, maxIter: 3 }).fit(X, y);
    expect(short.warnings.join()).toMatch(/maximum iterations \(3\) reached/);
    const long = await new MLPClassifier({ ...small, maxIter: 2000, tol: 0.01 }).fit(X, y);
    expect(long.nIter).toBeLessThan(2000);
    expect(long.warnings).toEqual([]);
  });

  it("stops SGD with an adaptive rate only after dividing the rate down", async () => {
    const { X, y } = blobs(2, 100, 3, 2);
    const params = { ...small, solver: "sgd", maxIter: 500, tol: 0.05, nIterNoChange: 2 } as const;
    const constant = await new MLPClassifier(params).fit(X, y);
    const adaptive = await new MLPClassifier({ ...params, learningRate: "adaptive" }).fit(X, y);
    expect(adaptive.nIter).toBeGreaterThan(constant.nIter);
  });

  it("takes row weights: a zero weight removes a row's influence", async () => {
    const { X, y } = blobs(4, 80, 3, 2);
    const w = Float64Array.from({ length: 80 }, (_, i) => (i < 60 ? 1 : 0));
    const params = { ...small, shuffle: false, batchSize: 80 };
    const weighted = await new MLPClassifier(params).fit(X, y, { sampleWeight: w });
    const flipped = y.map((c, i) => (i < 60 ? c : 1 - c));
    const weightedFlipped = await new MLPClassifier(params).fit(X, flipped, { sampleWeight: w });
    expect(weightedFlipped.predictProba(X)).toEqual(weighted.predictProba(X));
    const unweightedFlipped = await new MLPClassifier(params).fit(X, flipped);
    expect(unweightedFlipped.predictProba(X)).not.toEqual(weighted.predictProba(X));
  });
});

describe("inputs", () => {
  it("takes one-hot indicator features next to numeric ones", async () => {
    const codes = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    const num = Float64Array.from({ length: 60 }, (_, i) => (i % 7) / 7);
    const X = new FeatureMatrix(
      [
        { kind: "numeric", name: "x", values: num },
        { kind: "indicator", name: "c_a", codes, level: 0 },
        { kind: "indicator", name: "c_b", codes, level: 1 },
      ],
      60,
    );
    const y = [...codes].map((c) => (c === 1 ? "b" : "other"));
    const m = await new MLPClassifier({ hiddenLayerSizes: [4], learningRateInit: 0.05, maxIter: 200 }).fit(
      X,
      y,
    );
    expect(m.predict(X)).toEqual(y);
  });
});

describe("matrix backends", () => {
  it("WebAssembly and TypeScript fit the same network (to rounding)", async () => {
    const { X, y } = blobs(11, 150, 5, 3);
    const params: Partial<MLPParams> = { hiddenLayerSizes: [9, 6], activation: "tanh", maxIter: 12 };
    const wasm = await new MLPClassifier(params).fit(X, y);
    useMatrixBackend("typescript");
    try {
      const ts = await new MLPClassifier(params).fit(X, y);
      const a = wasm.predictProba(X);
      const b = ts.predictProba(X);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-9);
      wasm.lossCurve.forEach((l, i) => {
        expect(Math.abs(l - ts.lossCurve[i])).toBeLessThan(1e-9 * l);
      });
    } finally {
      useMatrixBackend("webassembly");
    }
  });
});

describe("MLPRegressor", () => {
  it("fits a linear target closely with the identity activation", async () => {
    const { X, yReg } = blobs(5, 400, 3, 2);
    const m = await new MLPRegressor({
      hiddenLayerSizes: [4],
      activation: "identity",
      learningRateInit: 0.01,
      maxIter: 200,
    }).fit(X, yReg);
    const pred = m.predict(X);
    let res = 0;
    let tot = 0;
    const mean = yReg.reduce((s, v) => s + v, 0) / yReg.length;
    yReg.forEach((v, i) => {
      res += (v - pred[i]) ** 2;
      tot += (v - mean) ** 2;
    });
    expect(1 - res / tot).toBeGreaterThan(0.99);
    expect(m.lossCurve[m.lossCurve.length - 1]).toBeLessThan(m.lossCurve[0]);
  });
});

describe("save and load", () => {
  it("a loaded classifier and regressor predict exactly as the fitted ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trainyard-mlp-"));
    try {
      const { X, y, yReg } = blobs(6, 120, 4, 3);
      const clf = await new MLPClassifier({ hiddenLayerSizes: [7, 5], activation: "tanh", maxIter: 10 }).fit(
        X,
        y.map((c) => `class ${c}`),
      );
      const reg = await new MLPRegressor({ hiddenLayerSizes: [6], maxIter: 10 }).fit(X, yReg);
      await saveModel(join(dir, "clf.tym"), clf);
      await saveModel(join(dir, "reg.tym"), reg);
      const clf2 = (await loadModel(join(dir, "clf.tym"))).estimator as MLPClassifier;
      const reg2 = (await loadModel(join(dir, "reg.tym"))).estimator as MLPRegressor;
      expect(clf2).toBeInstanceOf(MLPClassifier);
      expect(clf2.predictProba(X)).toEqual(clf.predictProba(X));
      expect(clf2.predict(X)).toEqual(clf.predict(X));
      expect(clf2.classes).toEqual(["class 0", "class 1", "class 2"]);
      expect(clf2.lossCurve).toEqual(clf.lossCurve);
      expect(clf2.params).toEqual(clf.params);
      expect(reg2.predict(X)).toEqual(reg.predict(X));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("binary classifiers round-trip through bytes, and specs rebuild unfitted copies", async () => {
    const { X, y } = blobs(7, 50, 3, 2);
    const clf = await new MLPClassifier(small).fit(
      X,
      y.map((c) => c === 1),
    );
    const back = estimatorFromParts(decodeModel(encodeModel(clf.toParts())).parts) as MLPClassifier;
    expect(back.predictProba(X)).toEqual(clf.predictProba(X));
    const fresh = createEstimator(clf.toSpec());
    expect(fresh).toBeInstanceOf(MLPClassifier);
    expect(fresh.isFitted).toBe(false);
    expect(fresh.params).toEqual(clf.params);
    const cloned = clf.clone({ alpha: 0.5 });
    expect(cloned.params.alpha).toBe(0.5);
    expect(cloned.isFitted).toBe(false);
    expect(createEstimator({ kind: "mlp_regressor", params: { maxIter: 3 } })).toBeInstanceOf(MLPRegressor);
  });

  it("refuses damaged or hostile parts with a ModelFormatError", async () => {
    const { X, y } = blobs(8, 50, 3, 3);
    const good = (await new MLPClassifier(small).fit(X, y)).toParts();
    const bad: [string, (p: ModelParts) => ModelParts][] = [
      ["short weights", (p) => ({ ...p, arrays: { ...p.arrays, "layer0.weights": new Float64Array(3) } })],
      ["missing bias", (p) => ({ ...p, arrays: { "layer0.weights": p.arrays["layer0.weights"] } })],
      ["wrong dtype", (p) => ({ ...p, arrays: { ...p.arrays, "layer1.bias": new Float32Array(3) } })],
      [
        "NaN weight",
        (p) => ({ ...p, arrays: { ...p.arrays, "layer1.bias": Float64Array.of(0, Number.NaN, 0) } }),
      ],
      ["huge hidden layers", (p) => ({ ...p, params: { ...p.params, hiddenLayerSizes: [65536, 65536] } })],
      ["sizes disagree", (p) => ({ ...p, state: { ...p.state, sizes: [3, 9, 3] } })],
      ["bad activation", (p) => ({ ...p, params: { ...p.params, activation: "softsign" } })],
      ["one class", (p) => ({ ...p, state: { ...p.state, classes: [1] } })],
      ["duplicate classes", (p) => ({ ...p, state: { ...p.state, classes: [1, 1, 2] } })],
      ["classes not labels", (p) => ({ ...p, state: { ...p.state, classes: [1, [2], 3] } })],
      ["wrong class count", (p) => ({ ...p, state: { ...p.state, classes: [0, 1] } })],
      ["wrong loss", (p) => ({ ...p, state: { ...p.state, loss: "squared_error" } })],
      ["bad loss curve", (p) => ({ ...p, state: { ...p.state, lossCurve: "x" } })],
      ["bad nIter", (p) => ({ ...p, state: { ...p.state, nIter: -1 } })],
      ["no features", (p) => ({ ...p, features: [] })],
      [
        "categorical feature",
        (p) => ({
          ...p,
          features: [{ kind: "categorical", name: "x0", levels: ["a"] }, ...p.features.slice(1)],
        }),
      ],
    ];
    for (const [what, damage] of bad) {
      expect(() => MLPClassifier.fromParts(damage(good)), what).toThrow(ModelFormatError);
    }
  });
});

describe("bad input", () => {
  it("names a bad or unknown parameter", () => {
    expect(() => new MLPClassifier({ activation: "softsign" as "relu" })).toThrow(
      /MLPClassifier\.activation/,
    );
    expect(() => new MLPClassifier({ hiddenLayerSizes: [10, 0] })).toThrow(ParameterError);
    expect(() => new MLPRegressor({ learningRateInit: 0 })).toThrow(/learningRateInit/);
    expect(() => new MLPRegressor({ batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new MLPClassifier({ validationFraction: 1 })).toThrow(/validationFraction/);
    expect(() => new MLPClassifier({ lr: 1 } as object)).toThrow(/MLPClassifier\.lr/);
  });

  it("refuses categorical and missing values, naming the column", async () => {
    const t = tableFromRecords([
      { a: 1, b: "x", y: 0 },
      { a: 2, b: "y", y: 1 },
      { a: 3, b: "x", y: 0 },
    ]);
    const Xcat = t.select(["a", "b"]);
    await expect(new MLPClassifier(small).fit(Xcat, [0, 1, 0])).rejects.toThrow(/"b" is categorical/);
    const withNaN = tableFromRecords([
      { a: 1, c: 0.5 },
      { a: 2, c: null },
      { a: 3, c: 1 },
    ]);
    const err = await new MLPRegressor(small).fit(withNaN, Float64Array.of(1, 2, 3)).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.field).toBe("c");
    expect(err.message).toMatch(/missing value at row 2/);
  });

  it("refuses a bad target, predicting before fit, and a missing column at predict", async () => {
    const { X, y } = blobs(9, 30, 3, 2);
    await expect(
      new MLPClassifier(small).fit(
        X,
        y.map(() => 1),
      ),
    ).rejects.toThrow(/single class/);
    await expect(new MLPClassifier(small).fit(X, y.slice(0, 10))).rejects.toThrow(InputError);
    await expect(new MLPRegressor(small).fit(X, Float64Array.of(1, Number.NaN))).rejects.toThrow(InputError);
    await expect(
      new MLPClassifier(small).fit(X, y, { sampleWeight: new Float64Array(30).fill(-1) }),
    ).rejects.toThrow(/sampleWeight/);
    expect(() => new MLPClassifier(small).predict(X)).toThrow(NotFittedError);
    const m = await new MLPClassifier(small).fit(X, y);
    const fewer = new FeatureMatrix(X.features.slice(1), X.nRows);
    expect(() => m.predict(fewer)).toThrow(/missing feature "x0"/);
  });

  it("stops when the signal aborts", async () => {
    const { X, y } = blobs(10, 200, 3, 2);
    const ac = new AbortController();
    const fit = new MLPClassifier({ ...small, maxIter: 10_000, tol: 0 }).fit(X, y, {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done === 3) ac.abort(new Error("stop now"));
      },
    });
    await expect(fit).rejects.toThrow("stop now");
  });
});
