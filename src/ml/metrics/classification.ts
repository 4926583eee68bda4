import { InputError, ParameterError } from "../errors.js";
import type { Label } from "../target.js";
import { confusionCounts, confusionMatrix } from "./confusion.js";
import { checkSameLength, checkWeights, encodePair, totalWeight, type WeightOptions } from "./inputs.js";
import { prfs, sum } from "./prf-counts.js";

/** What a ratio with a zero denominator becomes; "warn" behaves as 0 (scikit-learn's default). */
export type ZeroDivision = "warn" | 0 | 1;
export type Average = "binary" | "macro" | "micro" | "weighted";

export interface SetOptions extends WeightOptions {
  /** Labels to report on (and their order); labels absent from the data get zero counts. */
  labels?: readonly Label[];
  /** The positive class when `average` is "binary" (default 1, as scikit-learn). */
  posLabel?: Label;
  zeroDivision?: ZeroDivision;
}
export interface AveragedOptions extends SetOptions {
  /** Default "binary", as scikit-learn. */
  average?: Average;
}
export interface PerClassOptions extends SetOptions {
  /** null: one value per label, in `labels` order. */
  average: null;
}

export interface PrecisionRecallF1Support<T> {
  precision: T;
  recall: T;
  f1: T;
  /** Weighted count of true rows per label; null when averaged (as scikit-learn returns None). */
  support: T extends number ? null : number[];
}

/** Share of rows predicted correctly (scikit-learn's accuracy_score, normalized). */
export function accuracy(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: WeightOptions & { normalize?: boolean } = {},
): number {
  checkSameLength(yTrue, yPred, "yTrue", "yPred");
  const n = yTrue.length;
  const w = checkWeights(options.sampleWeight, n);
  let hit = 0;
  if (w === undefined) {
    for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) hit++;
  } else {
    for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) hit += w[i];
  }
  if (options.normalize === false) return hit;
  const total = totalWeight(w, n);
  if (total === 0) throw new InputError("accuracy needs at least one row with a positive weight", "yTrue");
  return hit / total;
}

/** Mean recall over the classes present in yTrue; `adjusted` rescales so that chance scores 0. */
export function balancedAccuracy(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: WeightOptions & { adjusted?: boolean } = {},
): number {
  const enc = encodePair(yTrue, yPred);
  const k = enc.all.length;
  const cm = confusionCounts(enc.t, enc.p, k, checkWeights(options.sampleWeight, enc.t.length));
  let sum = 0;
  let classes = 0;
  for (let a = 0; a < k; a++) {
    let row = 0;
    for (let b = 0; b < k; b++) row += cm[a * k + b];
    if (row === 0) continue; // a class only predicted: scikit-learn drops its NaN recall
    sum += cm[a * k + a] / row;
    classes++;
  }
  let score = sum / classes;
  if (options.adjusted) {
    const chance = 1 / classes;
    score = (score - chance) / (1 - chance);
  }
  return score;
}

/** Precision, recall, F-beta and support per label or averaged (scikit-learn's precision_recall_fscore_support). */
export function precisionRecallF1Support(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: PerClassOptions & { beta?: number },
): PrecisionRecallF1Support<number[]>;
export function precisionRecallF1Support(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options?: AveragedOptions & { beta?: number },
): PrecisionRecallF1Support<number>;
export function precisionRecallF1Support(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: (AveragedOptions | PerClassOptions) & { beta?: number } = {},
): PrecisionRecallF1Support<number[]> | PrecisionRecallF1Support<number> {
  const average = options.average === undefined ? "binary" : options.average;
  const r = prfs(yTrue, yPred, options.beta ?? 1, average, options);
  if (r.support === null) {
    return { precision: r.precision as number, recall: r.recall as number, f1: r.f as number, support: null };
  }
  return {
    precision: Array.from(r.precision as Float64Array),
    recall: Array.from(r.recall as Float64Array),
    f1: Array.from(r.f as Float64Array),
    support: Array.from(r.support),
  };
}

