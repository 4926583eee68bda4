import { InputError, ParameterError } from "../errors.js";
import type { Label } from "../target.js";
import { confusionCounts, confusionMatrix } from "./confusion.js";
import { checkSameLength, checkWeights, encodePair, totalWeight, type WeightOptions } from "./inputs.js";

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

function checkZeroDivision(z: unknown): ZeroDivision {
  if (z === undefined) return "warn";
  if (z === "warn" || z === 0 || z === 1) return z;
  throw new ParameterError("zeroDivision", `"warn", 0 or 1`, z);
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

interface SetCounts {
  tp: Float64Array;
  pred: Float64Array;
  truth: Float64Array;
  labels: Label[];
}

/** True positives, predicted and true totals per reported label (scikit-learn's multilabel_confusion_matrix). */
function setCounts(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  average: Average | null,
  options: SetOptions,
): SetCounts {
  const enc0 = encodePair(yTrue, yPred, options.labels);
  let enc = enc0;
  if (average === "binary") {
    const posLabel = options.posLabel ?? 1;
    if (enc0.present.length > 2) {
      throw new ParameterError(
        "average",
        `one of "macro", "micro", "weighted" or null: the target is multiclass (${enc0.present.length} labels)`,
        "binary",
      );
    }
    if (!enc0.present.includes(posLabel) && enc0.present.length === 2) {
      throw new ParameterError("posLabel", `one of the labels ${JSON.stringify(enc0.present)}`, posLabel);
    }
    enc = encodePair(yTrue, yPred, [posLabel]);
  }
  const n = enc.t.length;
  const w = checkWeights(options.sampleWeight, n);
  const m = enc.all.length;
  const tp = new Float64Array(m);
  const pred = new Float64Array(m);
  const truth = new Float64Array(m);
  const { t, p } = enc;
  for (let i = 0; i < n; i++) {
    const wi = w === undefined ? 1 : w[i];
    truth[t[i]] += wi;
    pred[p[i]] += wi;
    if (t[i] === p[i]) tp[t[i]] += wi;
  }
  const k = enc.nAsked;
  return {
    tp: tp.slice(0, k),
    pred: pred.slice(0, k),
    truth: truth.slice(0, k),
    labels: enc.all.slice(0, k),
  };
}

function divide(num: Float64Array, den: Float64Array, zero: ZeroDivision): Float64Array {
  const out = new Float64Array(num.length);
  for (let i = 0; i < num.length; i++) out[i] = den[i] === 0 ? (zero === 1 ? 1 : 0) : num[i] / den[i];
  return out;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

function mean(a: Float64Array, weights?: Float64Array): number {
  if (weights === undefined) return sum(a) / a.length;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * weights[i];
  return s / sum(weights);
}

interface PRFS {
  precision: Float64Array | number;
  recall: Float64Array | number;
  f: Float64Array | number;
  support: Float64Array | null;
  labels: Label[];
}

function prfs(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  beta: number,
  average: Average | null,
  options: SetOptions,
): PRFS {
  if (!(beta >= 0)) throw new ParameterError("beta", "a number >= 0", beta);
  if (average !== null && !["binary", "macro", "micro", "weighted"].includes(average)) {
    throw new ParameterError("average", `"binary", "macro", "micro", "weighted" or null`, average);
  }
  const zero = checkZeroDivision(options.zeroDivision);
  let { tp, pred, truth, labels } = setCounts(yTrue, yPred, average, options);
  if (average === "micro") {
    tp = Float64Array.of(sum(tp));
    pred = Float64Array.of(sum(pred));
    truth = Float64Array.of(sum(truth));
  }
  const precision = divide(tp, pred, zero);
  const recall = divide(tp, truth, zero);
  const f = new Float64Array(tp.length);
  const beta2 = beta * beta;
  for (let i = 0; i < f.length; i++) {
    if (beta === Number.POSITIVE_INFINITY) f[i] = recall[i];
    else {
      const den = beta2 * precision[i] + recall[i];
      f[i] = ((1 + beta2) * precision[i] * recall[i]) / (den === 0 ? 1 : den);
    }
  }
  if (average === null) return { precision, recall, f, support: truth, labels };
  if (average === "weighted" && sum(truth) === 0) {
    // No true rows for any reported label: scikit-learn's special case.
    const z = zero === 1 ? 1 : 0;
    if (sum(pred) === 0) return { precision: z, recall: z, f: z, support: null, labels };
    return { precision: 0, recall: z, f: 0, support: null, labels };
  }
  const weights = average === "weighted" ? truth : undefined;
  return {
    precision: mean(precision, weights),
    recall: mean(recall, weights),
    f: mean(f, weights),
    support: null,
    labels,
  };
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
