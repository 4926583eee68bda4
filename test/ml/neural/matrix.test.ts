import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random } from "../../../src/data/random.js";
import { gemmTs, type MatrixOps, tsOps } from "../../../src/ml/neural/matrix.js";
import { WasmOps } from "../../../src/ml/neural/wasm-ops.js";

/** The textbook triple loop, the reference for both backends. */
function naive(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  sam: number,
  sak: number,
  b: Float64Array,
  ldb: number,
) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * sam + p * sak] * b[p * ldb + j];
      c[i * n + j] = s;
    }
  return c;
}

function check(
  ops: MatrixOps,
  m: number,
  n: number,
  k: number,
  transposed: boolean,
  accumulate: boolean,
  seed: number,
  pad: number,
) {
  const ldc = n + pad;
  const rng = new Random(seed);
  const a = ops.alloc(m * k);
  const b = ops.alloc(k * n);
  const c = ops.alloc(m * ldc);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  for (let i = 0; i < b.length; i++) b[i] = rng.normal();
  for (let i = 0; i < c.length; i++) c[i] = rng.normal();
  const start = Float64Array.from(c);
  const [sam, sak] = transposed ? [1, m] : [k, 1];
  ops.gemm(m, n, k, a, sam, sak, b, n, c, ldc, accumulate);
  const want = naive(m, n, k, a, sam, sak, b, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < ldc; j++) {
      const at = i * ldc + j;
      const w = j < n ? want[i * n + j] + (accumulate ? start[at] : 0) : start[at];
      expect(Math.abs(c[at] - w)).toBeLessThan(1e-12 * (1 + k) * (1 + Math.abs(w)));
    }
  }
}

describe("dense product C (+)= A·B", () => {
  for (const ops of [tsOps, new WasmOps()]) {
    it(`${ops.name} agrees with the triple loop for any shape, strides and accumulate`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 13 }),
          fc.integer({ min: 1, max: 13 }),
          fc.integer({ min: 0, max: 9 }),
          fc.boolean(),
          fc.boolean(),
          fc.integer(),
          fc.integer({ min: 0, max: 2 }),
          (m, n, k, transposed, accumulate, seed, pad) =>
            check(ops, m, n, k, transposed, accumulate, seed, pad),
        ),
        { numRuns: 400 },
      );
    });
  }

  it("the WebAssembly kernel writes only inside C (rows with a larger stride keep their padding)", () => {
    const ops = new WasmOps();
    const m = 5;
    const n = 6;
    const ldc = 9;
    const a = ops.alloc(m * 3).fill(1);
    const b = ops.alloc(3 * n).fill(2);
    const c = ops.alloc(m * ldc).fill(-7);
    ops.gemm(m, n, 3, a, 3, 1, b, n, c, ldc, false);
    const ref = new Float64Array(m * ldc).fill(-7);
    gemmTs(m, n, 3, a, 3, 1, b, n, ref, ldc, false);
    expect([...c]).toEqual([...ref]);
    for (let i = 0; i < m; i++) for (let j = n; j < ldc; j++) expect(c[i * ldc + j]).toBe(-7);
  });
});
