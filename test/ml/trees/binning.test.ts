import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Arena } from "../../../src/ml/trees/arena.js";
import { binInto, binOf, fitBins, numericEdges } from "../../../src/ml/trees/binning.js";
import { numericMatrix } from "./helpers.js";

describe("binning", () => {
  it("sorts with the radix kernel as Float64Array.sort does, and bins as binOf does", () => {
    const value = fc.oneof(
      fc.double({ noNaN: true }),
      fc.integer({ min: -20, max: 20 }),
      fc.constant(Number.NaN),
      fc.constant(-0),
    );
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 2, max: 255 }),
        (xs, maxBins) => {
          const v = Float64Array.from(xs);
          const X = numericMatrix([v]);
          const arena = new Arena();
          const [fb] = fitBins(X, maxBins, 1, arena);
          const sorted = v.filter((x) => !Number.isNaN(x)).sort();
          expect(Array.from(fb.upper)).toEqual(Array.from(numericEdges(sorted, maxBins)));
          expect(fb.nBins).toBeLessThanOrEqual(maxBins);
          for (let i = 1; i < fb.upper.length; i++) expect(fb.upper[i]).toBeGreaterThan(fb.upper[i - 1]);
          const n = v.length;
          const rowPtr = arena.alloc(n);
          const colPtr = arena.alloc(n);
          binInto(X, [fb], arena, rowPtr, colPtr, null);
          const rows = arena.u8(rowPtr, n);
          const cols = arena.u8(colPtr, n);
          for (let i = 0; i < n; i++) {
            expect(rows[i]).toBe(binOf(fb.upper, v[i]));
            expect(cols[i]).toBe(rows[i]);
            // The raw test prediction uses agrees with the bin: x <= upper[b - 1].
            if (rows[i] > 0) expect(v[i] <= fb.upper[rows[i] - 1]).toBe(true);
            if (rows[i] > 1) expect(v[i] > fb.upper[rows[i] - 2]).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
