// Per-batch cost of the MLP's hot pieces on both matrix backends (batch 200, 28 inputs, 64
// hidden units): the figures behind the choice of the WebAssembly kernels in bench/README.md.
//
//   npx tsx bench/mlp/kernels.ts

import { Random } from "../../src/data/random.js";
import { type MatrixOps, tsOps } from "../../src/ml/neural/matrix.js";
import { WasmOps } from "../../src/ml/neural/wasm-ops.js";

/** The textbook i-p-j loops, for comparison with the register-blocked TypeScript product. */
function gemmIpj(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  sam: number,
  sak: number,
  b: Float64Array,
  c: Float64Array,
) {
  c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * sam + p * sak];
      for (let j = 0; j < n; j++) c[i * n + j] += av * b[p * n + j];
    }
  }
}

const rng = new Random(3);
const filled = (ops: MatrixOps, length: number): Float64Array => {
  const x = ops.alloc(length);
  for (let i = 0; i < length; i++) x[i] = rng.normal();
  return x;
};
/** Median over 5 timings of 2,000 calls, in µs per call. */
function time(f: () => void): number {
  for (let i = 0; i < 300; i++) f();
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) f();
    runs.push(((performance.now() - t0) / 2000) * 1000);
  }
  return runs.sort((a, b) => a - b)[2];
}

const rows = 100_000;
const d = 28;
const h = 64;
const n = 200;
const wasm = new WasmOps();
const [X, W, H, G] = [n * d, d * h, n * h, d * h].map((len) => filled(tsOps, len));
const [Xw, Ww, Hw, Gw] = [n * d, d * h, n * h, d * h].map((len) => filled(wasm, len));
const all = filled(tsOps, rows * d);
const allW = wasm.alloc(rows * d);
allW.set(all);
const order = new Random(1).permutation(rows);
const orderW = wasm.allocIndex(rows);
orderW.set(order);
const dst = tsOps.alloc(n * d);
const dstW = wasm.alloc(n * d);
let from = 0;
const nextBatch = (): number => {
  from = (from + n) % (rows - n);
  return from;
};
const table = [
  [
    `forward product ${n}×${d} · ${d}×${h}`,
    time(() => gemmIpj(n, h, d, X, d, 1, W, H)),
    time(() => tsOps.gemm(n, h, d, X, d, 1, W, h, H, h, false)),
    time(() => wasm.gemm(n, h, d, Xw, d, 1, Ww, h, Hw, h, false)),
  ],
  [
    `weight gradient ${d}×${n} · ${n}×${h}`,
    time(() => gemmIpj(d, h, n, X, 1, d, H, G)),
    time(() => tsOps.gemm(d, h, n, X, 1, d, H, h, G, h, false)),
    time(() => wasm.gemm(d, h, n, Xw, 1, d, Hw, h, Gw, h, false)),
  ],
  [
    `ReLU over ${n}×${h}`,
    Number.NaN,
    time(() => tsOps.activate(3, H, n * h)),
    time(() => wasm.activate(3, Hw, n * h)),
  ],
  [
    `gather ${n} shuffled rows of ${rows}×${d}`,
    Number.NaN,
    time(() => tsOps.gatherRows(dst, all, order, nextBatch(), n, d)),
    time(() => wasm.gatherRows(dstW, allW, orderW, nextBatch(), n, d)),
  ],
] as const;
const us = (v: number) => (Number.isNaN(v) ? "" : `${v.toFixed(0)} µs`);
console.log(
  "| piece (one batch) | TypeScript i-p-j loops | TypeScript (2×4 register block) | WebAssembly SIMD f64x2 |",
);
console.log("|---|---|---|---|");
for (const [name, ipj, ts, w] of table) console.log(`| ${name} | ${us(ipj)} | ${us(ts)} | ${us(w)} |`);
