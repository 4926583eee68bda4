import { Random } from "../../data/random.js";
import type { FeatureMatrix } from "../features.js";
import type { Arena } from "./arena.js";
import type { BinJob, HistPool } from "./hist-pool.js";

/** At most this many rows are sorted to find a numeric feature's bin edges. */
export const BIN_SAMPLE_ROWS = 200_000;

/**
 * How one feature maps to bins. Bin 0 always holds missing values (NaN, or categorical
 * code -1); value bins are 1..nBins.
 * - numeric (and indicator): value bin k+1 holds upper[k-1] < x <= upper[k]; the last upper is
 *   +Infinity, so every non-missing value has a bin and a split "bin <= t" is exactly the raw
 *   test "x <= upper[t-1]" that prediction uses.
 * - categorical: each level has its own bin, except that beyond maxBins levels the rarest
 *   ones share the last bin ("other").
 */
export interface FeatureBins {
  readonly categorical: boolean;
  readonly nBins: number;
  readonly upper: Float64Array;
  /** categorical: the bin of each level code. */
  readonly codeBin: Int32Array;
}

/** A value strictly between a < b that keeps a on the left (`x <= t`) and b on the right. */
function cutBetween(a: number, b: number): number {
  const mid = a / 2 + b / 2;
  return mid >= b || mid < a || !Number.isFinite(mid) ? a : mid;
}

/** Bin edges from a sorted sample: each distinct value its own bin, or greedy equal-count bins. */
export function numericEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  const upper: number[] = [];
  let distinct = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    for (let i = 1; i < n; i++)
      if (sorted[i] !== sorted[i - 1]) upper.push(cutBetween(sorted[i - 1], sorted[i]));
  } else {
    // Cut after a run of equal values once the count so far passes the next 1/maxBins quantile.
    let made = 0;
    for (let i = 1; i < n && made < maxBins - 1; i++) {
      if (sorted[i] === sorted[i - 1] || i < ((made + 1) * n) / maxBins) continue;
      upper.push(cutBetween(sorted[i - 1], sorted[i]));
      made = Math.min(maxBins - 1, Math.floor((i * maxBins) / n));
    }
  }
  upper.push(Number.POSITIVE_INFINITY);
  return Float64Array.from(upper);
}

/** The value bin (1-based) of x, by binary search over the edges; 0 for NaN. */
export function binOf(upper: Float64Array, x: number): number {
  if (Number.isNaN(x)) return 0;
  let lo = 0;
  let hi = upper.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= upper[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

/** Raw numbers of feature j (indicators as 0/1); categorical features as codes with -1 missing. */
export function featureValues(X: FeatureMatrix, j: number): Float64Array | Int32Array {
  const f = X.features[j];
  return f.kind === "categorical" ? f.codes : X.numericColumn(j);
}

/**
 * Bins of every feature of X; numeric edges from a seeded sample of at most BIN_SAMPLE_ROWS
 * rows, sorted by the WebAssembly radix sort in the arena.
 */
export function fitBins(X: FeatureMatrix, maxBins: number, seed: number, arena: Arena): FeatureBins[] {
  const n = X.nRows;
  let sample: Int32Array | null = null;
  if (n > BIN_SAMPLE_ROWS) {
    sample = new Random(seed ^ 0x5bd1e995).permutation(n).subarray(0, BIN_SAMPLE_ROWS).sort();
  }
  const m = sample ? sample.length : n;
  const bufPtr = arena.alloc(m * 8);
  const tmpPtr = arena.alloc(m * 8);
  const countsPtr = arena.alloc(2048 * 4);
  return X.features.map((f, j): FeatureBins => {
    if (f.kind === "categorical") {
      const counts = new Float64Array(f.levels.length);
      for (let i = 0; i < n; i++) if (f.codes[i] >= 0) counts[f.codes[i]]++;
      const codeBin = new Int32Array(f.levels.length);
      if (f.levels.length <= maxBins) {
        for (let c = 0; c < codeBin.length; c++) codeBin[c] = c + 1;
        return {
          categorical: true,
          nBins: Math.max(1, f.levels.length),
          upper: new Float64Array(0),
          codeBin,
        };
      }
      // The most frequent levels keep a bin each; the rest share the last one.
      const order = Array.from(counts.keys()).sort((a, b) => counts[b] - counts[a] || a - b);
      codeBin.fill(maxBins);
      for (let r = 0; r < maxBins - 1; r++) codeBin[order[r]] = r + 1;
      return { categorical: true, nBins: maxBins, upper: new Float64Array(0), codeBin };
    }
    const v = featureValues(X, j) as Float64Array;
    const buf = arena.f64(bufPtr, m);
    let k = 0;
    for (let i = 0; i < m; i++) {
      const x = v[sample ? sample[i] : i];
      if (!Number.isNaN(x)) buf[k++] = x;
    }
    arena.k.treeSortF64(bufPtr, k, tmpPtr, countsPtr);
    const upper = numericEdges(buf.subarray(0, k), maxBins);
    return { categorical: false, nBins: upper.length, upper, codeBin: new Int32Array(0) };
  });
}

/**
 * Writes the binned matrix twice into the arena: row-major (nRows × nFeat bytes at rowPtr, for
 * histograms) and column-major (at colPtr, for partitioning a node by one feature). Numeric
 * columns are binned by the WebAssembly kernel, one column per thread at a time.
 */
export function binInto(
  X: FeatureMatrix,
  bins: readonly FeatureBins[],
  arena: Arena,
  rowPtr: number,
  colPtr: number,
  pool: HistPool | null,
): void {
  const n = X.nRows;
  const F = bins.length;
  const T = pool ? pool.nThreads : 1;
  const valuePtrs = Array.from({ length: T }, () => arena.alloc(n * 8));
  const upperPtrs = Array.from({ length: T }, () => arena.alloc(256 * 8));
  const rows = arena.u8(rowPtr, n * F);
  const numeric: number[] = [];
  for (let j = 0; j < F; j++) {
    const fb = bins[j];
    if (!fb.categorical) {
      numeric.push(j);
      continue;
    }
    const codes = featureValues(X, j) as Int32Array;
    const col = arena.u8(colPtr + j * n, n);
    const map = fb.codeBin;
    for (let i = 0, p = j; i < n; i++, p += F) {
      const b = codes[i] < 0 ? 0 : map[codes[i]];
      rows[p] = b;
      col[i] = b;
    }
  }
  for (let g = 0; g < numeric.length; g += T) {
    const jobs: (BinJob | null)[] = [];
    for (let t = 0; t < T; t++) {
      const j = numeric[g + t];
      if (j === undefined) {
        jobs.push(null);
        continue;
      }
      const up = bins[j].upper;
      arena.f64(valuePtrs[t], n).set(featureValues(X, j) as Float64Array);
      arena.f64(upperPtrs[t], up.length).set(up);
      jobs.push({
        values: valuePtrs[t],
        n,
        upper: upperPtrs[t],
        nUpper: up.length,
        rowOut: rowPtr + j,
        stride: F,
        colOut: colPtr + j * n,
      });
    }
    if (pool) pool.bin(jobs);
    else {
      const j = jobs[0] as BinJob;
      arena.k.treeBinColumn(j.values, j.n, j.upper, j.nUpper, j.rowOut, j.stride, j.colOut);
    }
  }
}
