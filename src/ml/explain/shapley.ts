import { type Cell, cell } from "../../data/column.js";
import { Random } from "../../data/random.js";
import { Table } from "../../data/table.js";
import { InputError, ParameterError } from "../errors.js";
import type { Predictor } from "../estimator.js";
import type { Label } from "../target.js";
import { copyCell, emptyLike } from "./columns.js";
import { explainedOutput } from "./output.js";

export interface RowExplanation {
  /** "shapley-sampling": Monte Carlo estimates of Shapley values, approximate (see nSamples). */
  method: "shapley-sampling";
  output: string;
  /** The model's average output over the background rows. */
  baseValue: number;
  /** The model's output for the row. */
  prediction: number;
  /** One per input column, largest |contribution| first; they sum to about prediction − baseValue. */
  contributions: { feature: string; value: Cell; contribution: number }[];
  nSamples: number;
}

export interface ExplainRowOptions {
  /** Permutations sampled (default 200; the error shrinks as 1/√nSamples). */
  nSamples?: number;
  seed?: number;
  /** A classifier's class whose probability is explained (default: the last class). */
  label?: Label;
  /** Background rows used (default 200, drawn from `background` with the seed). */
  backgroundSize?: number;
}

/**
 * Why one prediction: Shapley values of the input columns estimated by permutation sampling
 * (Štrumbelj & Kononenko, 2014), model-agnostic and approximate. Each sample draws a feature
 * order and a background row, then switches the features from the background row to the
 * explained row one at a time; a feature's contribution is the average change it makes.
 * The contributions add up to the prediction minus the background's average output up to
 * sampling error.
 */
export function explainRow(
  model: Predictor,
  background: Table,
  row: Table,
  options: ExplainRowOptions = {},
): RowExplanation {
  if (row.nRows !== 1) throw new InputError(`explainRow needs exactly one row, got ${row.nRows}`);
  const nSamples = options.nSamples ?? 200;
  if (!Number.isInteger(nSamples) || nSamples < 1)
    throw new ParameterError("nSamples", "an integer ≥ 1", nSamples);
  if (background.nRows === 0) throw new InputError("explainRow needs at least one background row");
  const rng = new Random(options.seed ?? 0);
  const out = explainedOutput(model, options.label);
  const bgSize = Math.min(options.backgroundSize ?? 200, background.nRows);
  const bg =
    bgSize < background.nRows
      ? background.take(rng.permutation(background.nRows).subarray(0, bgSize))
      : background;
  const names = bg.names;
  const p = names.length;
  const rowCols = names.map((n) => row.column(n));
  // Each sample is p + 1 rows: k features taken from the explained row, the rest from the background row.
  const nRows = nSamples * (p + 1);
  const cols = bg.columns.map((c) => emptyLike(c, nRows));
  const orders: Int32Array[] = [];
  for (let s = 0; s < nSamples; s++) {
    const order = rng.permutation(p);
    const z = rng.int(bg.nRows);
    orders.push(order);
    const fromRow = new Uint8Array(p);
    for (let k = 0; k <= p; k++) {
      if (k > 0) fromRow[order[k - 1]] = 1;
      const r = s * (p + 1) + k;
      for (let j = 0; j < p; j++) {
        if (fromRow[j]) copyCell(rowCols[j], 0, cols[j], r);
        else copyCell(bg.columns[j], z, cols[j], r);
      }
    }
  }
  const f = out.values(new Table(cols, nRows));
  const phi = new Float64Array(p);
  orders.forEach((order, s) => {
    for (let k = 1; k <= p; k++) phi[order[k - 1]] += f[s * (p + 1) + k] - f[s * (p + 1) + k - 1];
  });
  const base = out.values(bg);
  let baseValue = 0;
  for (const v of base) baseValue += v;
  baseValue /= base.length;
  const contributions = names
    .map((feature, j) => ({ feature, value: cell(rowCols[j], 0), contribution: phi[j] / nSamples }))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return {
    method: "shapley-sampling",
    output: out.name,
    baseValue,
    prediction: out.values(row.select(names))[0],
    contributions,
    nSamples,
  };
}
