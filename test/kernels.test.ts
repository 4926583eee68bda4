import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnMoments, columnMomentsTs } from "../src/kernels/column-stats.js";

function close(a: number, b: number, rel = 1e-10): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

describe("columnStats kernel (WebAssembly SIMD)", () => {
  it("agrees with the TypeScript reference on arbitrary columns with missing values", () => {
    const value = fc.oneof(
      fc.double({ min: -1e9, max: 1e9, noNaN: true }),
      fc.constant(Number.NaN),
      fc.integer({ min: -5, max: 5 }),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), (xs) => {
        const v = Float64Array.from(xs);
        const w = columnMoments(v);
        const t = columnMomentsTs(v);
        expect(w.count).toBe(t.count);
        expect(w.min).toBe(t.min);
        expect(w.max).toBe(t.max);
        // Summation order differs (SIMD lanes vs one accumulator): allow the rounding error of
        // summing n terms of magnitude up to max|x|, not a relative error that cancellation can defeat.
        let maxAbs = 0;
        for (const x of v) if (!Number.isNaN(x)) maxAbs = Math.max(maxAbs, Math.abs(x));
        const eps = 4 * Number.EPSILON * Math.max(1, t.count);
        expect(close(w.mean, t.mean) || Math.abs(w.mean - t.mean) <= eps * maxAbs).toBe(true);
        expect(close(w.m2, t.m2, 1e-8) || Math.abs(w.m2 - t.m2) <= eps * t.count * maxAbs * maxAbs).toBe(
          true,
        );
      }),
      { numRuns: 300 },
    );
  });

  it("computes known moments", () => {
    const m = columnMoments(Float64Array.from([1, 2, Number.NaN, 3, 4, 5]));
    expect(m).toEqual({ count: 5, min: 1, max: 5, mean: 3, m2: 10 });
  });

  it("keeps precision for a large offset (two-pass variance)", () => {
    const v = Float64Array.from({ length: 1001 }, (_, i) => 1e9 + (i % 2));
    const m = columnMoments(v);
    expect(m.m2 / (m.count - 1)).toBeCloseTo(0.25025, 5);
  });

  it("handles an empty or all-missing column", () => {
    for (const v of [new Float64Array(0), Float64Array.from([Number.NaN, Number.NaN, Number.NaN])]) {
      const m = columnMoments(v);
      expect(m.count).toBe(0);
      expect(Number.isNaN(m.mean) && Number.isNaN(m.min) && Number.isNaN(m.max)).toBe(true);
    }
  });

  it("handles a column larger than the initial memory", () => {
    const v = new Float64Array(3_000_000).fill(2);
    v[2_999_999] = 8;
    const m = columnMoments(v);
    expect(m.count).toBe(3_000_000);
    expect(m.max).toBe(8);
  });
});
