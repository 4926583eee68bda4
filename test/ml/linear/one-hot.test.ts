import { describe, expect, it } from "vitest";
import { Random } from "../../../src/data/random.js";
import { type Feature, FeatureMatrix } from "../../../src/ml/features.js";
import { Lasso, LinearRegression, LogisticRegression } from "../../../src/ml/linear/index.js";

describe("a 1,000-level one-hot is never densified", () => {
  // 300,000 rows × 999 indicators would be 2.4 GB dense; here it is one Int32Array of codes.
  const n = 300_000;
  const levels = 1000;
  const rng = new Random(5);
  const codes = Int32Array.from({ length: n }, () => rng.int(levels));
  const features: Feature[] = [];
  for (let l = 1; l < levels; l++) features.push({ kind: "indicator", name: `city_${l}`, codes, level: l });
  const X = new FeatureMatrix(features, n);
  const effect = Float64Array.from({ length: levels }, (_, l) => Math.sin(l));
  const y = Float64Array.from(codes, (c) => effect[c] + 0.1 * rng.normal());

  it("LinearRegression on drop-first dummies gives the per-level means", async () => {
    const before = process.memoryUsage().arrayBuffers;
    const m = await new LinearRegression().fit(X, y);
    // Only O(levels²) Gram + O(n) vectors were allocated, far below a dense copy.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(200 * 2 ** 20);
    const sum = new Float64Array(levels);
    const count = new Float64Array(levels);
    for (let i = 0; i < n; i++) {
      sum[codes[i]] += y[i];
      count[codes[i]]++;
    }
    const mean = (l: number) => sum[l] / count[l];
    expect(m.intercept).toBeCloseTo(mean(0), 9);
    for (let l = 1; l < levels; l += 97) expect(m.coef[l - 1]).toBeCloseTo(mean(l) - mean(0), 9);
  }, 60_000);

  it("Lasso and LogisticRegression fit it column-wise", async () => {
    const lasso = await new Lasso({ alpha: 1e-4 }).fit(X, y);
    expect(lasso.warnings).toEqual([]);
    expect(lasso.coef.some((v) => v !== 0)).toBe(true);
    const labels = Array.from(y, (v) => (v > 0 ? "up" : "down"));
    const lr = await new LogisticRegression({ maxIter: 30, nJobs: 1 }).fit(X, labels);
    const p = lr.predictProba(X.take([0, 1, 2]));
    for (let i = 0; i < 3; i++) expect(p[2 * i] + p[2 * i + 1]).toBeCloseTo(1, 12);
    // The fitted score orders the levels as their effects do.
    expect(lr.predict(X.take([codes.indexOf(11)]))[0]).toBe(effect[11] > 0 ? "up" : "down");
  }, 60_000);
});
