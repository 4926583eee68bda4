import { TrainyardError } from "../../data/errors.js";
import type { Label } from "../target.js";
import { accuracy, balancedAccuracy, type ZeroDivision } from "./classification.js";
import { type ConfusionMatrix, confusionMatrix } from "./confusion.js";
import { encodePair, type WeightOptions } from "./inputs.js";
import { logLoss } from "./probabilistic.js";
import { rocAuc } from "./ranking.js";
import {
  explainedVariance as explainedVarianceScore,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  medianAbsoluteError,
  r2 as r2Score,
} from "./regression.js";
import { type ClassificationReport, type ClassMetrics, classificationReport } from "./report.js";

/** Everything the training service records for a classifier's test set; JSON-safe (no NaN). */
export interface ClassificationMetrics {
  accuracy: number;
  balancedAccuracy: number;
  precisionMacro: number;
  recallMacro: number;
  f1Macro: number;
  precisionWeighted: number;
  recallWeighted: number;
  f1Weighted: number;
  /** Binary AUC, or one-vs-rest macro AUC; null without probabilities or when undefined (one class in yTrue). */
  rocAuc: number | null;
  /** null without probabilities or when yTrue holds a class the model does not know. */
  logLoss: number | null;
  perClass: ClassMetrics[];
  confusionMatrix: ConfusionMatrix;
  report: ClassificationReport;
}

export interface ClassificationMetricsOptions extends WeightOptions {
  /** The model's classes: the columns of `proba` and the order of per-class results. */
  classes: readonly Label[];
  /** Row-major n × classes.length probabilities (`predictProba`). */
  proba?: Float64Array;
  zeroDivision?: ZeroDivision;
}

/** Runs a metric that may be undefined for this data; a TrainyardError (bad/degenerate input) becomes null. */
function orNull(f: () => number): number | null {
  try {
    const v = f();
    return Number.isFinite(v) ? v : null;
  } catch (e) {
    if (e instanceof TrainyardError) return null;
    throw e;
  }
}

export function classificationMetrics(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: ClassificationMetricsOptions,
): ClassificationMetrics {
  const { classes, proba, sampleWeight, zeroDivision } = options;
  // The model's classes first, then any label only the test set has, so nothing is dropped.
  const labels = encodePair(yTrue, yPred, classes).all;
  const base = { sampleWeight, zeroDivision, labels };
  const report = classificationReport(yTrue, yPred, base);
  const { macroAvg: macro, weightedAvg: weighted } = report;
  const scoreOptions = { classes, sampleWeight };
  return {
    accuracy: accuracy(yTrue, yPred, { sampleWeight }),
    balancedAccuracy: balancedAccuracy(yTrue, yPred, { sampleWeight }),
    precisionMacro: macro.precision,
    recallMacro: macro.recall,
    f1Macro: macro.f1,
    precisionWeighted: weighted.precision,
    recallWeighted: weighted.recall,
    f1Weighted: weighted.f1,
    rocAuc: proba === undefined ? null : orNull(() => rocAuc(yTrue, proba, scoreOptions)),
    logLoss: proba === undefined ? null : orNull(() => logLoss(yTrue, proba, scoreOptions)),
    perClass: report.classes,
    confusionMatrix: confusionMatrix(yTrue, yPred, { labels, sampleWeight }),
    report,
  };
}

/** Everything the training service records for a regressor's test set; null where undefined. */
export interface RegressionMetrics {
  r2: number | null;
  mae: number;
  mse: number;
  rmse: number;
  mape: number;
  medianAe: number;
  explainedVariance: number | null;
}

export function regressionMetrics(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: WeightOptions = {},
): RegressionMetrics {
  const mse = meanSquaredError(yTrue, yPred, options);
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    r2: finite(r2Score(yTrue, yPred, options)),
    mae: meanAbsoluteError(yTrue, yPred, options),
    mse,
    rmse: Math.sqrt(mse),
    mape: meanAbsolutePercentageError(yTrue, yPred, options),
    medianAe: medianAbsoluteError(yTrue, yPred, options),
    explainedVariance: finite(explainedVarianceScore(yTrue, yPred, options)),
  };
}
