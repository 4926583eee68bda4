import { InputError } from "../errors.js";
import { checkNumbers, checkSameLength, checkWeights, type WeightOptions } from "./inputs.js";

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

/** numpy.average of per-row values given by `value(i)`: weighted mean, or plain mean. */
function average(n: number, w: Float64Array | undefined, value: (i: number) => number): number {
  let s = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === undefined ? 1 : w[i];
    s += value(i) * wi;
    total += wi;
  }
  if (total === 0) throw new InputError("sampleWeight sums to 0", "sampleWeight");
  return s / total;
}

export function meanAbsoluteError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: WeightOptions = {},
) {
  const { y, f, w, n } = pair(yTrue, yPred, options);
  return average(n, w, (i) => Math.abs(f[i] - y[i]));
}

export function meanSquaredError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: WeightOptions = {},
) {
  const { y, f, w, n } = pair(yTrue, yPred, options);
  return average(n, w, (i) => (y[i] - f[i]) ** 2);
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
  return average(n, w, (i) => Math.abs(f[i] - y[i]) / Math.max(Math.abs(y[i]), EPS));
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
    err.sort();
    const h = n >> 1;
    return n % 2 === 1 ? err[h] : (err[h - 1] + err[h]) / 2;
  }
  // Sort row indices by error (1M indices: a typed-array sort with a comparator, no objects).
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => err[a] - err[b]);
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
  const mean = average(n, w, (i) => y[i]);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === undefined ? 1 : w[i];
    num += wi * (y[i] - f[i]) ** 2;
    den += wi * (y[i] - mean) ** 2;
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
  const diffMean = average(n, w, (i) => y[i] - f[i]);
  const num = average(n, w, (i) => (y[i] - f[i] - diffMean) ** 2);
  const yMean = average(n, w, (i) => y[i]);
  const den = average(n, w, (i) => (y[i] - yMean) ** 2);
  return finiteScore(num, den);
}
