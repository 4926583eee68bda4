import type { QualityReport } from "../data/quality/report.js";
import type { AlgorithmName, TrainingConfig } from "./config.js";
import { TrainingError } from "./errors.js";

export interface Suggestion {
  algorithms: AlgorithmName[];
  tuning: TrainingConfig["tuning"]["method"];
  trials: number;
  cvFolds: number;
  targetMetric: string;
  /** Why, in a sentence or two per choice. */
  reasons: string[];
}

/**
 * Recommends algorithms and a budget from a dataset's quality report (size, task, categorical
 * share, missingness, imbalance). The rules are deliberately simple and written down:
 * - tree ensembles always (they take missing values and categories and rarely do badly);
 * - a linear model as a fast, interpretable baseline (logistic or ridge regression);
 * - an MLP only with enough rows (≥ 2,000) and mostly numeric features;
 * - tuning by Bayesian search, fewer trials and folds as the data grows;
 * - the metric: balanced accuracy-like macro F1 when classes are imbalanced (≥ 3×), ROC AUC for
 *   balanced binary data, accuracy for balanced multiclass, R² for regression.
 */
export function suggest(report: QualityReport): Suggestion {
  const task = report.target?.task?.task;
  if (!task) throw new TrainingError("suggest needs a quality report made with a learnable target");
  const rows = report.rows;
  const features = report.schema.filter((c) => c.name !== report.target?.name);
  const categorical = features.filter((c) => c.type === "categorical").length;
  const numeric = features.filter((c) => ["numeric", "integer", "boolean"].includes(c.type)).length;
  const missing = features.some((c) => c.missing > 0);
  const reasons: string[] = [];
  const regression = task === "regression";
  const algorithms: AlgorithmName[] = ["gradient_boosting", "random_forest"];
  reasons.push(
    "gradient boosting and random forest: strong defaults on tabular data, native missing values and categories",
  );
  algorithms.push(regression ? "ridge" : "logistic_regression");
  reasons.push(`${regression ? "ridge" : "logistic regression"}: a fast, interpretable baseline`);
  if (rows >= 2000 && numeric >= categorical) {
    algorithms.push("mlp");
    reasons.push(`mlp: ${rows} rows and mostly numeric features are enough for a small network`);
  }
  if (missing) reasons.push("missing values: imputed for linear models and networks, native for trees");
  const large = rows > 200_000;
  const medium = rows > 20_000;
  const trials = large ? 10 : medium ? 20 : 30;
  const cvFolds = large ? 3 : 5;
  reasons.push(
    `budget: ${trials} Bayesian-search trials per algorithm with ${cvFolds}-fold CV for ${rows} rows`,
  );
  const imbalance = report.target?.imbalanceRatio ?? 1;
  let targetMetric = "r2";
  if (!regression) {
    if (imbalance >= 3) targetMetric = "f1_macro";
    else targetMetric = task === "binary" ? "roc_auc" : "accuracy";
    reasons.push(
      imbalance >= 3
        ? `metric f1_macro: classes are imbalanced (${imbalance.toFixed(1)}×)`
        : `metric ${targetMetric}: classes are balanced enough (${imbalance.toFixed(1)}×)`,
    );
  }
  return { algorithms, tuning: "bayes", trials, cvFolds, targetMetric, reasons };
}
