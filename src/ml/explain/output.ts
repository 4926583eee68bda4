import type { Table } from "../../data/table.js";
import { InputError } from "../errors.js";
import type { Predictor } from "../estimator.js";
import type { Label } from "../target.js";

/**
 * The number an explanation explains for each row: a regressor's prediction, or a
 * classifier's probability of one class (default: the last class, i.e. the positive class of
 * a binary model).
 */
export interface ExplainedOutput {
  readonly name: string;
  values(X: Table): Float64Array;
}

export function explainedOutput(model: Predictor, label?: Label): ExplainedOutput {
  if (model.task === "regression") return { name: "prediction", values: (X) => model.predict(X) };
  const classes = model.classes;
  const k = label === undefined ? classes.length - 1 : classes.indexOf(label);
  if (k < 0)
    throw new InputError(
      `class ${JSON.stringify(label)} is not one of the model's classes (${classes.join(", ")})`,
    );
  return {
    name: `P(${String(classes[k])})`,
    values(X) {
      const p = model.predictProba(X);
      const n = classes.length;
      const out = new Float64Array(X.nRows);
      for (let i = 0; i < out.length; i++) out[i] = p[i * n + k];
      return out;
    },
  };
}
