import { Random } from "../../data/random.js";
import { InputError, ParameterError } from "../errors.js";
import type { DenseRows } from "./dense.js";

/** Labels renumbered 0..m-1 in order of first appearance, with the count m and each cluster's size. */
export function denseLabels(labels: Int32Array): { codes: Int32Array; m: number; sizes: Float64Array } {
  const index = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let c = index.get(labels[i]);
    if (c === undefined) {
      c = index.size;
      index.set(labels[i], c);
    }
    codes[i] = c;
  }
  const sizes = new Float64Array(index.size);
  for (let i = 0; i < codes.length; i++) sizes[codes[i]]++;
  return { codes, m: index.size, sizes };
}

function checkClusterCount(m: number, n: number): void {
  if (m < 2 || m > n - 1) {
    throw new InputError(
      `the labels form ${m} cluster(s) over ${n} rows; these scores need 2 to ${n - 1} clusters`,
      "labels",
    );
  }
}

export interface SilhouetteOptions {
  /** Score a random subset of this many rows (distances among them only), as scikit-learn does. */
  sampleSize?: number;
  /** Seed of the subset's draw. */
  randomState?: number;
  /** Rows whose distances to all rows are computed at once (memory: block × clusters). */
  blockSize?: number;
}

/**
 * Each row's silhouette (b − a) / max(a, b): a = mean distance to the other rows of its cluster,
 * b = the least mean distance to the rows of another cluster; 0 for a row alone in its cluster.
 * Exact: O(n² d) time, O(block × clusters) memory.
 */
export function silhouetteRows(rows: DenseRows, labels: Int32Array, blockSize = 256): Float64Array {
  const { data, nRows: n, nCols: d } = rows;
  const { codes, m, sizes } = denseLabels(labels);
  checkClusterCount(m, n);
  const out = new Float64Array(n);
  const block = Math.max(1, Math.min(blockSize, n));
  const sums = new Float64Array(block * m);
  for (let start = 0; start < n; start += block) {
    const end = Math.min(n, start + block);
    sums.fill(0);
    for (let i = start; i < end; i++) {
      const so = (i - start) * m;
      const io = i * d;
      for (let j = 0; j < n; j++) {
        const jo = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = data[io + t] - data[jo + t];
          s += diff * diff;
        }
        sums[so + codes[j]] += Math.sqrt(s);
      }
    }
    for (let i = start; i < end; i++) {
      const so = (i - start) * m;
      const own = codes[i];
      if (sizes[own] <= 1) {
        out[i] = 0;
        continue;
      }
      const a = sums[so + own] / (sizes[own] - 1);
      let b = Number.POSITIVE_INFINITY;
      for (let c = 0; c < m; c++) {
        if (c === own) continue;
        const v = sums[so + c] / sizes[c];
        if (v < b) b = v;
      }
      const den = Math.max(a, b);
      out[i] = den > 0 ? (b - a) / den : 0;
    }
  }
  return out;
}

/** The mean silhouette over all rows, or over a seeded random subset of `sampleSize` rows. */
export function silhouetteScoreRows(
  rows: DenseRows,
  labels: Int32Array,
  options: SilhouetteOptions = {},
): number {
  const { sampleSize, randomState = 0, blockSize } = options;
  let r = rows;
  let l = labels;
  if (sampleSize !== undefined && sampleSize < rows.nRows) {
    if (!Number.isInteger(sampleSize) || sampleSize < 2) {
      throw new ParameterError("sampleSize", `an integer in [2, ${rows.nRows}]`, sampleSize);
    }
    const pick = new Random(randomState).permutation(rows.nRows).subarray(0, sampleSize);
    const d = rows.nCols;
    const data = new Float64Array(sampleSize * d);
    l = new Int32Array(sampleSize);
    for (let s = 0; s < sampleSize; s++) {
      data.set(rows.data.subarray(pick[s] * d, pick[s] * d + d), s * d);
      l[s] = labels[pick[s]];
    }
    r = { ...rows, data, nRows: sampleSize };
  }
  const s = silhouetteRows(r, l, blockSize);
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i];
  return total / s.length;
}

/** Per cluster: mean of each column (m × d) and the overall mean (d). */
function centroids(rows: DenseRows, codes: Int32Array, m: number, sizes: Float64Array) {
  const { data, nRows: n, nCols: d } = rows;
  const means = new Float64Array(m * d);
  const overall = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const co = codes[i] * d;
    for (let t = 0; t < d; t++) {
      means[co + t] += data[i * d + t];
      overall[t] += data[i * d + t];
    }
  }
  for (let c = 0; c < m; c++) for (let t = 0; t < d; t++) means[c * d + t] /= sizes[c];
  for (let t = 0; t < d; t++) overall[t] /= n;
  return { means, overall };
}

/** Between-cluster over within-cluster dispersion, each per degree of freedom (higher is better). */
export function calinskiHarabaszRows(rows: DenseRows, labels: Int32Array): number {
  const { data, nRows: n, nCols: d } = rows;
  const { codes, m, sizes } = denseLabels(labels);
  checkClusterCount(m, n);
  const { means, overall } = centroids(rows, codes, m, sizes);
  let extra = 0;
  for (let c = 0; c < m; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = means[c * d + t] - overall[t];
      s += diff * diff;
    }
    extra += sizes[c] * s;
  }
  let intra = 0;
  for (let i = 0; i < n; i++) {
    const co = codes[i] * d;
    for (let t = 0; t < d; t++) {
      const diff = data[i * d + t] - means[co + t];
      intra += diff * diff;
    }
  }
  return intra === 0 ? 1 : (extra * (n - m)) / (intra * (m - 1));
}

/** Mean over clusters of the worst (s_i + s_j) / d(c_i, c_j), s = mean distance to the centroid (lower is better). */
export function daviesBouldinRows(rows: DenseRows, labels: Int32Array): number {
  const { data, nRows: n, nCols: d } = rows;
  const { codes, m, sizes } = denseLabels(labels);
  checkClusterCount(m, n);
  const { means } = centroids(rows, codes, m, sizes);
  const spread = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const co = codes[i] * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = data[i * d + t] - means[co + t];
      s += diff * diff;
    }
    spread[codes[i]] += Math.sqrt(s);
  }
  for (let c = 0; c < m; c++) spread[c] /= sizes[c];
  const between = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = means[a * d + t] - means[b * d + t];
        s += diff * diff;
      }
      between[a * m + b] = Math.sqrt(s);
    }
  }
  // scikit-learn returns 0 when every spread or every centroid distance is (close to) zero.
  if (spread.every((s) => Math.abs(s) <= 1e-8) || between.every((s) => Math.abs(s) <= 1e-8)) return 0;
  let total = 0;
  for (let a = 0; a < m; a++) {
    let worst = 0;
    for (let b = 0; b < m; b++) {
      if (between[a * m + b] === 0) continue;
      const v = (spread[a] + spread[b]) / between[a * m + b];
      if (v > worst) worst = v;
    }
    total += worst;
  }
  return total / m;
}
