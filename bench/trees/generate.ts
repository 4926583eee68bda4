// Deterministic tree-benchmark data, written to bench/data/ as little-endian float32 binaries that
// both Node and numpy read (`np.fromfile(path, "<f4")`), plus a small JSON description:
//
//   <name>.x.f32   rows × 28 features, row-major
//   <name>.y.f32   rows labels (0/1 for classification, a number for regression)
//   <name>.json    { rows, cols, trainRows, task, names }
//
// Values are rounded to float32 at generation, so every tool sees exactly the same numbers.
// The first 80% of the rows is the training set, the last 20% the test set (rows are i.i.d.).
//
// - Classification ("Higgs-like"): 21 low-level features (skewed "momenta", "pseudo-rapidities",
//   uniform "angles") and 7 high-level features derived from them with noise (a pair's "mass",
//   angle differences...). The label is Bernoulli(sigmoid(logit)) of a logit made of
//   interactions, thresholds and periodic terms, so no single feature separates the classes
//   and XGBoost reaches a test AUC of about 0.84 (logistic regression: 0.72).
// - Regression: Friedman #1 on five features plus two more interactions, 21 distractors and
//   Gaussian noise (XGBoost reaches R² ≈ 0.94).

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { Random } from "../../src/data/random.js";

export const TREE_FEATURES = 28;
export const CLF_ROWS = 1_000_000;
export const REG_ROWS = 500_000;
export const TRAIN_FRACTION = 0.8;

export type BenchTask = "classification" | "regression";

export interface BenchDataInfo {
  readonly task: BenchTask;
  readonly rows: number;
  readonly cols: number;
  readonly trainRows: number;
  readonly names: readonly string[];
  readonly seed: number;
}

const featureNames = (): string[] => Array.from({ length: TREE_FEATURES }, (_, j) => `f${j}`);

/** One classification row into `x` (length 28); returns the label. */
function clfRow(rng: Random, x: Float32Array): number {
  // Low-level: seven "particles", each (momentum > 0, skewed; eta ~ normal; phi uniform).
  for (let p = 0; p < 7; p++) {
    x[3 * p] = Math.exp(0.6 * rng.normal());
    x[3 * p + 1] = 1.2 * rng.normal();
    x[3 * p + 2] = Math.PI * (2 * rng.next() - 1);
  }
  const pt = (p: number) => x[3 * p];
  const eta = (p: number) => x[3 * p + 1];
  const phi = (p: number) => x[3 * p + 2];
  const mass = (a: number, b: number) =>
    Math.sqrt(2 * pt(a) * pt(b) * Math.max(0, Math.cosh(eta(a) - eta(b)) - Math.cos(phi(a) - phi(b))));
  const m01 = mass(0, 1);
  const m23 = mass(2, 3);
  const dphi = Math.cos(phi(0) - phi(4));
  // The latent logit: a "resonance" in m01, interactions, thresholds and periodic terms.
  const logit =
    2.2 * Math.exp(-((m01 - 1.6) ** 2) / 0.5) -
    0.9 +
    0.8 * Math.tanh(eta(0) * eta(1)) +
    0.7 * dphi * (pt(4) > 1 ? 1 : -0.5) +
    0.6 * Math.sin(2 * phi(5)) * eta(5) -
    0.5 * Math.abs(eta(2)) +
    0.5 * (pt(3) > 1.3 && eta(3) < 0.4 ? 1 : 0) +
    0.4 * Math.log(m23 + 0.1) +
    0.3 * (pt(6) - 1) * eta(6);
  // High-level features: what a physicist would derive, blurred by detector noise.
  x[21] = m01 * (1 + 0.12 * rng.normal());
  x[22] = m23 * (1 + 0.12 * rng.normal());
  x[23] = mass(4, 5) * (1 + 0.12 * rng.normal());
  x[24] = dphi + 0.2 * rng.normal();
  x[25] = eta(0) * eta(1) + 0.5 * rng.normal();
  x[26] = pt(0) + pt(1) + pt(2) + pt(3) + 0.3 * rng.normal();
  x[27] = Math.abs(eta(2) - eta(5)) + 0.3 * rng.normal();
  const prob = 1 / (1 + Math.exp(-1.5 * logit));
  return rng.next() < prob ? 1 : 0;
}

