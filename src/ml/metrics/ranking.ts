import { InputError, ParameterError } from "../errors.js";
import type { Label } from "../target.js";
import { type ClfCurve, clfCurve, prFromCounts, trapezoid } from "./curves.js";
import { checkWeights, type WeightOptions } from "./inputs.js";
import { binaryScores, column, multiclassScores, type ScoreOptions } from "./scores.js";

export interface RankingOptions extends ScoreOptions, WeightOptions {
  /**
   * Multiclass (more than two classes) one-vs-rest averaging: "macro" (default), "weighted" by
   * each class's weighted support, or "micro" over all (row, class) cells. Ignored when binary.
   */
  average?: "macro" | "weighted" | "micro";
}

type BinaryMetric = (c: ClfCurve) => number;

/** Area under the ROC curve of the counts (the same points as roc_curve without dropping). */
function aucOfCounts(c: ClfCurve): number {
  const m = c.fps.length;
  const fLast = c.fps[m - 1];
  const tLast = c.tps[m - 1];
  let area = 0;
  let px = 0;
  let py = 0;
  for (let i = 0; i < m; i++) {
    const x = c.fps[i] / fLast;
    const y = c.tps[i] / tLast;
    area += ((x - px) * (y + py)) / 2;
    px = x;
    py = y;
  }
  return area;
}

/** Step-wise average precision: Σ (R_i − R_{i−1}) P_i over thresholds from high to low. */
function apOfCounts(c: ClfCurve): number {
  const { precision, recall } = prFromCounts(c);
  let s = 0;
  for (let i = 0; i < recall.length - 1; i++) s += (recall[i + 1] - recall[i]) * precision[i];
  return -s;
}

/** Trapezoidal area under the precision-recall curve (sklearn.metrics.auc(recall, precision)). */
function prAucOfCounts(c: ClfCurve): number {
  const { precision, recall } = prFromCounts(c);
  return -trapezoid(recall, precision);
}

function requireBothClasses(c: ClfCurve, what: string): void {
  const m = c.tps.length;
  if (c.tps[m - 1] === 0 || c.fps[m - 1] === 0) {
    throw new InputError(`only one class is present in yTrue: ${what} is not defined`, "yTrue");
  }
}

function ranked(
  name: string,
  metric: BinaryMetric,
  needsBoth: boolean,
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: RankingOptions,
): number {
  const n = yTrue.length;
  const w = checkWeights(options.sampleWeight, n);
  const { classes } = options;
  if (classes === undefined || classes.length <= 2 || scores.length === n) {
    const b = binaryScores(yTrue, scores, options);
    const c = clfCurve(b.score, b.pos, w);
    if (needsBoth) requireBothClasses(c, name);
    return metric(c);
  }
  const average = options.average ?? "macro";
  if (average !== "macro" && average !== "weighted" && average !== "micro") {
    throw new ParameterError("average", `"macro", "weighted" or "micro"`, average);
  }
  const { codes, proba, k } = multiclassScores(yTrue, scores, classes);
  if (average === "micro") {
    const pos = new Uint8Array(n * k);
    for (let i = 0; i < n; i++) pos[i * k + codes[i]] = 1;
    let ww: Float64Array | undefined;
    if (w !== undefined) {
      ww = new Float64Array(n * k);
      for (let i = 0; i < n * k; i++) ww[i] = w[(i / k) | 0];
    }
    const c = clfCurve(proba, pos, ww);
    if (needsBoth) requireBothClasses(c, name);
    return metric(c);
  }
  const per = new Float64Array(k);
  const support = new Float64Array(k);
  for (let i = 0; i < n; i++) support[codes[i]] += w === undefined ? 1 : w[i];
  const pos = new Uint8Array(n);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) pos[i] = codes[i] === j ? 1 : 0;
    const c = clfCurve(column(proba, n, k, j), pos, w);
    if (needsBoth) requireBothClasses(c, `${name} of class ${JSON.stringify(classes[j])}`);
    per[j] = metric(c);
  }
  if (average === "macro") {
    let s = 0;
    for (let j = 0; j < k; j++) s += per[j];
    return s / k;
  }
  let total = 0;
  let s = 0;
  for (let j = 0; j < k; j++) {
    total += support[j];
    if (support[j] !== 0) s += per[j] * support[j]; // zero-weight classes count 0, as scikit-learn
  }
  if (Math.abs(total) <= 1e-8) return 0;
  return s / total;
}

function checkProbabilityRows(proba: ArrayLike<number>, k: number): void {
  const n = proba.length / k;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += proba[i * k + j];
    if (!(Math.abs(s - 1) <= 1e-8 + 1e-5)) {
      throw new InputError(
        `proba row ${i + 1} sums to ${s}: multiclass ROC AUC needs probabilities that sum to 1`,
        "proba",
      );
    }
  }
}

/**
 * ROC AUC: binary (1-D scores or a two-column matrix), or for more classes one-vs-rest averaged
 * ("macro" default, "weighted", "micro"), as scikit-learn's roc_auc_score(multi_class="ovr").
 */
export function rocAuc(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: RankingOptions = {},
): number {
  const { classes } = options;
  if (classes !== undefined && classes.length > 2 && scores.length !== yTrue.length) {
    checkProbabilityRows(scores, classes.length);
  }
  return ranked("ROC AUC", aucOfCounts, true, yTrue, scores, options);
}

/** Average precision (step-wise area under the PR curve), binary or one-vs-rest averaged. */
export function averagePrecision(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: RankingOptions = {},
): number {
  return ranked("average precision", apOfCounts, false, yTrue, scores, options);
}

/** Trapezoidal area under the precision-recall curve, binary or one-vs-rest averaged. */
export function prAuc(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: RankingOptions = {},
): number {
  return ranked("PR AUC", prAucOfCounts, false, yTrue, scores, options);
}
