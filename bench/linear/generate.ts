// Deterministic LogisticRegression benchmark data: 1,000,000 rows × 28 standardized features
// (neighbouring features correlated, as real tabular data is) and a binary label drawn from a
// logistic model. Written as raw little-endian files that both children read without parsing:
//   <name>.x.f64  row-major float64, rows × 28 (the layout scikit-learn gets)
//   <name>.y.u8   one 0/1 byte per row

import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { Random } from "../../src/data/random.js";

export const LOGISTIC_ROWS = 1_000_000;
export const LOGISTIC_FEATURES = 28;

export function generateLogisticData(base: string, rows: number, seed = 7): void {
  const d = LOGISTIC_FEATURES;
  const rng = new Random(seed);
  const X = new Float64Array(rows * d);
  const z = new Float64Array(d);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) z[j] = rng.normal();
    for (let j = 0; j < d; j++) X[i * d + j] = j === 0 ? z[0] : z[j] + 0.6 * z[j - 1] + (j % 7 === 3 ? 2 : 0);
  }
  // Standardize each column exactly (mean 0, population std 1), as StandardScaler would.
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += X[i * d + j];
    mean /= rows;
    let v = 0;
    for (let i = 0; i < rows; i++) v += (X[i * d + j] - mean) ** 2;
    const std = Math.sqrt(v / rows);
    for (let i = 0; i < rows; i++) X[i * d + j] = (X[i * d + j] - mean) / std;
  }
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = -0.4;
    for (let j = 0; j < d; j++) s += ((j % 5) - 2) * 0.35 * X[i * d + j];
    y[i] = rng.next() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
  }
  mkdirSync(dirname(base), { recursive: true });
  for (const [ext, arr] of [
    ["x.f64", new Uint8Array(X.buffer)],
    ["y.u8", y],
  ] as const) {
    const tmp = `${base}.${ext}.tmp-${process.pid}`;
    const fd = openSync(tmp, "w");
    for (let o = 0; o < arr.length; o += 1 << 26)
      writeSync(fd, arr.subarray(o, Math.min(arr.length, o + (1 << 26))));
    closeSync(fd);
    renameSync(tmp, `${base}.${ext}`);
  }
}

/** Generates the files unless they exist. */
export function ensureLogisticData(base: string, rows: number): void {
  if (existsSync(`${base}.x.f64`) && existsSync(`${base}.y.u8`)) return;
  generateLogisticData(base, rows);
}
