import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random } from "../../../src/data/random.js";
import { FeatureMatrix } from "../../../src/ml/features.js";
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../../src/ml/trees/index.js";
import { numericMatrix } from "./helpers.js";

const RUNS = { numRuns: 15 };

/** Rows of small features (3 decimals, some missing) and an integer label in [0, k). */
const table = (k: number) =>
  fc
    .integer({ min: 8, max: 60 })
    .chain((n) =>
      fc.tuple(
        fc.array(
          fc.array(
            fc.oneof(
              fc.integer({ min: -3000, max: 3000 }).map((v) => v / 1000),
              fc.constant(Number.NaN),
            ),
            { minLength: n, maxLength: n },
          ),
          { minLength: 1, maxLength: 3 },
        ),
        fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
      ),
    )
    .map(([cols, y]) => ({ X: numericMatrix(cols.map((c) => Float64Array.from(c))), y }));

const distinct = fc
  .integer({ min: 8, max: 60 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.uniqueArray(fc.integer({ min: -5000, max: 5000 }), { minLength: n, maxLength: n }), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
    ),
  )
  .map(([cols, y]) => ({ X: numericMatrix(cols.map((c) => Float64Array.from(c, (v) => v / 1000))), y }));

const small = { nEstimators: 5, minChildSamples: 1 };

