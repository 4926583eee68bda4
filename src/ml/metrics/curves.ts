import { InputError } from "../errors.js";
import type { Label } from "../target.js";
import { checkSameLength, checkWeights, type WeightOptions } from "./inputs.js";
import { binaryScores, type ScoreOptions } from "./scores.js";

/**
 * Cumulative counts at each distinct score, highest first (scikit-learn's _binary_clf_curve):
 * `tps[i]`/`fps[i]` weigh the positive/negative rows scoring ≥ `thresholds[i]`.
 */
export interface ClfCurve {
  fps: Float64Array;
  tps: Float64Array;
  thresholds: Float64Array;
}

function sortedDesc(a: Float64Array): Float64Array {
  a.sort();
  return a.reverse();
}

/**
 * O(n log n) with native typed-array sorts only. Unweighted: positives' and negatives' scores are
 * sorted apart and merged; weighted: rows are binned onto the sorted distinct scores by binary search.
 * Rows of zero weight are dropped first, as scikit-learn does.
 */
export function clfCurve(score: Float64Array, pos: Uint8Array, w: Float64Array | undefined): ClfCurve {
  const n = score.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(score[i]))
      throw new InputError(`scores is missing or not finite at row ${i + 1}`, "scores");
  }
  let kept = n;
  if (w !== undefined) for (let i = 0; i < n; i++) if (w[i] === 0) kept--;
  if (kept === 0) throw new InputError("a curve needs at least one row of positive weight", "yTrue");
  if (w === undefined) return unweightedCurve(score, pos);
  const sorted = new Float64Array(kept);
  for (let i = 0, j = 0; i < n; i++) if (w[i] !== 0) sorted[j++] = score[i];
  sortedDesc(sorted);
  let m = 0;
  for (let i = 0; i < kept; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i];
  const thresholds = sorted.slice(0, m);
  const posW = new Float64Array(m);
  const negW = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    if (w[i] === 0) continue;
    const s = score[i];
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (thresholds[mid] > s) lo = mid + 1;
      else hi = mid;
    }
    if (pos[i]) posW[lo] += w[i];
    else negW[lo] += w[i];
  }
  for (let i = 1; i < m; i++) {
    posW[i] += posW[i - 1];
    negW[i] += negW[i - 1];
  }
  return { fps: negW, tps: posW, thresholds };
}

function unweightedCurve(score: Float64Array, pos: Uint8Array): ClfCurve {
  const n = score.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += pos[i];
  const ps = new Float64Array(nPos);
  const ns = new Float64Array(n - nPos);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (pos[i]) ps[a++] = score[i];
    else ns[b++] = score[i];
  }
  sortedDesc(ps);
  sortedDesc(ns);
  const fps = new Float64Array(n);
  const tps = new Float64Array(n);
  const thresholds = new Float64Array(n);
  let a = 0;
  let b = 0;
  let m = 0;
  while (a < ps.length || b < ns.length) {
    const s = a < ps.length && (b >= ns.length || ps[a] >= ns[b]) ? ps[a] : ns[b];
    while (a < ps.length && ps[a] === s) a++;
    while (b < ns.length && ns[b] === s) b++;
    tps[m] = a;
    fps[m] = b;
    thresholds[m++] = s;
  }
  return { fps: fps.slice(0, m), tps: tps.slice(0, m), thresholds: thresholds.slice(0, m) };
}

export interface CurveOptions extends ScoreOptions, WeightOptions {}

function binaryCurve(yTrue: ArrayLike<Label>, scores: ArrayLike<number>, options: CurveOptions): ClfCurve {
  const b = binaryScores(yTrue, scores, options);
  checkSameLength(yTrue, b.score, "yTrue", "scores");
  return clfCurve(b.score, b.pos, checkWeights(options.sampleWeight, yTrue.length));
}

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** Decreasing; the first is the highest score + 1 (scikit-learn 1.2), so the curve starts at (0, 0). */
  thresholds: Float64Array;
}

/** ROC points from curve counts; `drop` removes collinear points as scikit-learn's drop_intermediate. */
export function rocFromCounts(c: ClfCurve, drop: boolean): RocCurve {
  let { fps, tps, thresholds } = c;
  const m = fps.length;
  if (drop && m > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < m - 1; i++) {
      // second differences non-zero: the slope changes at point i
      const df = fps[i + 1] - fps[i] - (fps[i] - fps[i - 1]);
      const dt = tps[i + 1] - tps[i] - (tps[i] - tps[i - 1]);
      if (df !== 0 || dt !== 0) keep.push(i);
    }
    keep.push(m - 1);
    fps = Float64Array.from(keep, (i) => fps[i]);
    tps = Float64Array.from(keep, (i) => tps[i]);
    thresholds = Float64Array.from(keep, (i) => thresholds[i]);
  }
  const len = fps.length + 1;
  const fpr = new Float64Array(len);
  const tpr = new Float64Array(len);
  const th = new Float64Array(len);
  const fLast = fps[fps.length - 1];
  const tLast = tps[tps.length - 1];
  th[0] = thresholds[0] + 1;
  for (let i = 1; i < len; i++) {
    // No negatives (or positives): the rate is undefined, NaN as in scikit-learn.
    fpr[i] = fLast > 0 ? fps[i - 1] / fLast : Number.NaN;
    tpr[i] = tLast > 0 ? tps[i - 1] / tLast : Number.NaN;
    th[i] = thresholds[i - 1];
  }
  if (!(fLast > 0)) fpr[0] = Number.NaN;
  if (!(tLast > 0)) tpr[0] = Number.NaN;
  return { fpr, tpr, thresholds: th };
}

/** Receiver operating characteristic (scikit-learn's roc_curve, drop_intermediate by default). */
export function rocCurve(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: CurveOptions & { dropIntermediate?: boolean } = {},
): RocCurve {
  return rocFromCounts(binaryCurve(yTrue, scores, options), options.dropIntermediate ?? true);
}

export interface PrecisionRecallCurve {
  /** One more than thresholds: ends with precision 1 at recall 0. */
  precision: Float64Array;
  recall: Float64Array;
  /** Increasing. */
  thresholds: Float64Array;
}

/** Precision and recall at each distinct threshold (scikit-learn 1.2's precision_recall_curve). */
export function prFromCounts(c: ClfCurve): PrecisionRecallCurve {
  const m = c.tps.length;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const thresholds = new Float64Array(m);
  const tLast = c.tps[m - 1];
  for (let i = 0; i < m; i++) {
    const j = m - 1 - i;
    const ps = c.tps[j] + c.fps[j];
    precision[i] = ps !== 0 ? c.tps[j] / ps : 0;
    recall[i] = tLast === 0 ? 1 : c.tps[j] / tLast; // no positives: recall is 1 everywhere
    thresholds[i] = c.thresholds[j];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds };
}

export function precisionRecallCurve(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: CurveOptions = {},
): PrecisionRecallCurve {
  return prFromCounts(binaryCurve(yTrue, scores, options));
}

/** Trapezoidal area under y(x) (numpy.trapz), x monotone. */
export function trapezoid(x: Float64Array, y: Float64Array): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return area;
}
