import { describe, expect, it } from "vitest";
import { Random } from "../../src/data/random.js";
import { Table } from "../../src/data/table.js";
import { FeatureMatrix } from "../../src/ml/features.js";
import type { Forest } from "../../src/ml/trees/forest.js";
import { predictColumns } from "../../src/ml/trees/forest.js";
import {
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../src/ml/trees/index.js";
import { nodeFractions } from "../../src/ml/trees/shap.js";

/** 4 numeric features (one with missing values) and a 3-level categorical; y depends on x0, x1·c, x2. */
function data(n: number, seed: number) {
  const rng = new Random(seed);
  const x = [0, 1, 2, 3].map(() => new Float64Array(n));
  const codes = new Int32Array(n);
  const yr = new Float64Array(n);
  const yc: string[] = [];
  for (let i = 0; i < n; i++) {
    for (const c of x) c[i] = rng.normal();
    if (rng.next() < 0.1) x[2][i] = Number.NaN;
    codes[i] = rng.int(3);
    const v =
      2 * x[0][i] +
      (codes[i] === 1 ? x[1][i] : -x[1][i]) +
      (Number.isNaN(x[2][i]) ? 1 : x[2][i]) +
      0.3 * rng.normal();
    yr[i] = v;
    yc.push(v > 0 ? "pos" : "neg");
  }
  const X = new Table([
    ...x.map((values, k) => ({ kind: "numeric" as const, name: `x${k}`, values })),
    { kind: "categorical", name: "c", codes, levels: ["a", "b", "c"] },
  ]);
  return { X, yr, yc };
}

type Internals = { state(): { forest: Forest; spec: import("../../src/ml/features.js").FeatureSpec[] } };

/** Exact Shapley values by enumerating feature subsets, with the path-dependent value function. */
function bruteForce(
  model: unknown,
  X: Table,
  background: Table,
  row: number,
  init: number,
  output: number,
  averages: boolean,
) {
  const s = (model as Internals).state();
  const forest = s.forest;
  const M = FeatureMatrix.from(X, s.spec);
  const cols = predictColumns(M);
  const B = FeatureMatrix.from(background, s.spec);
  const frac = nodeFractions(forest, predictColumns(B), B.nRows);
  const a = forest.a;
  const F = cols.length;
  const value = (t: number, j: number, S: number): number => {
    if (a.feature[j] < 0) {
      const leaf = a.left[j];
      if (forest.leafWidth === forest.outWidth) return a.leafValues[leaf * forest.leafWidth + output];
      return t % forest.outWidth === output ? a.leafValues[leaf] : 0;
    }
    const d = a.feature[j];
    if (S & (1 << d)) {
      const x = cols[d][row];
      let left: boolean;
      if (Number.isNaN(x)) left = a.missingLeft[j] === 1;
      else if (a.catStart[j] < 0) left = x <= a.threshold[j];
      else left = ((a.catBits[a.catStart[j] + (x >>> 5)] >>> (x & 31)) & 1) === 1;
      return value(t, left ? a.left[j] : a.right[j], S);
    }
    return frac[a.left[j]] * value(t, a.left[j], S) + frac[a.right[j]] * value(t, a.right[j], S);
  };
  const v = (S: number) => {
    let total = 0;
    for (let t = 0; t < forest.nTrees; t++) total += value(t, a.treeStart[t], S);
    return init + (averages ? total / forest.nTrees : total);
  };
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const phi = new Float64Array(F);
  for (let i = 0; i < F; i++) {
    for (let S = 0; S < 1 << F; S++) {
      if (S & (1 << i)) continue;
      let size = 0;
      for (let k = 0; k < F; k++) if (S & (1 << k)) size++;
      phi[i] += ((fact(size) * fact(F - size - 1)) / fact(F)) * (v(S | (1 << i)) - v(S));
    }
  }
  return phi;
}

describe("TreeSHAP", () => {
  const { X, yr, yc } = data(600, 5);
  const background = X.slice(0, 200);

  it("gradient boosting: φ + expected value = the raw margin (to 1e-9), and equals brute-force Shapley values", async () => {
    const m = await new GradientBoostingClassifier({ nEstimators: 8, numLeaves: 6, randomState: 1 }).fit(
      X,
      yc,
    );
    const rows = X.slice(300, 340);
    const r = m.shapValues(rows, background);
    const margin = m.decisionFunction(rows);
    for (let i = 0; i < rows.nRows; i++) {
      let s = r.expected[0];
      for (let j = 0; j < r.nFeatures; j++) s += r.values[i * r.nFeatures + j];
      expect(Math.abs(s - margin[i])).toBeLessThan(1e-9);
    }
    const init = (m as unknown as { init: number[] }).init[0];
    for (const row of [0, 7, 21]) {
      const exact = bruteForce(m, rows, background, row, init, 0, false);
      for (let j = 0; j < r.nFeatures; j++) expect(r.values[row * r.nFeatures + j]).toBeCloseTo(exact[j], 9);
    }
    // x3 plays no part in y: its values stay small next to x0's
    let x0 = 0;
    let x3 = 0;
    for (let i = 0; i < rows.nRows; i++) {
      x0 += Math.abs(r.values[i * 5]);
      x3 += Math.abs(r.values[i * 5 + 3]);
    }
    expect(x3).toBeLessThan(x0 / 3);
  });

  it("random forests: φ + expected = predicted probability / value for every output; brute force agrees", async () => {
    const rf = await new RandomForestClassifier({ nEstimators: 5, maxDepth: 4, randomState: 2 }).fit(X, yc);
    const rows = X.slice(400, 420);
    const r = rf.shapValues(rows, background);
    const proba = rf.predictProba(rows);
    for (let i = 0; i < rows.nRows; i++) {
      for (let k = 0; k < 2; k++) {
        let s = r.expected[k];
        for (let j = 0; j < 5; j++) s += r.values[(i * 2 + k) * 5 + j];
        expect(Math.abs(s - proba[i * 2 + k])).toBeLessThan(1e-9);
      }
    }
    const exact = bruteForce(rf, rows, background, 3, 0, 1, true);
    for (let j = 0; j < 5; j++) expect(r.values[(3 * 2 + 1) * 5 + j]).toBeCloseTo(exact[j], 9);
    const reg = await new RandomForestRegressor({ nEstimators: 4, maxDepth: 5, randomState: 3 }).fit(X, yr);
    const rr = reg.shapValues(rows, background);
    const pred = reg.predict(rows);
    for (let i = 0; i < rows.nRows; i++) {
      let s = rr.expected[0];
      for (let j = 0; j < 5; j++) s += rr.values[i * 5 + j];
      expect(Math.abs(s - pred[i])).toBeLessThan(1e-9);
    }
  });

  it("the expected value is the background's average raw output", async () => {
    const m = await new GradientBoostingRegressor({ nEstimators: 10, randomState: 1 }).fit(X, yr);
    const r = m.shapValues(X.slice(0, 1), background);
    const avg = m.predict(background).reduce((s, v) => s + v, 0) / background.nRows;
    expect(r.expected[0]).toBeCloseTo(avg, 9);
  });
});