/** One regression row into `x`; returns the target. */
function regRow(rng: Random, x: Float32Array): number {
  for (let j = 0; j < TREE_FEATURES; j++) x[j] = rng.next();
  const friedman = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4];
  return friedman + 6 * x[5] * x[6] + 2 * Math.sin(6 * x[7]) + 1.2 * rng.normal();
}

export function dataPrefix(root: string, task: BenchTask, rows: number): string {
  return `${root}/bench/data/trees-${task === "classification" ? "clf" : "reg"}-${rows}`;
}

/** Writes the binaries and description atomically (temp names, then renames). */
export function generateTreeData(prefix: string, task: BenchTask, rows: number, seed = 2024): BenchDataInfo {
  mkdirSync(dirname(prefix), { recursive: true });
  const rng = new Random(seed);
  const row = new Float32Array(TREE_FEATURES);
  const chunkRows = 16_384;
  const xChunk = new Float32Array(chunkRows * TREE_FEATURES);
  const y = new Float32Array(rows);
  const tmpX = `${prefix}.x.f32.tmp-${process.pid}`;
  const fd = openSync(tmpX, "w");
  try {
    for (let start = 0; start < rows; start += chunkRows) {
      const n = Math.min(chunkRows, rows - start);
      for (let i = 0; i < n; i++) {
        y[start + i] = task === "classification" ? clfRow(rng, row) : regRow(rng, row);
        xChunk.set(row, i * TREE_FEATURES);
      }
      writeSync(fd, new Uint8Array(xChunk.buffer, 0, n * TREE_FEATURES * 4));
    }
  } finally {
    closeSync(fd);
  }
  const tmpY = `${prefix}.y.f32.tmp-${process.pid}`;
  const fy = openSync(tmpY, "w");
  writeSync(fy, new Uint8Array(y.buffer));
  closeSync(fy);
  const info: BenchDataInfo = {
    task,
    rows,
    cols: TREE_FEATURES,
    trainRows: Math.round(rows * TRAIN_FRACTION),
    names: featureNames(),
    seed,
  };
  const tmpJ = `${prefix}.json.tmp-${process.pid}`;
  const fj = openSync(tmpJ, "w");
  writeSync(fj, `${JSON.stringify(info)}\n`);
  closeSync(fj);
  renameSync(tmpX, `${prefix}.x.f32`);
  renameSync(tmpY, `${prefix}.y.f32`);
  renameSync(tmpJ, `${prefix}.json`); // last: its presence means the set is complete
  return info;
}

/** The data set's description, generating it first when it is missing. */
export function ensureTreeData(prefix: string, task: BenchTask, rows: number): BenchDataInfo {
  if (existsSync(`${prefix}.json`)) return JSON.parse(readFileSync(`${prefix}.json`, "utf8"));
  const t0 = performance.now();
  const info = generateTreeData(prefix, task, rows);
  console.error(`generated ${prefix}.* in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return info;
}

/** Writes the same data as CSV (header f0..f27,label) for tools that want text. */
export function writeTreeCsv(prefix: string, path: string): void {
  const info: BenchDataInfo = JSON.parse(readFileSync(`${prefix}.json`, "utf8"));
  const xb = readFileSync(`${prefix}.x.f32`);
  const yb = readFileSync(`${prefix}.y.f32`);
  const x = new Float32Array(xb.buffer, xb.byteOffset, xb.byteLength / 4);
  const y = new Float32Array(yb.buffer, yb.byteOffset, yb.byteLength / 4);
  const fd = openSync(`${path}.tmp-${process.pid}`, "w");
  writeSync(fd, `${[...info.names, "label"].join(",")}\n`);
  let out = "";
  for (let i = 0; i < info.rows; i++) {
    for (let j = 0; j < info.cols; j++) out += `${x[i * info.cols + j]},`;
    out += `${y[i]}\n`;
    if (out.length > 1 << 20) {
      writeSync(fd, out);
      out = "";
    }
  }
  writeSync(fd, out);
  closeSync(fd);
  renameSync(`${path}.tmp-${process.pid}`, path);
}