function pick(
  which: "precision" | "recall" | "f",
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  beta: number,
  options: AveragedOptions | PerClassOptions,
): number | number[] {
  const average = options.average === undefined ? "binary" : options.average;
  const v = prfs(yTrue, yPred, beta, average, options)[which];
  return typeof v === "number" ? v : Array.from(v);
}

/** tp / (tp + fp). */
export function precision(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: PerClassOptions,
): number[];
export function precision(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options?: AveragedOptions,
): number;
export function precision(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: AveragedOptions | PerClassOptions = {},
): number | number[] {
  return pick("precision", yTrue, yPred, 1, options);
}

/** tp / (tp + fn). */
export function recall(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: PerClassOptions): number[];
export function recall(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options?: AveragedOptions): number;
export function recall(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: AveragedOptions | PerClassOptions = {},
): number | number[] {
  return pick("recall", yTrue, yPred, 1, options);
}

/** Harmonic mean of precision and recall. */
export function f1(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: PerClassOptions): number[];
export function f1(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options?: AveragedOptions): number;
export function f1(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: AveragedOptions | PerClassOptions = {},
): number | number[] {
  return pick("f", yTrue, yPred, 1, options);
}

/** F-beta: recall weighted beta times as much as precision. */
export function fbeta(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  beta: number,
  options: PerClassOptions,
): number[];
export function fbeta(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  beta: number,
  options?: AveragedOptions,
): number;
export function fbeta(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  beta: number,
  options: AveragedOptions | PerClassOptions = {},
): number | number[] {
  return pick("f", yTrue, yPred, beta, options);
}

/** Matthews correlation coefficient (multiclass form); 0 when undefined, as scikit-learn. */
export function matthewsCorrcoef(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: WeightOptions = {},
): number {
  const enc = encodePair(yTrue, yPred);
  const k = enc.all.length;
  const cm = confusionCounts(enc.t, enc.p, k, checkWeights(options.sampleWeight, enc.t.length));
  const tSum = new Float64Array(k);
  const pSum = new Float64Array(k);
  let correct = 0;
  for (let a = 0; a < k; a++) {
    correct += cm[a * k + a];
    for (let b = 0; b < k; b++) {
      tSum[a] += cm[a * k + b];
      pSum[b] += cm[a * k + b];
    }
  }
  const n = sum(pSum);
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let a = 0; a < k; a++) {
    tp += tSum[a] * pSum[a];
    pp += pSum[a] * pSum[a];
    tt += tSum[a] * tSum[a];
  }
  const covTP = correct * n - tp;
  const covPP = n * n - pp;
  const covTT = n * n - tt;
  if (covPP * covTT === 0) return 0;
  return covTP / Math.sqrt(covTT * covPP);
}

/** Cohen's kappa between two labelings, optionally with linear or quadratic disagreement weights. */
export function cohenKappa(
  y1: ArrayLike<Label>,
  y2: ArrayLike<Label>,
  options: WeightOptions & { labels?: readonly Label[]; weights?: "linear" | "quadratic" } = {},
): number {
  const { weights } = options;
  if (weights !== undefined && weights !== "linear" && weights !== "quadratic") {
    throw new ParameterError("weights", `"linear", "quadratic" or undefined`, weights);
  }
  const { matrix } = confusionMatrix(y1, y2, { labels: options.labels, sampleWeight: options.sampleWeight });
  const k = matrix.length;
  const sum0 = new Float64Array(k);
  const sum1 = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      sum0[b] += matrix[a][b];
      sum1[a] += matrix[a][b];
    }
  }
  const total = sum(sum0);
  let observed = 0;
  let expected = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const d =
        weights === "linear" ? Math.abs(a - b) : weights === "quadratic" ? (a - b) ** 2 : a === b ? 0 : 1;
      observed += d * matrix[a][b];
      expected += (d * sum0[a] * sum1[b]) / total;
    }
  }
  return 1 - observed / expected;
}
