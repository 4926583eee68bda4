import { InputError, ParameterError } from "../errors.js";
import type { Label } from "../target.js";
import { accuracy, balancedAccuracy, f1, precision, recall } from "./classification.js";
import { uniqueLabels } from "./inputs.js";
import { brierScore, logLoss } from "./probabilistic.js";
import { averagePrecision, rocAuc } from "./ranking.js";
import {
  explainedVariance,
  meanAbsoluteError,
  meanSquaredError,
  medianAbsoluteError,
  r2,
  rootMeanSquaredError,
} from "./regression.js";

/** A classifier's probabilities with their column labels (what `needsProba` scorers take). */
export interface ProbaPrediction {
  proba: Float64Array;
  classes: readonly Label[];
}

/** What a scorer is given: predicted labels/values, or probabilities when `needsProba`. */
export type Prediction = ArrayLike<Label> | ProbaPrediction;

export interface Scorer {
  readonly name: string;
  /** Whether the underlying metric grows with quality; `score` is already sign-flipped for losses. */
  readonly greaterIsBetter: boolean;
  readonly needsProba: boolean;
  readonly task: "classification" | "regression";
  /** Higher is always better (losses are negated, as scikit-learn's neg_* scorers). */
  score(yTrue: ArrayLike<Label>, prediction: Prediction): number;
}

function isProba(p: Prediction): p is ProbaPrediction {
  return typeof p === "object" && p !== null && "proba" in p && "classes" in p;
}

function labelsOf(name: string, p: Prediction): ArrayLike<Label> {
  if (isProba(p))
    throw new InputError(`scorer "${name}" takes predicted labels, not probabilities`, "prediction");
  return p;
}

function probaOf(name: string, p: Prediction): ProbaPrediction {
  if (!isProba(p)) throw new InputError(`scorer "${name}" takes { proba, classes }`, "prediction");
  return p;
}

function numbers(name: string, y: ArrayLike<Label>, what: string): ArrayLike<number> {
  for (let i = 0; i < y.length; i++) {
    if (typeof y[i] !== "number") {
      throw new InputError(
        `scorer "${name}" needs numeric ${what} (row ${i + 1}: ${JSON.stringify(y[i])})`,
        what,
      );
    }
  }
  return y as ArrayLike<number>;
}

/**
 * The positive class of a binary label scorer: 1 as scikit-learn when it is present, else the
 * greater label (scikit-learn would raise on e.g. "no"/"yes"; this picks "yes").
 */
function positive(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>): Label {
  const labels = uniqueLabels(yTrue, yPred);
  return labels.includes(1) || labels.length < 2 ? 1 : labels[labels.length - 1];
}

function labelScorer(name: string, metric: (t: ArrayLike<Label>, p: ArrayLike<Label>) => number): Scorer {
  return {
    name,
    greaterIsBetter: true,
    needsProba: false,
    task: "classification",
    score: (t, p) => metric(t, labelsOf(name, p)),
  };
}

function probaScorer(
  name: string,
  greaterIsBetter: boolean,
  metric: (t: ArrayLike<Label>, p: ProbaPrediction) => number,
): Scorer {
  const sign = greaterIsBetter ? 1 : -1;
  return {
    name,
    greaterIsBetter,
    needsProba: true,
    task: "classification",
    score: (t, p) => sign * metric(t, probaOf(name, p)),
  };
}

function regressionScorer(
  name: string,
  greaterIsBetter: boolean,
  metric: (t: ArrayLike<number>, p: ArrayLike<number>) => number,
): Scorer {
  const sign = greaterIsBetter ? 1 : -1;
  return {
    name,
    greaterIsBetter,
    needsProba: false,
    task: "regression",
    score: (t, p) => sign * metric(numbers(name, t, "yTrue"), numbers(name, labelsOf(name, p), "prediction")),
  };
}

function binaryAuc(t: ArrayLike<Label>, p: ProbaPrediction): number {
  if (p.classes.length > 2) {
    throw new InputError(`"roc_auc" is binary; use "roc_auc_ovr" for ${p.classes.length} classes`, "classes");
  }
  return rocAuc(t, p.proba, { classes: p.classes });
}

/** scikit-learn's scoring names → scorers (the subset trainyard's metrics cover). */
const TABLE = {
  accuracy: labelScorer("accuracy", (t, p) => accuracy(t, p)),
  balanced_accuracy: labelScorer("balanced_accuracy", (t, p) => balancedAccuracy(t, p)),
  f1: labelScorer("f1", (t, p) => f1(t, p, { average: "binary", posLabel: positive(t, p) })),
  f1_macro: labelScorer("f1_macro", (t, p) => f1(t, p, { average: "macro" })),
  f1_micro: labelScorer("f1_micro", (t, p) => f1(t, p, { average: "micro" })),
  f1_weighted: labelScorer("f1_weighted", (t, p) => f1(t, p, { average: "weighted" })),
  precision_macro: labelScorer("precision_macro", (t, p) => precision(t, p, { average: "macro" })),
  recall_macro: labelScorer("recall_macro", (t, p) => recall(t, p, { average: "macro" })),
  roc_auc: probaScorer("roc_auc", true, binaryAuc),
  roc_auc_ovr: probaScorer("roc_auc_ovr", true, (t, p) => rocAuc(t, p.proba, { classes: p.classes })),
  roc_auc_ovr_weighted: probaScorer("roc_auc_ovr_weighted", true, (t, p) =>
    rocAuc(t, p.proba, { classes: p.classes, average: "weighted" }),
  ),
  average_precision: probaScorer("average_precision", true, (t, p) =>
    averagePrecision(t, p.proba, { classes: p.classes }),
  ),
  neg_log_loss: probaScorer("neg_log_loss", false, (t, p) => logLoss(t, p.proba, { classes: p.classes })),
  neg_brier_score: probaScorer("neg_brier_score", false, (t, p) =>
    brierScore(t, p.proba, { classes: p.classes }),
  ),
  r2: regressionScorer("r2", true, r2),
  neg_mean_absolute_error: regressionScorer("neg_mean_absolute_error", false, meanAbsoluteError),
  neg_mean_squared_error: regressionScorer("neg_mean_squared_error", false, meanSquaredError),
  neg_root_mean_squared_error: regressionScorer("neg_root_mean_squared_error", false, rootMeanSquaredError),
  neg_median_absolute_error: regressionScorer("neg_median_absolute_error", false, medianAbsoluteError),
  explained_variance: regressionScorer("explained_variance", true, explainedVariance),
} satisfies Record<string, Scorer>;

export type ScorerName = keyof typeof TABLE;
export const SCORERS: Readonly<Record<ScorerName, Scorer>> = Object.freeze(TABLE);

/** The scorer of a scikit-learn scoring name; an unknown name is a ParameterError listing them all. */
export function getScorer(name: string): Scorer {
  const s = Object.hasOwn(SCORERS, name) ? SCORERS[name as ScorerName] : undefined;
  if (s === undefined) throw new ParameterError("scoring", `one of ${Object.keys(SCORERS).join(", ")}`, name);
  return s;
}
