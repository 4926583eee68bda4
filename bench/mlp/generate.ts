// Deterministic MLP benchmark data: 100,000 rows × 28 standard-normal features and a 0/1
// label from a non-linear rule with noise, stored as raw little-endian float64 (X row-major,
// then y) so that trainyard and scikit-learn read exactly the same numbers without parsing.

import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { Random } from "../../src/data/random.js";

export const MLP_ROWS = 100_000;
export const MLP_FEATURES = 28;

export function ensureMlpData(path: string, rows = MLP_ROWS, seed = 42): void {
  const bytes = rows * (MLP_FEATURES + 1) * 8;
  if (existsSync(path) && statSync(path).size === bytes) return;
  mkdirSync(dirname(path), { recursive: true });
  const rng = new Random(seed);
  const w = Float64Array.from({ length: MLP_FEATURES }, () => rng.normal());
  const x = new Float64Array(rows * MLP_FEATURES);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < MLP_FEATURES; j++) {
      const v = rng.normal();
      x[i * MLP_FEATURES + j] = v;
      s += w[j] * v;
    }
    const row = i * MLP_FEATURES;
    s += 2 * Math.sin(x[row] * x[row + 1]) + x[row + 2] * x[row + 2] - 1 + rng.normal();
    y[i] = s > 0 ? 1 : 0;
  }
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, new Uint8Array(x.buffer));
    writeSync(fd, new Uint8Array(y.buffer));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
