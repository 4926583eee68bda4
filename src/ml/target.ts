import type { Column } from "../data/column.js";
import { targetClasses } from "../data/task.js";
import { InputError } from "./errors.js";

/** A class label as users see it. */
export type Label = string | number | boolean;

/** What `fit` takes as y: a table column, plain labels, or numbers. */
export type Target = Column | readonly Label[] | Float64Array;

/** A classification target: a class index per row into `classes` (sorted as scikit-learn's np.unique). */
export interface ClassTarget {
  readonly codes: Int32Array;
  readonly classes: readonly Label[];
}

function isColumn(y: Target): y is Column {
  return !Array.isArray(y) && !(y instanceof Float64Array);
}

/** Encodes y for a classifier; a missing label is an error naming the row. */
export function classTarget(y: Target, name = "y"): ClassTarget {
  if (isColumn(y)) {
    if (y.kind === "datetime")
      throw new InputError(`target "${y.name}" is a date/time; it cannot be a class`, y.name);
    const t = targetClasses(y);
    const missing = t.codes.indexOf(-1);
    if (missing >= 0) throw new InputError(`target "${y.name}" is missing at row ${missing + 1}`, y.name);
    const classes: Label[] =
      y.kind === "numeric"
        ? t.classes.map(Number)
        : y.kind === "boolean"
          ? t.classes.map((c) => c === "true")
          : t.classes;
    return { codes: t.codes, classes };
  }
  const values = y as ArrayLike<Label>;
  const distinct = new Set<Label>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      throw new InputError(`${name} is missing at row ${i + 1}`, name);
    }
    distinct.add(v);
  }
  const classes = sortLabels([...distinct]);
  const index = new Map<Label, number>(classes.map((c, k) => [c, k]));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = index.get(values[i]) as number;
  return { codes, classes };
}

/** Labels in scikit-learn's order: numbers ascending, false before true, strings by code point. */
export function sortLabels(labels: Label[]): Label[] {
  const kinds = new Set(labels.map((l) => typeof l));
  if (kinds.size > 1) throw new InputError(`labels mix ${[...kinds].join(" and ")} values`);
  return labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Encodes y for a regressor: finite numbers only, an error naming the first bad row. */
export function regressionTarget(y: Target, name = "y"): Float64Array {
  let values: Float64Array;
  if (y instanceof Float64Array) values = y;
  else if (isColumn(y)) {
    if (y.kind !== "numeric")
      throw new InputError(`target "${y.name}" must be numeric for regression (got ${y.kind})`, y.name);
    values = y.values;
    name = y.name;
  } else {
    values = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (typeof v !== "number")
        throw new InputError(
          `${name} must be numeric for regression (row ${i + 1}: ${JSON.stringify(v)})`,
          name,
        );
      values[i] = v;
    }
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new InputError(`${name} is missing or not finite at row ${i + 1}`, name);
  }
  return values;
}

/** Class labels of predicted class indices. */
export function decodeLabels(codes: ArrayLike<number>, classes: readonly Label[]): Label[] {
  const out = new Array<Label>(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = classes[codes[i]];
  return out;
}

/** Row-wise argmax of a row-major nRows × k probability matrix (first maximum wins, as numpy). */
export function argmaxRows(proba: Float64Array, k: number): Int32Array {
  const n = proba.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestP = proba[i * k];
    for (let c = 1; c < k; c++) {
      if (proba[i * k + c] > bestP) {
        bestP = proba[i * k + c];
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}