describe("tree invariants (fast-check)", () => {
  it("predicted probabilities are in [0, 1] and sum to 1", async () => {
    await fc.assert(
      fc.asyncProperty(table(3), async ({ X, y }) => {
        for (const m of [
          new DecisionTreeClassifier(),
          new RandomForestClassifier({ nEstimators: 5 }),
          new GradientBoostingClassifier(small),
        ]) {
          await m.fit(X, y);
          const p = m.predictProba(X);
          const k = m.classes.length;
          expect(p.length).toBe(X.nRows * k);
          for (let i = 0; i < X.nRows; i++) {
            let s = 0;
            for (let c = 0; c < k; c++) {
              expect(p[i * k + c]).toBeGreaterThanOrEqual(0);
              expect(p[i * k + c]).toBeLessThanOrEqual(1 + 1e-12);
              s += p[i * k + c];
            }
            expect(Math.abs(s - 1)).toBeLessThan(1e-9);
          }
        }
      }),
      RUNS,
    );
  });

  it("a constant target gives a constant model", async () => {
    await fc.assert(
      fc.asyncProperty(table(2), fc.double({ min: -1e6, max: 1e6, noNaN: true }), async ({ X }, c) => {
        const y = new Float64Array(X.nRows).fill(c);
        for (const m of [
          new DecisionTreeRegressor(),
          new RandomForestRegressor({ nEstimators: 3 }),
          new GradientBoostingRegressor(small),
        ]) {
          await m.fit(X, y);
          for (const v of m.predict(X))
            expect(Math.abs(v - c)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c)));
          expect(m.toParts().arrays.feature.every((f: number) => f === -1)).toBe(true);
        }
        const labels = new Array<string>(X.nRows).fill("only");
        const k = await new RandomForestClassifier({ nEstimators: 3 }).fit(X, labels);
        expect(k.predict(X).every((l) => l === "only")).toBe(true);
      }),
      RUNS,
    );
  });

  it("duplicating every row with half the weight gives the same model", async () => {
    await fc.assert(
      // Distinct feature values and dyadic targets: no two splits tie on gain, so that the
      // order in which equal weights are summed cannot pick a different one.
      fc.asyncProperty(distinct, async ({ X, y }) => {
        const n = X.nRows;
        const twice = Int32Array.from({ length: 2 * n }, (_, i) => i >> 1);
        const X2 = X.take(twice);
        const y2 = Array.from(twice, (i) => y[i]);
        const yr = Float64Array.from(y, (v, i) => v + (i % 7) / 8);
        const yr2 = Float64Array.from(twice, (i) => yr[i]);
        const half = new Float64Array(2 * n).fill(0.5);
        const pairs: [() => Promise<Float64Array>, () => Promise<Float64Array>][] = [
          [
            async () => (await new DecisionTreeClassifier().fit(X, y)).predictProba(X),
            async () =>
              (await new DecisionTreeClassifier().fit(X2, y2, { sampleWeight: half })).predictProba(X),
          ],
          [
            async () =>
              (
                await new RandomForestRegressor({
                  nEstimators: 3,
                  bootstrap: false,
                  maxFeatures: "sqrt",
                }).fit(X, yr)
              ).predict(X),
            async () =>
              (
                await new RandomForestRegressor({
                  nEstimators: 3,
                  bootstrap: false,
                  maxFeatures: "sqrt",
                }).fit(X2, yr2, { sampleWeight: half })
              ).predict(X),
          ],
        ];
        for (const [a, b] of pairs) {
          const pa = await a();
          const pb = await b();
          for (let i = 0; i < pa.length; i++) expect(Math.abs(pa[i] - pb[i])).toBeLessThan(1e-9);
        }
      }),
      RUNS,
    );
  });

  it("duplicating every row with half the weight gives the same boosted model (no tied splits)", async () => {
    // Boosting gradients are not exact binary fractions, so halved weights sum with different
    // rounding; on continuous data no two splits tie, and the models agree to rounding.
    const rng = new Random(5);
    const n = 300;
    const X = numericMatrix([0, 1].map(() => Float64Array.from({ length: n }, () => rng.normal())));
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * X.numericColumn(0)[i]) + rng.normal());
    const twice = Int32Array.from({ length: 2 * n }, (_, i) => i >> 1);
    const half = new Float64Array(2 * n).fill(0.5);
    for (const loss of ["squared_error", "huber"] as const) {
      const p = { nEstimators: 20, loss, minChildSamples: 1 };
      const a = (await new GradientBoostingRegressor(p).fit(X, y)).predict(X);
      const b = (
        await new GradientBoostingRegressor(p).fit(
          X.take(twice),
          Float64Array.from(twice, (i) => y[i]),
          {
            sampleWeight: half,
          },
        )
      ).predict(X);
      for (let i = 0; i < n; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-9);
    }
  });

  it("a strictly increasing transform of a feature leaves predictions unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(table(2), async ({ X, y }) => {
        const cols = X.features.map((f) => (f.kind === "numeric" ? f.values : new Float64Array(0)));
        const moved = numericMatrix(cols.map((c) => c.map((v) => Math.exp(v) * 3 - 1)));
        for (const make of [
          () => new DecisionTreeClassifier(),
          () => new RandomForestClassifier({ nEstimators: 4 }),
          () => new GradientBoostingClassifier(small),
        ]) {
          const a = (await make().fit(X, y)).predictProba(X);
          const b = (await make().fit(moved, y)).predictProba(moved);
          expect(Array.from(b)).toEqual(Array.from(a));
        }
      }),
      RUNS,
    );
  });

  it("the same seed gives the same model whatever the thread count", async () => {
    // Enough rows that histograms near the root are built on two threads.
    const n = 70_000;
    const cols = [0, 1, 2, 3].map((j) =>
      Float64Array.from({ length: n }, (_, i) => Math.sin(i * (j + 1.3)) + (i % 11) / 11),
    );
    const X = numericMatrix(cols);
    const y = Array.from({ length: n }, (_, i) => (cols[0][i] + cols[2][i] > 0.8 ? 1 : 0));
    for (const make of [
      // 40 trees × 30,000 rows: the trees grow on worker threads when t = 2.
      (t: number) =>
        new RandomForestClassifier({ nEstimators: 40, maxDepth: 6, nThreads: t, randomState: 3 }),
      (t: number) =>
        new RandomForestRegressor({ nEstimators: 6, maxFeatures: null, nThreads: t, randomState: 3 }),
      (t: number) =>
        new GradientBoostingClassifier({
          nEstimators: 8,
          subsample: 0.7,
          colsample: 0.8,
          nThreads: t,
          randomState: 3,
        }),
      // All 70,000 rows: the root is partitioned on two threads.
      (t: number) => new GradientBoostingClassifier({ nEstimators: 4, nThreads: t, randomState: 3 }),
    ]) {
      const a = (await make(1).fit(X, y)).toParts();
      const b = (await make(2).fit(X, y)).toParts();
      const c = (await make(2).fit(X, y)).toParts();
      for (const name of Object.keys(a.arrays)) {
        expect(b.arrays[name], name).toEqual(a.arrays[name]);
        expect(c.arrays[name], name).toEqual(a.arrays[name]);
      }
    }
  }, 120_000); // twelve fits on 70,000 rows: a slow machine needs more than the default 30 s

  it("a categorical feature's level order does not matter", async () => {
    const n = 400;
    const codes = Int32Array.from({ length: n }, (_, i) => (i * 7) % 6);
    const y = Array.from(codes, (c) => (c === 1 || c === 4 ? "yes" : "no"));
    const levels = ["a", "b", "c", "d", "e", "f"];
    const X = new FeatureMatrix([{ kind: "categorical", name: "c", codes, levels }], n);
    for (const m of [
      new DecisionTreeClassifier(),
      new GradientBoostingClassifier({ nEstimators: 5, minChildSamples: 1 }),
    ]) {
      await m.fit(X, y);
      expect(m.predict(X)).toEqual(y);
    }
  });
});
