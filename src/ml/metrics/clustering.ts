import { denseRows, labelArray } from "../clustering/dense.js";
import {
  calinskiHarabaszRows,
  daviesBouldinRows,
  type SilhouetteOptions,
  silhouetteRows,
  silhouetteScoreRows,
} from "../clustering/scores.js";
import { InputError } from "../errors.js";
import type { Features } from "../features.js";

export type { SilhouetteOptions } from "../clustering/scores.js";

/**
 * Clustering metrics over numeric features (a categorical feature or a missing value is an
 * InputError naming it) and one integer label per row; any label values work (−1, DBSCAN's
 * noise, is a cluster like the others, as in scikit-learn). Distances are Euclidean.
 */

/**
 * The mean silhouette coefficient, in [−1, 1] (higher: tighter, better separated clusters).
 * Exact by default — O(n²) distances in blocks, so memory stays small; with `sampleSize`, the
 * exact score of a seeded random subset (for large n).
 */
export function silhouetteScore(
  X: Features,
  labels: ArrayLike<number>,
  options: SilhouetteOptions = {},
): number {
  const rows = denseRows(X);
  return silhouetteScoreRows(rows, labelArray(labels, rows.nRows), options);
}

/** Each row's silhouette coefficient (0 for a row alone in its cluster). */
export function silhouetteSamples(X: Features, labels: ArrayLike<number>): Float64Array {
  const rows = denseRows(X);
  return silhouetteRows(rows, labelArray(labels, rows.nRows));
}

/** The Calinski–Harabasz index (variance ratio criterion; higher is better). */
export function calinskiHarabasz(X: Features, labels: ArrayLike<number>): number {
  const rows = denseRows(X);
  return calinskiHarabaszRows(rows, labelArray(labels, rows.nRows));
}

/** The Davies–Bouldin index (0 is best; lower is better). */
export function daviesBouldin(X: Features, labels: ArrayLike<number>): number {
  const rows = denseRows(X);
  return daviesBouldinRows(rows, labelArray(labels, rows.nRows));
}

/**
 * The adjusted Rand index of two labelings of the same rows: 1 for identical partitions (up to
 * renaming), about 0 for independent ones. Computed from the pair-confusion counts.
 */
export function adjustedRandScore(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new InputError(`the labelings have ${n} and ${b.length} entries`, "labels");
  const la = labelArray(a, n, "labelsTrue");
  const lb = labelArray(b, n, "labelsPred");
  const counts = new Map<string, number>();
  const ca = new Map<number, number>();
  const cb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${la[i]},${lb[i]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    ca.set(la[i], (ca.get(la[i]) ?? 0) + 1);
    cb.set(lb[i], (cb.get(lb[i]) ?? 0) + 1);
  }
  let sumSquares = 0;
  for (const v of counts.values()) sumSquares += v * v;
  let sa = 0;
  for (const v of ca.values()) sa += v * v;
  let sb = 0;
  for (const v of cb.values()) sb += v * v;
  // Pair confusion: ordered pairs together/apart in each labeling.
  const tp = sumSquares - n;
  const fp = sb - sumSquares;
  const fn = sa - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}
