import { cell } from "../data/column.js";
import { csvChunks } from "../data/csv/write.js";
import type { Table } from "../data/table.js";
import type { ServedModel } from "./cache.js";
import { predictTable, withPredictions } from "./predict.js";
import { RowValidationError } from "./rows.js";

export type BatchFormat = "csv" | "jsonl";

/**
 * Predicts a table chunk by chunk and yields the output text (the input's columns plus
 * `prediction` and, for a classifier, `proba_<class>`), so a response can stream it. The model's
 * input columns are checked before anything is yielded, and the first chunk is predicted
 * eagerly, so bad input fails before the response starts.
 */
export function predictBatch(
  model: ServedModel,
  table: Table,
  format: BatchFormat,
  chunkRows = 8192,
): Generator<string> {
  const missing = model.features.filter((f) => !table.has(f.name));
  if (missing.length > 0) {
    throw new RowValidationError(
      missing.map((f) => ({ row: -1, field: f.name, message: "is a missing column" })),
    );
  }
  const chunk = (start: number) => {
    const part = table.slice(start, Math.min(table.nRows, start + chunkRows));
    return withPredictions(part, predictTable(model.estimator, part));
  };
  const first = chunk(0);
  return (function* () {
    for (let start = 0; start < Math.max(table.nRows, 1); start += chunkRows) {
      const out = start === 0 ? first : chunk(start);
      if (format === "jsonl") {
        let text = "";
        for (let i = 0; i < out.nRows; i++) {
          const row: Record<string, unknown> = {};
          for (const c of out.columns) row[c.name] = cell(c, i);
          text += `${JSON.stringify(row)}\n`;
        }
        yield text;
      } else {
        let k = 0;
        for (const text of csvChunks(out, {}, chunkRows)) {
          // The header only once, with the first chunk.
          if (k++ === 0 && start > 0) continue;
          yield text;
        }
      }
    }
  })();
}
