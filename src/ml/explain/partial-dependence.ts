import { type Cell, cell, isMissing } from "../../data/column.js";
import { Random } from "../../data/random.js";
import type { Table } from "../../data/table.js";
import { ParameterError } from "../errors.js";
import type { Predictor } from "../estimator.js";
import type { Label } from "../target.js";
import { constantColumn } from "./columns.js";
import { explainedOutput } from "./output.js";

export interface PartialDependenceOptions {
  /** Grid points for a numeric feature (default 20). */
  gridResolution?: number;
  /** The grid spans these percentiles of the feature (default [0.05, 0.95], as scikit-learn). */
  percentiles?: [number, number];
  /** Rows averaged over (default 1,000, drawn with `seed`). */
  sampleSize?: number;
  seed?: number;
  /** A classifier's class whose probability is shown (default: the last class). */
  label?: Label;
}

export interface PartialDependence {
  feature: string;
  kind: "numeric" | "categorical";
  /** What is explained: "prediction" or "P(class)". */
  output: string;
  grid: Cell[];
  /** The model's average output with the feature set to each grid value. */
  average: number[];
}

/**
 * One-dimensional partial dependence (Friedman): the model's average output over the data when
 * one feature is set to each value of a grid — how the prediction moves with that feature,
 * other features as they are. Numeric features: an evenly spaced grid between two percentiles
 * (or the distinct values when there are fewer); categorical and boolean: each value present.
 */
export function partialDependence(
  model: Predictor,
  X: Table,
  feature: string,
  options: PartialDependenceOptions = {},
): PartialDependence {
  const resolution = options.gridResolution ?? 20;
  if (!Number.isInteger(resolution) || resolution < 2) {
    throw new ParameterError("gridResolution", "an integer ≥ 2", resolution);
  }
  const [lo, hi] = options.percentiles ?? [0.05, 0.95];
  if (!(lo >= 0 && hi <= 1 && lo < hi))
    throw new ParameterError("percentiles", "0 ≤ low < high ≤ 1", `${lo}, ${hi}`);
  const col = X.column(feature);
  const sampleSize = options.sampleSize ?? 1000;
  const data =
    X.nRows > sampleSize
      ? X.take(new Random(options.seed ?? 0).permutation(X.nRows).subarray(0, sampleSize).sort())
      : X;
  const out = explainedOutput(model, options.label);
  let grid: Cell[];
  let kind: PartialDependence["kind"] = "categorical";
  if (col.kind === "numeric" || col.kind === "datetime") {
    kind = "numeric";
    const present = Float64Array.from(col.values.filter((v) => !Number.isNaN(v))).sort();
    const distinct = [...new Set(present)];
    if (distinct.length <= resolution) grid = distinct;
    else {
      const q = (p: number) => {
        const r = p * (present.length - 1);
        const i = Math.floor(r);
        return i + 1 < present.length ? present[i] + (r - i) * (present[i + 1] - present[i]) : present[i];
      };
      const a = q(lo);
      const b = q(hi);
      grid = Array.from({ length: resolution }, (_, k) => a + ((b - a) * k) / (resolution - 1));
    }
  } else {
    const seen = new Set<string>();
    grid = [];
    for (let i = 0; i < X.nRows; i++) {
      if (isMissing(col, i)) continue;
      const v = cell(col, i);
      if (!seen.has(String(v))) {
        seen.add(String(v));
        grid.push(v);
      }
    }
    grid.sort((a, b) => (String(a) < String(b) ? -1 : 1));
  }
  const average = grid.map((v) => {
    const values = out.values(data.withColumn(constantColumn(data.column(feature), data.nRows, v)));
    let s = 0;
    for (const x of values) s += x;
    return s / values.length;
  });
  return { feature, kind, output: out.name, grid, average };
}
