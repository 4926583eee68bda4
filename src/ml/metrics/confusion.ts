import { InputError, ParameterError } from "../errors.js";
import type { Label } from "../target.js";
import { checkWeights, encodePair, type WeightOptions } from "./inputs.js";

/** A confusion matrix: `matrix[i][j]` counts rows of true class `labels[i]` predicted as `labels[j]`. */
export interface ConfusionMatrix {
  labels: Label[];
  matrix: number[][];
}

export interface ConfusionMatrixOptions extends WeightOptions {
  /** Row/column order; rows whose true or predicted label is not listed are left out (as scikit-learn). */
  labels?: readonly Label[];
  /** Divide by row sums ("true"), column sums ("pred") or the total ("all"); 0/0 gives 0. */
  normalize?: "true" | "pred" | "all";
}

/** Dense k×k counts (row-major, true × predicted) over the first k codes; other codes are skipped. */
export function confusionCounts(
  t: Int32Array,
  p: Int32Array,
  k: number,
  w: Float64Array | undefined,
): Float64Array {
  const cm = new Float64Array(k * k);
  const n = t.length;
  if (w === undefined) {
    for (let i = 0; i < n; i++) if (t[i] < k && p[i] < k) cm[t[i] * k + p[i]] += 1;
  } else {
    for (let i = 0; i < n; i++) if (t[i] < k && p[i] < k) cm[t[i] * k + p[i]] += w[i];
  }
  return cm;
}

export function toRows(cm: Float64Array, k: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < k; i++) rows.push(Array.from(cm.subarray(i * k, i * k + k)));
  return rows;
}

/** scikit-learn's confusion_matrix: labels sorted (or as given), rows = true, columns = predicted. */
export function confusionMatrix(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: ConfusionMatrixOptions = {},
): ConfusionMatrix {
  const { normalize } = options;
  if (normalize !== undefined && normalize !== "true" && normalize !== "pred" && normalize !== "all") {
    throw new ParameterError("normalize", `one of "true", "pred", "all"`, normalize);
  }
  const enc = encodePair(yTrue, yPred, options.labels);
  const w = checkWeights(options.sampleWeight, enc.t.length);
  const k = enc.nAsked;
  const labels = enc.all.slice(0, k);
  if (options.labels !== undefined && enc.t.length > 0 && !enc.t.some((c) => c < k)) {
    throw new InputError("at least one of the given labels must occur in yTrue", "labels");
  }
  const cm = confusionCounts(enc.t, enc.p, k, w);
  if (normalize !== undefined) normalizeCounts(cm, k, normalize);
  return { labels, matrix: toRows(cm, k) };
}

function normalizeCounts(cm: Float64Array, k: number, how: "true" | "pred" | "all"): void {
  const div = (x: number, d: number) => (d === 0 ? 0 : x / d);
  if (how === "all") {
    let s = 0;
    for (let i = 0; i < k * k; i++) s += cm[i];
    for (let i = 0; i < k * k; i++) cm[i] = div(cm[i], s);
    return;
  }
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += how === "true" ? cm[a * k + b] : cm[b * k + a];
    for (let b = 0; b < k; b++) {
      const at = how === "true" ? a * k + b : b * k + a;
      cm[at] = div(cm[at], s);
    }
  }
}
