import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { kernelModule } from "../../../src/kernels/loader.js";
import { Arena } from "../../../src/ml/trees/arena.js";
import { HistPool } from "../../../src/ml/trees/hist-pool.js";

// The partition of a node's rows on several threads (runs partitioned apart, then joined)
// must give exactly the order of the one-thread kernel: the trees depend on it.
describe("partition on threads", () => {
  const N = 5000;
  const arena = new Arena(1 << 20);
  const col = arena.alloc(N);
  const rows = arena.alloc(4 * N);
  const tmp = arena.alloc(4 * N);
  const goLeft = arena.alloc(256);
  const scratch = arena.alloc(4 * 16);
  const pools = [2, 3].map((t) => new HistPool(arena, t, kernelModule()));
  afterAll(() => {
    for (const p of pools) p.close();
  });

  it("keeps the one-thread order for any rows, bins and split (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: N - 1 }), { minLength: 0, maxLength: 600 }),
        fc.uint8Array({ minLength: N, maxLength: N }),
        fc.uint8Array({ minLength: 256, maxLength: 256 }),
        fc.nat(40),
        (order, bins, left, offset) => {
          arena.u8(col, N).set(bins);
          arena.u8(goLeft, 256).set(left.map((b) => b & 1));
          const start = Math.min(offset, N - order.length);
          const end = start + order.length;
          const view = arena.u32(rows, N);
          view.set(order, start);
          const nlOne = arena.k.treePartition(col, rows, start, end, goLeft, tmp);
          const expected = Array.from(view.subarray(start, end));
          expect(expected.slice(0, nlOne).every((r) => left[bins[r]] & 1)).toBe(true);
          for (const pool of pools) {
            view.set(order, start);
            const nl = pool.partition(col, rows, start, end, goLeft, tmp, scratch);
            expect(nl).toBe(nlOne);
            expect(Array.from(view.subarray(start, end))).toEqual(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
