// Reading the generated tree-benchmark binaries into trainyard's FeatureMatrix, and the metrics
// the benchmark reports for trainyard and the JavaScript libraries (the Python peers use
// scikit-learn's metrics, which these match).

import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { FeatureMatrix } from "../../src/ml/features.js";
import type { BenchDataInfo } from "./generate.js";

export interface Split {
  readonly X: FeatureMatrix;
  /** Labels as numbers (0/1 for classification). */
  readonly y: Float64Array;
}

export function readInfo(prefix: string): BenchDataInfo {
  return JSON.parse(readFileSync(`${prefix}.json`, "utf8"));
}

/**
 * Rows [start, end) as float64 columns, read in chunks so that no float32 copy of the whole
 * file stays in memory (the RSS figures are about the fit, not about our reader).
 */
export function readRows(prefix: string, start: number, end: number): Split {
  const info = readInfo(prefix);
  const n = end - start;
  const cols = Array.from({ length: info.cols }, () => new Float64Array(n));
  const chunk = 8192;
  const buf = new Float32Array(chunk * info.cols);
  const bytes = new Uint8Array(buf.buffer);
  const fd = openSync(`${prefix}.x.f32`, "r");
  try {
    for (let r = 0; r < n; r += chunk) {
      const m = Math.min(chunk, n - r);
      const len = m * info.cols * 4;
      let got = 0;
      while (got < len) {
        const k = readSync(fd, bytes, got, len - got, (start + r) * info.cols * 4 + got);
        if (k === 0) throw new Error(`${prefix}.x.f32 is shorter than its description says`);
        got += k;
      }
      for (let i = 0; i < m; i++) for (let j = 0; j < info.cols; j++) cols[j][r + i] = buf[i * info.cols + j];
    }
  } finally {
    closeSync(fd);
  }
  const yb = readFileSync(`${prefix}.y.f32`);
  const yAll = new Float32Array(yb.buffer.slice(yb.byteOffset, yb.byteOffset + yb.byteLength));
  const y = Float64Array.from(yAll.subarray(start, end));
  const X = new FeatureMatrix(
    cols.map((values, j) => ({ kind: "numeric" as const, name: info.names[j], values })),
    n,
  );
  return { X, y };
}

/** Area under the ROC curve (ties counted half), by sorting the scores. */
export function auc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (y[order[k]] === 1) {
        pos++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function accuracy(y: ArrayLike<number>, score: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if ((score[i] >= 0.5 ? 1 : 0) === y[i]) ok++;
  return ok / y.length;
}

export function r2(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    ssRes += (y[i] - pred[i]) ** 2;
    ssTot += (y[i] - mean) ** 2;
  }
  return 1 - ssRes / ssTot;
}

export const maxRssBytes = (): number => process.resourceUsage().maxRSS * 1024;
