import { ParameterError } from "../errors.js";
import type { Predictor } from "../estimator.js";
import { getScorer, type Prediction, type Scorer } from "../metrics/scorers.js";
import type { Label } from "../target.js";
import type { FoldPredictions } from "./fold-task.js";

export type { Scorer } from "../metrics/scorers.js";

/** A scoring name from `SCORERS` (scikit-learn's names: "accuracy", "roc_auc", "neg_log_loss", "r2", …) or a scorer. */
export type Scoring = string | Scorer;

/** The scorers asked for (default: accuracy for a classifier, r2 for a regressor), checked against the task. */
export function resolveScorers(scoring: readonly Scoring[] | Scoring | undefined, est: Predictor): Scorer[] {
  const list = scoring === undefined ? [est.task === "classification" ? "accuracy" : "r2"] : [scoring].flat();
  if (list.length === 0) throw new ParameterError("scoring", "at least one scorer");
  const scorers = list.map((s) => (typeof s === "string" ? getScorer(s) : s));
  const names = new Set<string>();
  for (const s of scorers) {
    if (s.task !== est.task) {
      throw new ParameterError(
        "scoring",
        `a ${est.task} scorer for ${est.kind} ("${s.name}" is for ${s.task})`,
        s.name,
      );
    }
    if (names.has(s.name)) throw new ParameterError("scoring", "a list without repeats", s.name);
    names.add(s.name);
  }
  return scorers;
}

/** Mean and standard deviation (population, ddof 0, as scikit-learn's cv_results_). */
export interface Summary {
  readonly values: readonly number[];
  readonly mean: number;
  readonly std: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { values, mean, std: Math.sqrt(ss / n) };
}

/** Every scorer's score of one set of predictions. */
export function scoreFold(
  scorers: readonly Scorer[],
  yTrue: ArrayLike<Label>,
  pred: FoldPredictions,
  classes: readonly Label[] | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  let labels: Label[] | undefined;
  for (const s of scorers) {
    let prediction: Prediction;
    if (pred.values) prediction = pred.values;
    else if (s.needsProba)
      prediction = { proba: pred.proba as Float64Array, classes: classes as readonly Label[] };
    else {
      labels ??= Array.from(pred.codes as Int32Array, (c) => (classes as readonly Label[])[c]);
      prediction = labels;
    }
    out[s.name] = s.score(yTrue, prediction);
  }
  return out;
}
