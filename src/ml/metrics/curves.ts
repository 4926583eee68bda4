import { InputError } from "../errors.js";
import type { Label } from "../target.js";
import { checkSameLength, checkWeights, type WeightOptions } from "./inputs.js";
import { binaryScores, type ScoreOptions } from "./scores.js";
import { argsortFloat64 } from "./sort.js";

/**
 * Cumulative counts at each distinct score, highest first (scikit-learn's _binary_clf_curve):
 * `tps[i]`/`fps[i]` weigh the positive/negative rows scoring ≥ `thresholds[i]`.
 */
export interface ClfCurve {
  fps: Float64Array;
  tps: Float64Array;
  thresholds: Float64Array;
}

/**
 * O(n log n)-free in practice: one radix argsort of the scores (see sort.ts), then one walk from
 * the highest score down, closing a point at each change of score. Rows of zero weight are
 * dropped first, as scikit-learn does.
 */
export function clfCurve(score: Float64Array, pos: Uint8Array, w: Float64Array | undefined): ClfCurve {
  let n = score.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(score[i]))
      throw new InputError(`scores is missing or not finite at row ${i + 1}`, "scores");
  }
  if (w?.includes(0)) {
    let kept = 0;
    for (let i = 0; i < n; i++) if (w[i] !== 0) kept++;
    const s2 = new Float64Array(kept);
    const p2 = new Uint8Array(kept);
    const w2 = new Float64Array(kept);
    for (let i = 0, j = 0; i < n; i++) {
      if (w[i] === 0) continue;
      s2[j] = score[i];
      p2[j] = pos[i];
      w2[j++] = w[i];
    }
    score = s2;
    pos = p2;
    w = w2;
    n = kept;
  }
  if (n === 0) throw new InputError("a curve needs at least one row of positive weight", "yTrue");
  const order = argsortFloat64(score);
  const fps = new Float64Array(n);
  const tps = new Float64Array(n);
  const thresholds = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  let m = 0;
  for (let r = n - 1; r >= 0; r--) {
    const i = order[r];
    const s = score[i];
    const wi = w === undefined ? 1 : w[i];
    if (pos[i]) tp += wi;
    else fp += wi;
    if (r === 0 || score[order[r - 1]] !== s) {
      tps[m] = tp;
      fps[m] = fp;
      thresholds[m++] = s;
    }
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
