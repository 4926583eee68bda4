import type { Column } from "../data/column.js";
import type { Table } from "../data/table.js";
import type { JsonObject, Predictor } from "../ml/estimator.js";
import {
  type ClassificationMetrics,
  classificationMetrics,
  type RegressionMetrics,
  regressionMetrics,
} from "../ml/metrics/index.js";
import { getScorer, type Scorer } from "../ml/metrics/scorers.js";
import type { Pipeline } from "../ml/pipeline/index.js";
import { argmaxRows, classTarget, decodeLabels, type Label, regressionTarget } from "../ml/target.js";

/** A fitted model's scores on a labelled table, in the shape S1's users expect. */
export interface Evaluation {
  task: "classification" | "regression";
  /** Flat headline metrics (accuracy, precision, recall, f1 — macro — … or r2, mae, mse, rmse, …). */
  metrics: Record<string, number | null>;
  classification?: ClassificationMetrics;
  regression?: RegressionMetrics;
}

export interface Importance {
  feature: string;
  importance: number;
}

/** The true labels of a column as the model's label type. */
export function labelsOf(y: Column): Label[] {
  const t = classTarget(y);
  return decodeLabels(t.codes, t.classes);
}

export function evaluateModel(model: Predictor, X: Table, y: Column): Evaluation {
  if (model.task === "regression") {
    const r = regressionMetrics(regressionTarget(y), model.predict(X));
    return {
      task: "regression",
      metrics: { r2: r.r2, mae: r.mae, mse: r.mse, rmse: r.rmse, mape: r.mape, medianAe: r.medianAe },
      regression: r,
    };
  }
  const proba = model.predictProba(X);
  // Labels from the same probabilities, so the model runs once (first maximum, as predict).
  const yPred = decodeLabels(argmaxRows(proba, model.classes.length), model.classes);
  const c = classificationMetrics(labelsOf(y), yPred, { classes: model.classes, proba });
  return {
    task: "classification",
    metrics: {
      accuracy: c.accuracy,
      precision: c.precisionMacro,
      recall: c.recallMacro,
      f1: c.f1Macro,
      balancedAccuracy: c.balancedAccuracy,
      f1Weighted: c.f1Weighted,
      rocAuc: c.rocAuc,
      logLoss: c.logLoss,
    },
    classification: c,
  };
}

/** The target metric's scorer for a task (default f1_macro / r2). */
export function targetScorer(name: string | undefined, task: "classification" | "regression"): Scorer {
  return getScorer(name ?? (task === "classification" ? "f1_macro" : "r2"));
}

/** One score of a fitted model on a labelled table, higher is better (losses negated). */
export function scoreModel(model: Predictor, scorer: Scorer, X: Table, y: Column): number {
  if (model.task === "regression") return scorer.score(regressionTarget(y), model.predict(X));
  const yTrue = labelsOf(y);
  if (scorer.needsProba) return scorer.score(yTrue, { proba: model.predictProba(X), classes: model.classes });
  return scorer.score(yTrue, model.predict(X));
}

/**
 * The final estimator's feature importances with the pipeline's output names (one-hot columns
 * expanded, e.g. `skill_category_Soft Skill`), sorted descending; empty when the model has none.
 */
export function featureImportances(model: Pipeline): Importance[] {
  const final = model.finalEstimator as unknown as {
    featureImportances?: () => Float64Array;
    featureNames?: readonly string[];
  };
  if (typeof final.featureImportances !== "function" || !final.featureNames) return [];
  const values = final.featureImportances();
  const names = final.featureNames;
  return names
    .map((feature, j) => ({ feature, importance: values[j] }))
    .sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1));
}

/** The final step's params as JSON (what a run records as its hyperparameters). */
export function modelParams(model: Pipeline): JsonObject {
  return model.finalEstimator.toSpec().params;
}
