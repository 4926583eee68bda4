import { InputError, ParameterError } from "../errors.js";
import type { Label } from "../target.js";
import { checkSameLength, checkWeights, uniqueLabels, type WeightOptions } from "./inputs.js";
import { binaryScores, multiclassScores, type ScoreOptions } from "./scores.js";
import { sortedCopy } from "./sort.js";

/** float64 machine epsilon: scikit-learn 1.2's eps="auto" for float64 probabilities. */
const EPS = 2.220446049250313e-16;

export interface LogLossOptions extends WeightOptions {
  /**
   * The columns of `proba` (a classifier's `classes`). Without it, `proba` must be 1-D: the
   * probability of the greater of yTrue's two labels.
   */
  classes?: readonly Label[];
  /** Probabilities are clipped to [eps, 1 − eps] and rows renormalized (default: float64 epsilon). */
  eps?: number;
  /** false: the (weighted) sum instead of the mean. */
  normalize?: boolean;
}

function weightedMean(loss: Float64Array, w: Float64Array | undefined, normalize: boolean): number {
  let s = 0;
  let total = 0;
  for (let i = 0; i < loss.length; i++) {
    const wi = w === undefined ? 1 : w[i];
    s += loss[i] * wi;
    total += wi;
  }
  if (!normalize) return s;
  if (total === 0) throw new InputError("the mean needs at least one row with a positive weight", "yTrue");
  return s / total;
}

/** Cross-entropy of predicted probabilities (scikit-learn 1.2's log_loss with eps="auto"). */
export function logLoss(
  yTrue: ArrayLike<Label>,
  proba: ArrayLike<number>,
  options: LogLossOptions = {},
): number {
  const eps = options.eps ?? EPS;
  if (!(eps > 0 && eps < 0.5)) throw new ParameterError("eps", "a number in (0, 0.5)", eps);
  const n = yTrue.length;
  const classes = options.classes ?? uniqueLabels(yTrue);
  if (classes.length < 2) {
    throw new InputError(
      `log loss needs at least two classes; got ${JSON.stringify(classes)} (pass classes explicitly)`,
      "classes",
    );
  }
  const w = checkWeights(options.sampleWeight, n);
  const clip = (p: number) => (p < eps ? eps : p > 1 - eps ? 1 - eps : p);
  const loss = new Float64Array(n);
  if (proba.length === n && classes.length === 2) {
    const { codes } = multiclassScores(yTrue, new Float64Array(2 * n), classes);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(proba[i])) throw new InputError(`proba is missing at row ${i + 1}`, "proba");
      const p1 = clip(proba[i]);
      const p0 = 1 - p1; // scikit-learn clips the given column only, then appends its complement
      loss[i] = -Math.log((codes[i] === 1 ? p1 : p0) / (p0 + p1));
    }
  } else {
    const { codes, proba: m, k } = multiclassScores(yTrue, proba, classes);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += clip(m[i * k + j]);
      loss[i] = -Math.log(clip(m[i * k + codes[i]]) / s);
    }
  }
  return weightedMean(loss, w, options.normalize ?? true);
}

/**
 * Brier score: mean squared difference between predicted probability and outcome. Binary (1-D
 * probability of the positive class, or a two-column matrix): mean (p − y)², as scikit-learn 1.2.
 * More classes: mean over rows of Σ_k (p_k − [y = k])² (the original multiclass definition, in [0, 2]).
 */
export function brierScore(
  yTrue: ArrayLike<Label>,
  proba: ArrayLike<number>,
  options: ScoreOptions & WeightOptions = {},
): number {
  const n = yTrue.length;
  const w = checkWeights(options.sampleWeight, n);
  const loss = new Float64Array(n);
  const { classes } = options;
  if (classes !== undefined && classes.length > 2) {
    const { codes, proba: m, k } = multiclassScores(yTrue, proba, classes);
    checkUnit(m, "proba");
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        const d = m[i * k + j] - (codes[i] === j ? 1 : 0);
        s += d * d;
      }
      loss[i] = s;
    }
  } else {
    const b = binaryScores(yTrue, proba, options);
    checkUnit(b.score, "proba");
    for (let i = 0; i < n; i++) {
      const d = b.pos[i] - b.score[i];
      loss[i] = d * d;
    }
  }
  return weightedMean(loss, w, true);
}

function checkUnit(p: Float64Array, name: string): void {
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1))
      throw new InputError(`${name} must be in [0, 1] (row ${i + 1}: ${p[i]})`, name);
  }
}

export interface CalibrationCurve {
  /** Share of positives in each non-empty bin. */
  probTrue: number[];
  /** Mean predicted probability in each non-empty bin. */
  probPred: number[];
  /** Rows in each non-empty bin. */
  counts: number[];
  /** All nBins + 1 bin edges (empty bins are left out of the other arrays, as scikit-learn). */
  edges: number[];
}

export interface CalibrationOptions extends ScoreOptions {
  /** Default 5, as scikit-learn. */
  nBins?: number;
  /** "uniform" (default): equal-width bins on [0, 1]; "quantile": equal-count bins. */
  strategy?: "uniform" | "quantile";
}

/** Reliability diagram data (scikit-learn's calibration_curve). */
export function calibrationCurve(
  yTrue: ArrayLike<Label>,
  proba: ArrayLike<number>,
  options: CalibrationOptions = {},
): CalibrationCurve {
  const nBins = options.nBins ?? 5;
  const strategy = options.strategy ?? "uniform";
  if (!Number.isInteger(nBins) || nBins < 1) throw new ParameterError("nBins", "an integer >= 1", nBins);
  if (strategy !== "uniform" && strategy !== "quantile") {
    throw new ParameterError("strategy", `"uniform" or "quantile"`, strategy);
  }
  if (uniqueLabels(yTrue).length > 2)
    throw new InputError("calibration curves are for binary targets", "yTrue");
  const b = binaryScores(yTrue, proba, options);
  checkSameLength(yTrue, b.score, "yTrue", "proba");
  const p = b.score;
  checkUnit(p, "proba");
  const n = p.length;
  if (n === 0) throw new InputError("a calibration curve needs at least one row", "yTrue");
  const step = 1 / nBins;
  const edges = new Array<number>(nBins + 1);
  if (strategy === "uniform") {
    for (let i = 0; i < nBins; i++) edges[i] = i * step;
    edges[nBins] = 1;
  } else {
    const sorted = sortedCopy(p);
    for (let i = 0; i <= nBins; i++)
      edges[i] = linearQuantile(sorted, i === nBins ? 1 : (i * step * 100) / 100);
  }
  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    // numpy.searchsorted(edges[1:-1], p) with side="left": the first inner edge >= p
    let lo = 1;
    let hi = nBins;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid] < p[i]) lo = mid + 1;
      else hi = mid;
    }
    const bin = lo - 1;
    sums[bin] += p[i];
    trues[bin] += b.pos[i];
    totals[bin] += 1;
  }
  const out: CalibrationCurve = { probTrue: [], probPred: [], counts: [], edges };
  for (let j = 0; j < nBins; j++) {
    if (totals[j] === 0) continue;
    out.probTrue.push(trues[j] / totals[j]);
    out.probPred.push(sums[j] / totals[j]);
    out.counts.push(totals[j]);
  }
  return out;
}

/** numpy.percentile's default (linear) method on sorted data, q in [0, 1]. */
function linearQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  const lo = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const hi = Math.min(lo + 1, n - 1);
  const t = virtual - lo;
  const a = sorted[lo];
  const d = sorted[hi] - a;
  return t >= 0.5 ? sorted[hi] - d * (1 - t) : a + d * t;
}
