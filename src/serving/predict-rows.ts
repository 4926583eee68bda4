import type { Table } from "../data/table.js";
import type { Label } from "../ml/target.js";
import type { ServedModel } from "./cache.js";
import { predictTable } from "./predict.js";
import { concatRows, type RowsOptions, rowsToTable } from "./rows.js";

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
  return predictTableRows(model, rowsToTable(model.features, rows, options));
}

function predictTableRows(model: ServedModel, table: Table): RowPrediction[] {
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

interface Pending {
  tables: Table[];
  waiters: { resolve: (p: RowPrediction[]) => void; reject: (e: unknown) => void }[];
  rows: number;
}

/**
 * Coalesces the prediction requests that arrive in the same turn of the event loop into one
 * model call per model version: under load, many single-row requests are parsed in one I/O
 * phase, and one call on n rows costs far less than n calls on one row (the pipeline's fixed
 * per-call work dominates a single row). Each request's rows are validated on their own, so a
 * bad request fails alone; results are split back in order. A quiet server predicts each
 * request as it comes (a batch of one, one `setImmediate` later).
 */
export class MicroBatcher {
  private readonly pending = new Map<ServedModel, Pending>();
  private scheduled = false;

  /** @param maxRows a batch is predicted at once when it reaches this many rows. */
  constructor(private readonly maxRows = 512) {}

  predict(model: ServedModel, rows: readonly unknown[], options: RowsOptions = {}): Promise<RowPrediction[]> {
    let table: Table;
    try {
      table = rowsToTable(model.features, rows, options); // fails this request only
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      let p = this.pending.get(model);
      if (!p) {
        p = { tables: [], waiters: [], rows: 0 };
        this.pending.set(model, p);
      }
      p.tables.push(table);
      p.waiters.push({ resolve, reject });
      p.rows += table.nRows;
      if (p.rows >= this.maxRows) {
        this.pending.delete(model);
        this.run(model, p);
      } else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [model, p] of batches) this.run(model, p);
  }

  private run(model: ServedModel, p: Pending): void {
    try {
      const all = predictTableRows(model, p.tables.length === 1 ? p.tables[0] : concatRows(p.tables));
      let start = 0;
      p.tables.forEach((t, k) => {
        p.waiters[k].resolve(all.slice(start, start + t.nRows));
        start += t.nRows;
      });
    } catch (e) {
      if (p.tables.length === 1) {
        p.waiters[0].reject(e);
        return;
      }
      // One request's rows may be what the model refuses: predict each alone, so it fails alone.
      p.tables.forEach((t, k) => {
        try {
          p.waiters[k].resolve(predictTableRows(model, t));
        } catch (err) {
          p.waiters[k].reject(err);
        }
      });
    }
  }
}
