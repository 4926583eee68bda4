import { cell } from "../data/column.js";
import type { Table } from "../data/table.js";
import { explainRow, type RowExplanation } from "../ml/explain/shapley.js";
import type { Label } from "../ml/target.js";
import type { Registry } from "../registry/registry.js";
import type { ServedModel } from "./cache.js";
import { evaluationData } from "./evaluation.js";
import { rowsToTable } from "./rows.js";

/**
 * Explains one JSON row against background rows from the model's held-out data: each input's
 * contribution to the output (sampled Shapley values, seeded).
 */
export async function explainOne(
  registry: Registry,
  model: ServedModel,
  row: unknown,
  options: { nSamples?: number; seed?: number; label?: string } = {},
): Promise<RowExplanation> {
  const table = rowsToTable(model.features, [row], { extra: "ignore" });
  const data = await evaluationData(registry, model);
  // The background in the same column layout as the row (categorical codes over the fitted
  // levels), so that explainRow can mix cells of the two.
  const sample = data.X.slice(0, Math.min(data.X.nRows, 200));
  const background = rowsToTable(model.features, tableRows(sample), { extra: "ignore" });
  let label: Label | undefined;
  if (options.label !== undefined && model.estimator.task === "classification") {
    label = model.estimator.classes.find((c) => String(c) === options.label) ?? options.label;
  }
  return explainRow(model.estimator, background, table, {
    nSamples: options.nSamples ?? 200,
    seed: options.seed ?? 0,
    backgroundSize: 100,
    ...(label !== undefined ? { label } : {}),
  });
}

function tableRows(t: Table): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < t.nRows; i++) {
    const row: Record<string, unknown> = {};
    for (const c of t.columns) row[c.name] = cell(c, i);
    rows.push(row);
  }
  return rows;
}
