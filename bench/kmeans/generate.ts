// The k-means benchmark's data: 200,000 × 16, deterministic (Random(2026)), written once as raw
// little-endian float64, row-major, to bench/data/ (so that Python reads it with numpy.fromfile).
// 12 Gaussian blobs of unequal spread for k = 8: the clusters do not match k, so Lloyd needs
// tens of iterations, as on real data.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Random } from "../../src/data/random.js";

export const BENCH_ROWS = 200_000;
export const BENCH_COLS = 16;
export const BENCH_K = 8;

export function benchData(rows = BENCH_ROWS, cols = BENCH_COLS): Float64Array {
  const rng = new Random(2026);
  const blobs = 12;
  const centers = Float64Array.from({ length: blobs * cols }, () => rng.normal() * 4);
  const spread = Float64Array.from({ length: blobs }, () => 0.5 + 2 * rng.next());
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const b = rng.int(blobs);
    for (let t = 0; t < cols; t++) data[i * cols + t] = centers[b * cols + t] + spread[b] * rng.normal();
  }
  return data;
}

/** Writes the data file when missing; returns its path. */
export function ensureBenchData(file: string, rows = BENCH_ROWS, cols = BENCH_COLS): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const data = benchData(rows, cols);
    writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return file;
}

/** The rows both libraries start from in the equal-start comparison (seeded, distinct). */
export function initRows(rows = BENCH_ROWS, k = BENCH_K): number[] {
  return Array.from(new Random(8).permutation(rows).subarray(0, k));
}
