import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random } from "../../../src/data/random.js";
import { type Feature, FeatureMatrix } from "../../../src/ml/features.js";
import { ElasticNet, Lasso, LogisticRegression, Ridge } from "../../../src/ml/linear/index.js";
import { classTarget, doubled, linearTarget, maxAbsDiff, randomMatrix } from "./helpers.js";

const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

describe("linear model invariants", () => {
  it("Ridge coefficients shrink as alpha grows", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        async (seed, a, step) => {
          const { X, rows } = randomMatrix(seed, 40, 4);
          const y = linearTarget(rows, seed + 1);
          const w1 = (await new Ridge({ alpha: a }).fit(X, y)).coef;
          const w2 = (await new Ridge({ alpha: a + step }).fit(X, y)).coef;
          expect(norm(w2)).toBeLessThanOrEqual(norm(w1) * (1 + 1e-12));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("Lasso drives more coefficients to zero as alpha grows, and all of them past alpha_max", async () => {
    const { X, rows } = randomMatrix(3, 60, 6);
    const y = linearTarget(rows, 4);
    const nonzero = async (alpha: number) =>
      [...(await new Lasso({ alpha, tol: 1e-10, maxIter: 10000 }).fit(X, y)).coef].filter((v) => v !== 0)
        .length;
    const counts = [];
    for (const alpha of [0.01, 0.5, 2, 5, 100]) counts.push(await nonzero(alpha));
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]);
    expect(counts[0]).toBe(6);
    expect(counts[4]).toBe(0);
  });

  it("LogisticRegression probabilities are in [0, 1] and sum to 1 (binary and multinomial)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 2, max: 4 }),
        fc.constantFrom("l2", "l1", "elasticnet", "none"),
        async (seed, k, penalty) => {
          const { X, rows } = randomMatrix(seed, 60, 3);
          const y = classTarget(rows, k, seed);
          if (new Set(y).size < 2) return;
          const m = await new LogisticRegression({ penalty, l1Ratio: 0.5, maxIter: 200 }).fit(X, y);
          const p = m.predictProba(randomMatrix(seed + 7, 25, 3).X);
          const kk = m.classes.length;
          expect(p.length).toBe(25 * kk);
          for (let i = 0; i < 25; i++) {
            let s = 0;
            for (let c = 0; c < kk; c++) {
              expect(p[i * kk + c]).toBeGreaterThanOrEqual(0);
              expect(p[i * kk + c]).toBeLessThanOrEqual(1);
              s += p[i * kk + c];
            }
            expect(Math.abs(s - 1)).toBeLessThan(1e-12);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it("duplicating every row with half weight gives the same fit", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), async (seed) => {
        const { X, rows } = randomMatrix(seed, 50, 3);
        const y = linearTarget(rows, seed);
        const X2 = doubled(X);
        const y2 = Float64Array.from({ length: 100 }, (_, i) => y[i % 50]);
        const half = new Float64Array(100).fill(0.5);
        const ridge = [await new Ridge().fit(X, y), await new Ridge().fit(X2, y2, { sampleWeight: half })];
        expect(maxAbsDiff(ridge[0].coef, ridge[1].coef)).toBeLessThan(1e-9);
        const enet = new ElasticNet({ alpha: 0.3, tol: 1e-12, maxIter: 10000 });
        const e = [await enet.clone().fit(X, y), await enet.clone().fit(X2, y2, { sampleWeight: half })];
        expect(maxAbsDiff(e[0].coef, e[1].coef)).toBeLessThan(1e-7);
        const labels = classTarget(rows, 3, seed);
        if (new Set(labels).size < 3) return;
        const lr = new LogisticRegression({ tol: 1e-10, maxIter: 1000 });
        const l = [
          await lr.clone().fit(X, labels),
          await lr.clone().fit(X2, [...labels, ...labels], { sampleWeight: half }),
        ];
        expect(maxAbsDiff(l[0].coef, l[1].coef)).toBeLessThan(1e-6);
      }),
      { numRuns: 15 },
    );
  });

  it("indicator features (shared codes, missing = all zero) fit exactly like their dense 0/1 columns", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), async (seed) => {
        const rng = new Random(seed);
        const n = 80;
        const { X: num, rows } = randomMatrix(seed, n, 2);
        // Two one-hot sources (4 and 3 levels, one level of each dropped), with a few missing codes.
        const a = Int32Array.from({ length: n }, () => (rng.next() < 0.05 ? -1 : rng.int(4)));
        const b = Int32Array.from({ length: n }, () => rng.int(3));
        const indicators: Feature[] = [
          ...[0, 1, 2].map((l): Feature => ({ kind: "indicator", name: `a_${l}`, codes: a, level: l })),
          ...[1, 2].map((l): Feature => ({ kind: "indicator", name: `b_${l}`, codes: b, level: l })),
        ];
        const sparse = new FeatureMatrix([...num.features, ...indicators], n);
        const dense = new FeatureMatrix(
          sparse.features.map(
            (f, j): Feature => ({ kind: "numeric", name: f.name, values: sparse.numericColumn(j) }),
          ),
          n,
        );
        const y = Float64Array.from(
          rows,
          (r, i) => r[0] - r[1] + (a[i] === 2 ? 1.5 : 0) - b[i] * 0.7 + rng.normal() * 0.3,
        );
        for (const m of [new Ridge({ alpha: 0.5 }), new Lasso({ alpha: 0.05, tol: 1e-12, maxIter: 10000 })]) {
          const s = await m.clone().fit(sparse, y);
          const d = await m.clone().fit(dense, y);
          expect(maxAbsDiff(s.coef, d.coef)).toBeLessThan(1e-8);
          expect(Math.abs(s.intercept - d.intercept)).toBeLessThan(1e-8);
          expect(maxAbsDiff(s.predict(sparse), d.predict(dense))).toBeLessThan(1e-8);
        }
        const labels = classTarget(rows, 3, seed).map((c, i) => (a[i] === 1 ? 0 : c));
        if (new Set(labels).size < 3) return;
        for (const penalty of ["l2", "l1"] as const) {
          const lr = new LogisticRegression({ penalty, tol: 1e-10, maxIter: 2000 });
          const s = await lr.clone().fit(sparse, labels);
          const d = await lr.clone().fit(dense, labels);
          expect(maxAbsDiff(s.coef, d.coef)).toBeLessThan(1e-6);
          expect(maxAbsDiff(s.predictProba(sparse), d.predictProba(dense))).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 15 },
    );
  });
});
