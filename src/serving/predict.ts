import type { Column } from "../data/column.js";
import { Table } from "../data/table.js";
import type { Predictor } from "../ml/estimator.js";
import { argmaxRows, decodeLabels, type Label } from "../ml/target.js";

/** Predictions for a table: labels (and probabilities) for a classifier, values for a regressor. */
export interface Predictions {
  readonly task: "classification" | "regression";
  /** Classification: predicted labels; regression: predicted values. */
  readonly predictions: Label[] | Float64Array;
  /** Classification: row-major nRows × classes.length. */
  readonly proba?: Float64Array;
  readonly classes?: readonly Label[];
}

/**
 * Predicts every row. The model aligns the input to the features it was fitted on by name
 * (extra columns are ignored; a missing one is an error naming it; unseen categories count as
 * missing).
 */
export function predictTable(model: Predictor, input: Table): Predictions {
  if (model.task === "regression") return { task: "regression", predictions: model.predict(input) };
  const proba = model.predictProba(input);
  const predictions = decodeLabels(argmaxRows(proba, model.classes.length), model.classes);
  return { task: "classification", predictions, proba, classes: model.classes };
}

/** The input table with `prediction` and, for a classifier, one `proba_<class>` column per class. */
export function withPredictions(input: Table, p: Predictions): Table {
  const extra: Column[] = [];
  if (p.task === "regression") {
    extra.push({ kind: "numeric", name: "prediction", values: p.predictions as Float64Array });
  } else {
    const labels = p.predictions as Label[];
    const levels = (p.classes ?? []).map(String);
    const index = new Map(levels.map((l, k) => [l, k]));
    extra.push({
      kind: "categorical",
      name: "prediction",
      levels,
      codes: Int32Array.from(labels, (l) => index.get(String(l)) ?? -1),
    });
    const k = levels.length;
    levels.forEach((label, c) => {
      const values = new Float64Array(input.nRows);
      for (let i = 0; i < input.nRows; i++) values[i] = (p.proba as Float64Array)[i * k + c];
      extra.push({ kind: "numeric", name: `proba_${label}`, values });
    });
  }
  const kept = input.columns.filter((c) => !extra.some((e) => e.name === c.name));
  return new Table([...kept, ...extra], input.nRows);
}
