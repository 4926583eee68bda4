import { InputError } from "../errors.js";
import { selectKth } from "../quickselect.js";
import { checkNumbers, checkSameLength, checkWeights, type WeightOptions } from "./inputs.js";
import { argsortFloat64 } from "./sort.js";

/** float64 machine epsilon: MAPE's floor on |y| (scikit-learn). */
const EPS = 2.220446049250313e-16;

interface Pair {
  y: Float64Array;
  f: Float64Array;
  w: Float64Array | undefined;
  n: number;
}

function pair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: WeightOptions): Pair {
  checkSameLength(yTrue, yPred, "yTrue", "yPred");
  const n = yTrue.length;
  if (n === 0) throw new InputError("a regression metric needs at least one row", "yTrue");
  return {
    y: checkNumbers(yTrue, "yTrue"),
    f: checkNumbers(yPred, "yPred"),
    w: checkWeights(options.sampleWeight, n),
    n,
  };
}

/** Σ w, or n unweighted; 0 is an error (no mean to take). */
function weightSum(w: Float64Array | undefined, n: number): number {
  if (w === undefined) return n;
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i];
  if (total === 0) throw new InputError("sampleWeight sums to 0", "sampleWeight");
  return total;
}

// Each metric is its own loop: a shared loop calling a per-metric closure is megamorphic and
// several times slower on 1M rows.

/** numpy.average(y, weights). */
function mean(y: Float64Array, w: Float64Array | undefined, n: number): number {
  let s = 0;
  if (w === undefined) for (let i = 0; i < n; i++) s += y[i];
  else for (let i = 0; i < n; i++) s += y[i] * w[i];
  return s / weightSum(w, n);
}

export function meanAbsoluteError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: WeightOptions = {},
): number {
  const { y, f, w, n } = pair(yTrue, yPred, options);
  let s = 0;
  if (w === undefined) for (let i = 0; i < n; i++) s += Math.abs(f[i] - y[i]);
  else for (let i = 0; i < n; i++) s += Math.abs(f[i] - y[i]) * w[i];
  return s / weightSum(w, n);
}

export function meanSquaredError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: WeightOptions = {},
): number {
  const { y, f, w, n } = pair(yTrue, yPred, options);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i] - f[i];
    s += w === undefined ? d * d : d * d * w[i];
  }
  return s / weightSum(w, n);
}

export function rootMeanSquaredError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: WeightOptions = {},
): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred, options));
}

/** Mean of |y − ŷ| / max(|y|, ε): a fraction (0.1 = 10%), huge when some y is 0, as scikit-learn. */
export function meanAbsolutePercentageError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: WeightOptions = {},
): number {
  const { y, f, w, n } = pair(yTrue, yPred, options);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(f[i] - y[i]) / Math.max(Math.abs(y[i]), EPS);
    s += w === undefined ? e : e * w[i];
  }
  return s / weightSum(w, n);
}

/** Median of |y − ŷ|; with weights, scikit-learn's weighted (lower) 50th percentile. */
export function medianAbsoluteError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: WeightOptions = {},
): number {
  const { y, f, w, n } = pair(yTrue, yPred, options);
  const err = new Float64Array(n);
  for (let i = 0; i < n; i++) err[i] = Math.abs(f[i] - y[i]);
  if (w === undefined) {
    // numpy.median: the middle value, or the mean of the two middle values (selection, no full sort)
    const h = n >> 1;
    const upper = selectKth(err, h);
    if (n % 2 === 1) return upper;
    let lower = err[0];
    for (let i = 1; i < h; i++) if (err[i] > lower) lower = err[i];
    return (lower + upper) / 2;
  }
  const order = argsortFloat64(err);
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i];
  let half = 0.5 * total;
  if (half === 0) half = Number.MIN_VALUE;
  let cdf = 0;
  for (let r = 0; r < n; r++) {
    cdf += w[order[r]];
    if (cdf >= half) return err[order[r]];
  }
  return err[order[n - 1]];
}

/** Returns 1 − num/den with scikit-learn's force_finite rule: 0/0 → 1, x/0 → 0. */
function finiteScore(num: number, den: number): number {
  if (den !== 0) return num !== 0 ? 1 - num / den : 1;
  return num !== 0 ? 0 : 1;
}

/** Coefficient of determination; NaN with fewer than two rows (as scikit-learn). */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: WeightOptions = {}): number {
  const { y, f, w, n } = pair(yTrue, yPred, options);
  if (n < 2) return Number.NaN;
  const m = mean(y, w, n);
  let num = 0;
  let den = 0;
  if (w === undefined) {
    for (let i = 0; i < n; i++) {
      const d = y[i] - f[i];
      const e = y[i] - m;
      num += d * d;
      den += e * e;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const d = y[i] - f[i];
      const e = y[i] - m;
      num += w[i] * d * d;
      den += w[i] * e * e;
    }
  }
  return finiteScore(num, den);
}

/** 1 − Var(y − ŷ) / Var(y). */
export function explainedVariance(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: WeightOptions = {},
): number {
  const { y, f, w, n } = pair(yTrue, yPred, options);
  const total = weightSum(w, n);
  let diffSum = 0;
  let ySum = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === undefined ? 1 : w[i];
    diffSum += wi * (y[i] - f[i]);
    ySum += wi * y[i];
  }
  const diffMean = diffSum / total;
  const yMean = ySum / total;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === undefined ? 1 : w[i];
    const d = y[i] - f[i] - diffMean;
    const e = y[i] - yMean;
    num += wi * d * d;
    den += wi * e * e;
  }
  return finiteScore(num / total, den / total);
}
