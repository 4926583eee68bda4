import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/ml/errors.js";
import {
  adjustedRandScore,
  calinskiHarabasz,
  daviesBouldin,
  silhouetteSamples,
  silhouetteScore,
} from "../../../src/ml/metrics/clustering.js";
import { fincoach, iris, reference, rowsToMatrix } from "./helpers.js";

const data = { fincoach: await fincoach(), iris: await iris() };

describe("clustering scores against scikit-learn 1.2.1", () => {
  for (const c of reference.metrics) {
    const X = c.name.startsWith("iris") ? data.iris.X : data.fincoach.X;
    it(`${c.name}: silhouette, Calinski–Harabasz, Davies–Bouldin`, () => {
      expect(Math.abs(silhouetteScore(X, c.labels) - c.silhouette)).toBeLessThan(1e-9);
      expect(Math.abs(calinskiHarabasz(X, c.labels) - c.calinskiHarabasz) / c.calinskiHarabasz).toBeLessThan(
        1e-9,
      );
      expect(Math.abs(daviesBouldin(X, c.labels) - c.daviesBouldin)).toBeLessThan(1e-9);
    });
    it(`${c.name}: silhouette of each row`, () => {
      const s = silhouetteSamples(X, c.labels);
      // scikit-learn's distances go through ‖x‖² − 2x·y + ‖y‖², which loses ~1e-8 on
      // near-duplicate rows; ours are exact differences.
      for (let i = 0; i < s.length; i++) expect(Math.abs(s[i] - c.silhouetteSamples[i])).toBeLessThan(1e-7);
    });
  }

  it("the block size does not change the exact silhouette", () => {
    const c = reference.metrics[0];
    const exact = silhouetteScore(data.iris.X, c.labels, { blockSize: 1 });
    expect(Math.abs(exact - silhouetteScore(data.iris.X, c.labels, { blockSize: 1000 }))).toBeLessThan(1e-12);
  });

  it("the sampled silhouette is seeded and close to the exact one", () => {
    const c = reference.metrics.find((m) => m.name === "fincoach truth segments");
    if (!c) throw new Error("fixture missing");
    const a = silhouetteScore(data.fincoach.X, c.labels, { sampleSize: 600, randomState: 3 });
    const b = silhouetteScore(data.fincoach.X, c.labels, { sampleSize: 600, randomState: 3 });
    expect(a).toBe(b);
    expect(Math.abs(a - c.silhouette)).toBeLessThan(0.03);
    expect(silhouetteScore(data.fincoach.X, c.labels, { sampleSize: 600, randomState: 4 })).not.toBe(a);
  });

  for (const [i, c] of reference.ari.entries()) {
    it(`adjusted Rand index, case ${i + 1}`, () => {
      expect(Math.abs(adjustedRandScore(c.a, c.b) - c.ari)).toBeLessThan(1e-12);
    });
  }
});

describe("clustering score properties", () => {
  const labelled = fc
    .integer({ min: 4, max: 40 })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 2 }), {
          minLength: n,
          maxLength: n,
        }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
      ),
    )
    .filter(([, l]) => {
      const m = new Set(l).size;
      return m >= 2 && m <= l.length - 1;
    });

  it("silhouettes lie in [−1, 1] and do not depend on label names", () => {
    fc.assert(
      fc.property(labelled, ([rows, labels]) => {
        const X = rowsToMatrix(rows);
        const s = silhouetteSamples(X, labels);
        for (const v of s) expect(v >= -1 - 1e-12 && v <= 1 + 1e-12).toBe(true);
        const renamed = labels.map((l) => 10 - 3 * l);
        expect(silhouetteScore(X, renamed)).toBeCloseTo(silhouetteScore(X, labels), 12);
        expect(daviesBouldin(X, renamed)).toBeCloseTo(daviesBouldin(X, labels), 9);
      }),
      { numRuns: 60 },
    );
  });

  it("the ARI is 1 for a renamed partition and symmetric", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 60 }), (a) => {
        expect(
          adjustedRandScore(
            a,
            a.map((x) => 7 - x),
          ),
        ).toBe(1);
        const b = a.map((x, i) => (x + i) % 3);
        expect(adjustedRandScore(a, b)).toBeCloseTo(adjustedRandScore(b, a), 12);
      }),
    );
  });

  it("bad input is a clear error", () => {
    const X = rowsToMatrix([[0], [1], [2]]);
    expect(() => silhouetteScore(X, [0, 0, 0])).toThrow(InputError);
    expect(() => silhouetteScore(X, [0, 1])).toThrow(/3/);
    expect(() => calinskiHarabasz(rowsToMatrix([[0], [Number.NaN], [1]]), [0, 1, 1])).toThrow(/x0/);
  });
});
