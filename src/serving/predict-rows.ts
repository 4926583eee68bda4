import type { Label } from "../ml/target.js";
import type { ServedModel } from "./cache.js";
import { predictTable } from "./predict.js";
import { type RowsOptions, rowsToTable } from "./rows.js";

/** The prediction for one JSON row. */
export interface RowPrediction {
  prediction: Label | number;
  /** Classifier: probability of each class, by class label. */
  probabilities?: Record<string, number>;
}

/**
 * Predicts JSON rows: validates them against the model's input schema (RowValidationError
 * listing every problem), builds one table for the whole request, predicts once.
 */
export function predictRows(
  model: ServedModel,
  rows: readonly unknown[],
  options: RowsOptions = {},
): RowPrediction[] {
  const table = rowsToTable(model.features, rows, options);
  const p = predictTable(model.estimator, table);
  const out: RowPrediction[] = new Array(table.nRows);
  if (p.task === "regression") {
    const values = p.predictions as Float64Array;
    for (let i = 0; i < values.length; i++) out[i] = { prediction: values[i] };
    return out;
  }
  const labels = p.predictions as Label[];
  const classes = (p.classes ?? []).map(String);
  const k = classes.length;
  const proba = p.proba as Float64Array;
  for (let i = 0; i < labels.length; i++) {
    const probabilities: Record<string, number> = {};
    for (let c = 0; c < k; c++) probabilities[classes[c]] = proba[i * k + c];
    out[i] = { prediction: labels[i], probabilities };
  }
  return out;
}
