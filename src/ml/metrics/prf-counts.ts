import { ParameterError } from "../errors.js";
import type { Label } from "../target.js";
import type { Average, SetOptions, ZeroDivision } from "./classification.js";
import { checkWeights, encodePair } from "./inputs.js";

// Shared by classification.ts and report.ts (not part of the public index): one counting pass
// over the rows, then any number of averages computed from the per-label counts.

export function checkZeroDivision(z: unknown): ZeroDivision {
  if (z === undefined) return "warn";
  if (z === "warn" || z === 0 || z === 1) return z;
  throw new ParameterError("zeroDivision", `"warn", 0 or 1`, z);
}

export interface SetCounts {
  tp: Float64Array;
  pred: Float64Array;
  truth: Float64Array;
  /** The labels reported on (the counts' order). */
  labels: Label[];
  /** Every label in yTrue or yPred, sorted. */
  present: Label[];
}

/**
 * True positives, predicted and true totals per reported label (scikit-learn's
 * multilabel_confusion_matrix), in one pass over the rows.
 */
export function setCounts(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  average: Average | null,
  options: SetOptions,
): SetCounts {
  const enc = encodePair(yTrue, yPred, options.labels);
  const { present } = enc;
  let reported: Label[] = enc.all.slice(0, enc.nAsked);
  if (average === "binary") {
    const posLabel = options.posLabel ?? 1;
    if (present.length > 2) {
      throw new ParameterError(
        "average",
        `one of "macro", "micro", "weighted" or null: the target is multiclass (${present.length} labels)`,
        "binary",
      );
    }
    if (!present.includes(posLabel) && present.length === 2) {
      throw new ParameterError("posLabel", `one of the labels ${JSON.stringify(present)}`, posLabel);
    }
    reported = [posLabel]; // `labels` is ignored, as scikit-learn
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
  const at = reported.map((l) => enc.all.indexOf(l)); // -1: a label in no row, counts 0
  const pick = (a: Float64Array) => Float64Array.from(at, (j) => (j < 0 ? 0 : a[j]));
  return { tp: pick(tp), pred: pick(pred), truth: pick(truth), labels: reported, present };
}

function divide(num: Float64Array, den: Float64Array, zero: ZeroDivision): Float64Array {
  const out = new Float64Array(num.length);
  for (let i = 0; i < num.length; i++) out[i] = den[i] === 0 ? (zero === 1 ? 1 : 0) : num[i] / den[i];
  return out;
}

export function sum(a: Float64Array): number {
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

export interface PRFS {
  precision: Float64Array | number;
  recall: Float64Array | number;
  f: Float64Array | number;
  support: Float64Array | null;
  labels: Label[];
}

export function prfs(
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
  return fromCounts(setCounts(yTrue, yPred, average, options), beta, average, zero);
}

/** Precision, recall and F-beta (per label, or averaged) from per-label counts. */
export function fromCounts(
  counts: SetCounts,
  beta: number,
  average: Average | null,
  zero: ZeroDivision,
): PRFS {
  let { tp, pred, truth } = counts;
  const { labels } = counts;
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
