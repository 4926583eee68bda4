import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { kernelModule } from "../../../src/kernels/loader.js";
import { Arena } from "../../../src/ml/trees/arena.js";
import { HistPool } from "../../../src/ml/trees/hist-pool.js";
import { fixedExponent } from "../../../src/ml/trees/learner.js";

// Gradient boosting builds its histograms from fixed-point statistics so that threads can
// share a node's rows: integer sums are exact, so the result must not depend on who adds what.

/** x rounded to the nearest integer, ties to even (x an integer or half-integer below 2^51 is exact). */
function roundEven(x: number): bigint {
  const f = Math.floor(x);
  const d = x - f;
  return BigInt(d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1);
}

describe("fixed-point statistics and histograms", () => {
  // Enough rows for several claims of 2,048 rows, so that every thread takes some.
  const N = 20_000;
  const F = 5;
  const arena = new Arena(1 << 22);
  const bins = arena.alloc(N * F + 16);
  const stats = arena.alloc(16 * N);
  const fixed = arena.alloc(16 * N);
  const rows = arena.alloc(4 * N);
  const next = arena.alloc(16);
  const hists = [0, 1, 2].map(() => arena.alloc(F * 4096));
  const one = arena.alloc(F * 4096);
  const scratch = [0, 1, 2].map(() => arena.alloc(256 * 32 + 16));
  const others = arena.alloc(16);
  arena.i32(others, 2).set([hists[1], hists[2]]);
  const pools = [2, 3].map((t) => new HistPool(arena, t, kernelModule()));
  afterAll(() => {
    for (const p of pools) p.close();
  });

  it("fixedExponent keeps every value below 2^51 and any sum of n of them within 2^62 (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000_000 }),
        fc.double({ min: 1e-200, max: 1e200, noNaN: true }),
        (n, max) => {
          const e = fixedExponent(n, max);
          expect(max * 2 ** e).toBeLessThan(2 ** 51);
          expect(n * max * 2 ** e).toBeLessThanOrEqual(2 ** 62);
          // Not needlessly coarse: one more bit would break a bound.
          expect(max * 2 ** (e + 2) >= 2 ** 51 || n * max * 2 ** (e + 2) > 2 ** 62).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    expect(fixedExponent(10, 0)).toBe(0);
    expect(() => fixedExponent(10, Number.NaN)).toThrow(/non-finite/);
    expect(() => fixedExponent(10, Number.POSITIVE_INFINITY)).toThrow(/non-finite/);
  });

  it("treeStatsFix rounds g·2^eg and h·2^eh to the nearest integer, ties to even (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -1e6, max: 1e6, noNaN: true }),
            fc.double({ min: 0, max: 1e6, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 200,
          },
        ),
        fc.boolean(),
        (pairs, halves) => {
          const n = pairs.length;
          // Half-integers after scaling check the ties.
          const s = arena.f64(stats, 2 * n);
          pairs.forEach(([g, h], i) => {
            s[2 * i] = halves ? Math.round(g) + 0.5 : g;
            s[2 * i + 1] = halves ? Math.round(h) + 0.5 : h;
          });
          let mg = 0;
          let mh = 0;
          for (let i = 0; i < n; i++) {
            mg = Math.max(mg, Math.abs(s[2 * i]));
            mh = Math.max(mh, s[2 * i + 1]);
          }
          const eg = halves ? 0 : fixedExponent(n, mg);
          const eh = halves ? 0 : fixedExponent(n, mh);
          arena.k.treeStatsFix(stats, fixed, 0, n, eg, eh);
          const q = new BigInt64Array(arena.memory.buffer, fixed, 2 * n);
          for (let i = 0; i < n; i++) {
            expect(q[2 * i]).toBe(roundEven(s[2 * i] * 2 ** eg));
            expect(q[2 * i + 1]).toBe(roundEven(s[2 * i + 1] * 2 ** eh));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a histogram built on 2 or 3 threads is the one-thread histogram, and the exact sums (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: N - 1 }), { minLength: 0, maxLength: N }),
        fc.uint8Array({ minLength: N * F, maxLength: N * F }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: F - 1 }),
        (order, binValues, seed, f0) => {
          const nf = F - f0;
          arena.u8(bins, N * F).set(binValues);
          arena.u32(rows, N).set(order);
          const s = arena.f64(stats, 2 * N);
          let x = seed;
          for (let i = 0; i < 2 * N; i++) {
            x = (x * 1103515245 + 12345) % 2147483648;
            s[i] = i % 2 === 0 ? x / 2147483648 - 0.5 : x / 2147483648 / 4;
          }
          const [eg, eh] = [fixedExponent(N, 0.5), fixedExponent(N, 0.25)];
          arena.k.treeStatsFix(stats, fixed, 0, N, eg, eh);
          const args = [bins, F, rows, 0, order.length, fixed, f0, nf] as const;
          arena.i32(next, 1)[0] = 0;
          arena.k.treeHistFixed(...args, one, scratch[0], next);
          // The exact sums, from the fixed-point values.
          const q = new BigInt64Array(arena.memory.buffer, fixed, 2 * N);
          const exact = new Map<number, [bigint, bigint]>();
          for (const r of order) {
            for (let j = f0; j < F; j++) {
              const key = j * 256 + binValues[r * F + j];
              const [g, h] = exact.get(key) ?? [0n, 0n];
              exact.set(key, [g + q[2 * r], h + q[2 * r + 1]]);
            }
          }
          const fixedOne = Array.from(new BigInt64Array(arena.memory.buffer, one + f0 * 4096, nf * 512));
          for (let j = f0; j < F; j++) {
            for (let b = 0; b < 256; b++) {
              const [g, h] = exact.get(j * 256 + b) ?? [0n, 0n];
              const k = ((j - f0) * 256 + b) * 2;
              expect(fixedOne[k]).toBe(g);
              expect(fixedOne[k + 1]).toBe(h);
            }
          }
          arena.k.treeHistFixedSum(one, others, 0, f0, nf, eg, eh);
          const expected = Array.from(arena.f64(one + f0 * 4096, nf * 512));
          for (let j = f0; j < F; j++) {
            const [g, h] = exact.get(j * 256 + 7) ?? [0n, 0n];
            const k = ((j - f0) * 256 + 7) * 2;
            expect(expected[k]).toBe(Number(g) * 2 ** -eg);
            expect(expected[k + 1]).toBe(Number(h) * 2 ** -eh);
          }
          for (const pool of pools) {
            arena.i32(next, 1)[0] = 0;
            pool.histFixed(args, hists.slice(0, pool.nThreads), scratch, next);
            arena.k.treeHistFixedSum(hists[0], others, pool.nThreads - 1, f0, nf, eg, eh);
            expect(Array.from(arena.f64(hists[0] + f0 * 4096, nf * 512))).toEqual(expected);
          }
        },
      ),
      // Shrinking inputs this large would take minutes: report the first failure as found.
      { numRuns: 15, endOnFailure: true },
    );
  });
});
