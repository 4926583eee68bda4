import { type Column, takeColumn } from "../../data/column.js";
import { Random } from "../../data/random.js";
import type { Table } from "../../data/table.js";
import { ParameterError } from "../errors.js";
import type { Predictor } from "../estimator.js";
import { throwIfAborted } from "../estimator.js";
import { getScorer } from "../metrics/scorers.js";
import { classTarget, decodeLabels, type Label, regressionTarget, type Target } from "../target.js";

export interface PermutationImportanceOptions {
  /** A scorer name (default accuracy / r2). */
  scoring?: string;
  /** Shuffles per column (default 5). */
  nRepeats?: number;
  seed?: number;
  /** Columns to explain (default: every column of X). */
  columns?: readonly string[];
  signal?: AbortSignal;
}

export interface PermutationImportance {
  feature: string;
  /** Mean drop of the score when the column is shuffled (higher = more important). */
  mean: number;
  std: number;
  /** The drop of each repeat. */
  drops: number[];
}

export interface PermutationImportanceResult {
  scoring: string;
  baseline: number;
  /** Sorted by mean drop, descending. */
  importances: PermutationImportance[];
}

/**
 * Permutation importance (Breiman; scikit-learn's `permutation_importance`) for any fitted
 * model and scorer: how much the score drops when one input column's values are shuffled,
 * breaking its link with the target. Works on the raw input columns, so a pipeline's
 * one-hot columns count as the one column they came from. Seeded: the same seed gives the
 * same shuffles.
 */
export function permutationImportance(
  model: Predictor,
  X: Table,
  y: Target,
  options: PermutationImportanceOptions = {},
): PermutationImportanceResult {
  const nRepeats = options.nRepeats ?? 5;
  if (!Number.isInteger(nRepeats) || nRepeats < 1)
    throw new ParameterError("nRepeats", "an integer ≥ 1", nRepeats);
  const scorer = getScorer(options.scoring ?? (model.task === "classification" ? "accuracy" : "r2"));
  let yTrue: ArrayLike<Label>;
  if (model.task === "regression") yTrue = regressionTarget(y);
  else {
    const t = classTarget(y);
    yTrue = decodeLabels(t.codes, t.classes);
  }
  const score = (t: Table) =>
    model.task === "classification" && scorer.needsProba
      ? scorer.score(yTrue, { proba: model.predictProba(t), classes: model.classes })
      : scorer.score(yTrue, model.predict(t));
  const baseline = score(X);
  const rng = new Random(options.seed ?? 0);
  const columns = options.columns ?? X.names;
  const importances = columns.map((name): PermutationImportance => {
    const col = X.column(name);
    const drops: number[] = [];
    for (let r = 0; r < nRepeats; r++) {
      throwIfAborted(options.signal);
      const shuffled: Column = { ...takeColumn(col, rng.permutation(X.nRows)), name };
      drops.push(baseline - score(X.withColumn(shuffled)));
    }
    const mean = drops.reduce((s, d) => s + d, 0) / nRepeats;
    const std = Math.sqrt(drops.reduce((s, d) => s + (d - mean) ** 2, 0) / nRepeats);
    return { feature: name, mean, std, drops };
  });
  importances.sort((a, b) => b.mean - a.mean || (a.feature < b.feature ? -1 : 1));
  return { scoring: scorer.name, baseline, importances };
}
