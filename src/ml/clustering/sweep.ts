import { ParameterError } from "../errors.js";
import type { FitOptions } from "../estimator.js";
import type { Features } from "../features.js";
import { resolveParams } from "../params.js";
import { checkWeights, numericColumns, toRowMajor } from "./dense.js";
import { KMEANS_PARAMS, type KMeansParams } from "./kmeans.js";
import { fitKMeans } from "./run.js";
import { silhouetteScoreRows } from "./scores.js";

export interface SweepOptions extends FitOptions {
  /** The k values to try (default 2..10, those below the number of rows). */
  readonly kValues?: readonly number[];
  /** KMeans params for every k (nClusters is set per k); default nInit 4, seeded. */
  readonly kmeans?: Partial<Omit<KMeansParams, "nClusters">>;
  /** Silhouette on a seeded subset of this many rows when there are more (default 5,000); null: exact. */
  readonly silhouetteSampleSize?: number | null;
  /** Silhouettes within this much of the best count as ties, settled by the elbow (default 0.02). */
  readonly silhouetteTolerance?: number;
}

export interface SweepPoint {
  readonly k: number;
  readonly inertia: number;
  /** Mean silhouette (null for k = 1, where it is undefined). */
  readonly silhouette: number | null;
  readonly nIter: number;
}

export interface SweepResult {
  readonly points: readonly SweepPoint[];
  /** The k of the inertia curve's elbow: farthest below the chord from the first to the last point. */
  readonly elbowK: number;
  readonly recommendedK: number;
  /** Why `recommendedK`, in words. */
  readonly reason: string;
}

/**
 * Fits k-means for each k and recommends one. The rule: the best mean silhouette wins; k values
 * whose silhouette is within `silhouetteTolerance` of the best are ties, settled by closeness to
 * the elbow of the inertia curve (then by the smaller k). The elbow is the k whose point lies
 * farthest below the straight line from the first to the last point of the (k, inertia) curve,
 * both axes scaled to [0, 1].
 */
export async function sweepK(X: Features, options: SweepOptions = {}): Promise<SweepResult> {
  const cols = numericColumns(X);
  const rows = {
    data: toRowMajor(cols),
    nRows: cols.nRows,
    nCols: cols.columns.length,
    names: cols.names,
    spec: cols.spec,
  };
  const weights = checkWeights(options.sampleWeight, rows.nRows);
  const kValues = [...(options.kValues ?? [2, 3, 4, 5, 6, 7, 8, 9, 10].filter((k) => k < rows.nRows))].sort(
    (a, b) => a - b,
  );
  if (kValues.length === 0 || kValues.some((k) => !Number.isInteger(k) || k < 1 || k > rows.nRows)) {
    throw new ParameterError(
      "kValues",
      `a non-empty list of integers in [1, ${rows.nRows}]`,
      kValues.join(", "),
    );
  }
  const params = resolveParams("sweepK.kmeans", KMEANS_PARAMS, { nInit: 4, ...options.kmeans });
  const sample = options.silhouetteSampleSize === undefined ? 5000 : options.silhouetteSampleSize;
  const tolerance = options.silhouetteTolerance ?? 0.02;
  const points: SweepPoint[] = [];
  for (const k of kValues) {
    const fit = await fitKMeans("sweepK", cols, { ...params, nClusters: k }, weights, {
      signal: options.signal,
    });
    const distinct = new Set(fit.labels).size;
    const silhouette =
      distinct < 2 || distinct > rows.nRows - 1
        ? null
        : silhouetteScoreRows(rows, fit.labels, {
            sampleSize: sample === null ? undefined : sample,
            randomState: params.randomState,
          });
    points.push({ k, inertia: fit.inertia, silhouette, nIter: fit.nIter });
    options.onProgress?.({ done: points.length, total: kValues.length, message: `k=${k}` });
  }
  const elbowK = elbowOf(points);
  const scored = points.filter((p) => p.silhouette !== null);
  if (scored.length === 0) {
    return {
      points,
      elbowK,
      recommendedK: elbowK,
      reason: "no k with a silhouette: the elbow of the inertia curve",
    };
  }
  const best = Math.max(...scored.map((p) => p.silhouette ?? Number.NEGATIVE_INFINITY));
  const ties = scored.filter((p) => (p.silhouette ?? Number.NEGATIVE_INFINITY) >= best - tolerance);
  ties.sort((a, b) => Math.abs(a.k - elbowK) - Math.abs(b.k - elbowK) || a.k - b.k);
  const pick = ties[0];
  const reason =
    ties.length === 1
      ? `best mean silhouette (${pick.silhouette?.toFixed(3)})`
      : `silhouette within ${tolerance} of the best (${best.toFixed(3)}) for k = ${ties
          .map((p) => p.k)
          .sort((a, b) => a - b)
          .join(", ")}; the closest to the inertia elbow (k = ${elbowK})`;
  return { points, elbowK, recommendedK: pick.k, reason };
}

function elbowOf(points: readonly SweepPoint[]): number {
  if (points.length < 3) return points[0].k;
  const first = points[0];
  const last = points[points.length - 1];
  const kSpan = last.k - first.k || 1;
  const iSpan = first.inertia - last.inertia || 1;
  let bestK = first.k;
  let bestGap = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    const x = (p.k - first.k) / kSpan;
    const y = (first.inertia - p.inertia) / iSpan;
    const gap = y - x; // height above the chord, in the "inertia removed" direction
    if (gap > bestGap) {
      bestGap = gap;
      bestK = p.k;
    }
  }
  return bestK;
}
