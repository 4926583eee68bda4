import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataLoadError } from "../../src/data/errors.js";
import { largestRemainder, sampleIndices, sampleRows } from "../../src/data/sample.js";
import { Table } from "../../src/data/table.js";

function labelled(counts: readonly number[]): Table {
  const codes: number[] = [];
  counts.forEach((c, k) => {
    for (let j = 0; j < c; j++) codes.push(k);
  });
  // interleave classes deterministically so strata are not contiguous
  const order = codes.map((_, i) => i).sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101) || a - b);
  return new Table([
    { kind: "numeric", name: "id", values: Float64Array.from(order.map((_, i) => i)) },
    {
      kind: "categorical",
      name: "y",
      codes: Int32Array.from(order.map((i) => codes[i])),
      levels: counts.map((_, k) => `c${k}`),
    },
  ]);
}

describe("sampleRows", () => {
  it("is deterministic, in original order, distinct rows without replacement", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (N, seed, f) => {
          const t = labelled([N]);
          const a = sampleIndices(t, { fraction: f, seed });
          expect(sampleIndices(t, { fraction: f, seed })).toEqual(a);
          expect(a.length).toBe(Math.round(f * N));
          for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
          expect(
            sampleRows(t, { fraction: f, seed })
              .toRecords()
              .map((r) => r.id),
          ).toEqual([...a]);
        },
      ),
    );
  });

  it("different seeds give different samples", () => {
    const t = labelled([500]);
    const a = sampleIndices(t, { n: 50, seed: 1 });
    const b = sampleIndices(t, { n: 50, seed: 2 });
    expect([...a]).not.toEqual([...b]);
  });

  it("stratified keeps every class within one row of its exact share", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (counts, f, seed) => {
          const t = labelled(counts);
          const N = t.nRows;
          const s = sampleRows(t, { fraction: f, seed, stratify: "y" });
          const n = Math.round(f * N);
          expect(s.nRows).toBe(n);
          const y = s.column("y");
          if (y.kind !== "categorical") throw new Error("kind");
          counts.forEach((c, k) => {
            const got = [...y.codes].filter((code) => code === k).length;
            const exact = N === 0 ? 0 : (n * c) / N; // an empty table samples nothing
            expect(Math.abs(got - exact)).toBeLessThan(1);
          });
          expect(new Set(s.toRecords().map((r) => r.id)).size).toBe(n);
        },
      ),
    );
  });

  it("with replacement draws n rows (repeats allowed) from the table", () => {
    const t = labelled([10]);
    const idx = sampleIndices(t, { n: 1000, seed: 3, replace: true });
    expect(idx.length).toBe(1000);
    const counts = new Array(10).fill(0);
    for (const i of idx) counts[i]++;
    // each row expected 100 times; binomial sd ≈ 9.5
    for (const c of counts) expect(Math.abs(c - 100)).toBeLessThan(50);
  });

  it("shuffle returns the same rows in a random order", () => {
    const t = labelled([100]);
    const a = sampleIndices(t, { n: 30, seed: 9 });
    const b = sampleIndices(t, { n: 30, seed: 9, shuffle: true });
    expect([...b].sort((p, q) => p - q)).toEqual([...a]);
    expect([...b]).not.toEqual([...a]);
  });

  it("refuses bad sizes", () => {
    const t = labelled([10]);
    expect(() => sampleRows(t, { seed: 1 })).toThrow(DataLoadError);
    expect(() => sampleRows(t, { n: 1, fraction: 0.1, seed: 1 })).toThrow(/exactly one/);
    expect(() => sampleRows(t, { n: 11, seed: 1 })).toThrow(/11 rows from 10/);
    expect(() => sampleRows(t, { fraction: 1.5, seed: 1 })).toThrow(/fraction/);
    expect(() => sampleRows(t, { n: 2.5, seed: 1 })).toThrow(/whole number/);
    expect(sampleRows(t, { fraction: 1.5, seed: 1, replace: true }).nRows).toBe(15);
    expect(() => sampleRows(t, { n: 3, seed: 1, stratify: "nope" })).toThrow(/"nope"/);
  });
});

describe("largestRemainder", () => {
  it("sums to n, each within one of the exact share", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.nat(3000),
        (sizes, n0) => {
          const total = sizes.reduce((s, v) => s + v, 0);
          fc.pre(total > 0);
          const n = n0 % (total + 1);
          const out = largestRemainder(sizes, n);
          expect(out.reduce((s, v) => s + v, 0)).toBe(n);
          out.forEach((o, i) => {
            expect(Math.abs(o - (sizes[i] * n) / total)).toBeLessThan(1);
            expect(o).toBeLessThanOrEqual(sizes[i]);
          });
        },
      ),
    );
  });
});
