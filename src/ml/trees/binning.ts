import { Random } from "../../data/random.js";
import type { FeatureMatrix } from "../features.js";

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
  if (n === 0) return Float64Array.of(Number.POSITIVE_INFINITY);
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]++;
    else {
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  const d = values.length;
  const upper: number[] = [];
  if (d <= maxBins) {
    for (let i = 0; i + 1 < d; i++) upper.push(cutBetween(values[i], values[i + 1]));
  } else {
    let cum = 0;
    let made = 0;
    for (let i = 0; i + 1 < d && made < maxBins - 1; i++) {
      cum += counts[i];
      if (cum >= ((made + 1) * n) / maxBins) {
        upper.push(cutBetween(values[i], values[i + 1]));
        made = Math.min(maxBins - 1, Math.floor((cum * maxBins) / n));
      }
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

/** Bins of every feature of X (edges from a seeded sample of at most BIN_SAMPLE_ROWS rows). */
export function fitBins(X: FeatureMatrix, maxBins: number, seed: number): FeatureBins[] {
  const n = X.nRows;
  let sample: Int32Array | null = null;
  if (n > BIN_SAMPLE_ROWS) {
    sample = new Random(seed ^ 0x5bd1e995).permutation(n).subarray(0, BIN_SAMPLE_ROWS).sort();
  }
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
    const m = sample ? sample.length : n;
    const buf = new Float64Array(m);
    let k = 0;
    for (let i = 0; i < m; i++) {
      const x = v[sample ? sample[i] : i];
      if (!Number.isNaN(x)) buf[k++] = x;
    }
    const upper = numericEdges(buf.subarray(0, k).sort(), maxBins);
    return { categorical: false, nBins: upper.length, upper, codeBin: new Int32Array(0) };
  });
}

/** Writes the row-major binned matrix (nRows × nFeat bytes) of X into `out`. */
export function binMatrix(X: FeatureMatrix, bins: readonly FeatureBins[], out: Uint8Array): void {
  const n = X.nRows;
  const F = bins.length;
  for (let j = 0; j < F; j++) {
    const fb = bins[j];
    const v = featureValues(X, j);
    if (fb.categorical) {
      const codes = v as Int32Array;
      const map = fb.codeBin;
      for (let i = 0, p = j; i < n; i++, p += F) out[p] = codes[i] < 0 ? 0 : map[codes[i]];
    } else {
      const x = v as Float64Array;
      const up = fb.upper;
      const last = up.length - 1;
      for (let i = 0, p = j; i < n; i++, p += F) {
        const xi = x[i];
        if (Number.isNaN(xi)) {
          out[p] = 0;
          continue;
        }
        let lo = 0;
        let hi = last;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (xi <= up[mid]) hi = mid;
          else lo = mid + 1;
        }
        out[p] = lo + 1;
      }
    }
  }
}
