import type { CategoricalColumn, Column, NumericColumn } from "../data/column.js";
import { TrainyardError } from "../data/errors.js";
import { Table } from "../data/table.js";
import type { FeatureSpec } from "../ml/features.js";

/** One problem with one input row: which row, which field, what is wrong. */
export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

/** Input rows that do not fit the model's input schema; every problem is listed (up to a cap). */
export class RowValidationError extends TrainyardError {
  override name = "RowValidationError";
  constructor(readonly problems: RowProblem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in the input rows: ${problems
        .slice(0, 3)
        .map((p) => `row ${p.row} "${p.field}" ${p.message}`)
        .join("; ")}${problems.length > 3 ? "; …" : ""}`,
    );
  }
}

export interface RowsOptions {
  /** Fields the model does not use: an error ("reject", the default) or ignored. */
  extra?: "reject" | "ignore";
  /** Stop collecting problems after this many (default 100). */
  maxProblems?: number;
}

const levelIndex = new WeakMap<readonly string[], Map<string, number>>();

function indexOf(levels: readonly string[]): Map<string, number> {
  let m = levelIndex.get(levels);
  if (!m) {
    m = new Map(levels.map((l, i) => [l, i]));
    levelIndex.set(levels, m);
  }
  return m;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/**
 * JSON rows as a table with exactly the model's input columns, checked field by field:
 * a missing field, a field the model does not know (unless ignored), a string where a number
 * belongs, or an object anywhere is a problem of that row. `null` is a missing value.
 * Categorical columns use the fitted levels (an unseen level counts as missing), so the model
 * does no re-mapping.
 */
export function rowsToTable(
  features: readonly FeatureSpec[],
  rows: readonly unknown[],
  options: RowsOptions = {},
): Table {
  const n = rows.length;
  const max = options.maxProblems ?? 100;
  const problems: RowProblem[] = [];
  const known = new Set(features.map((f) => f.name));
  const columns: Column[] = features.map((f) =>
    f.kind === "categorical"
      ? ({
          kind: "categorical",
          name: f.name,
          levels: f.levels,
          codes: new Int32Array(n),
        } as CategoricalColumn)
      : ({ kind: "numeric", name: f.name, values: new Float64Array(n) } as NumericColumn),
  );
  for (let i = 0; i < n && problems.length < max; i++) {
    const row = rows[i];
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      problems.push({
        row: i,
        field: "",
        message: `must be an object of feature values, got ${describe(row)}`,
      });
      continue;
    }
    const r = row as Record<string, unknown>;
    for (let j = 0; j < features.length; j++) {
      const f = features[j];
      const v = r[f.name];
      const col = columns[j];
      if (v === undefined) {
        problems.push({ row: i, field: f.name, message: "is missing" });
        continue;
      }
      if (col.kind === "categorical") {
        if (v === null) col.codes[i] = -1;
        else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
          col.codes[i] = indexOf(col.levels).get(String(v)) ?? -1;
        else problems.push({ row: i, field: f.name, message: `must be a string, got ${describe(v)}` });
      } else {
        const values = (col as NumericColumn).values;
        if (v === null) values[i] = Number.NaN;
        else if (typeof v === "number") values[i] = v;
        else if (typeof v === "boolean") values[i] = v ? 1 : 0;
        else if (typeof v === "string" && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v)))
          values[i] = Date.parse(v);
        else problems.push({ row: i, field: f.name, message: `must be a number, got ${describe(v)}` });
      }
    }
    if (options.extra !== "ignore") {
      for (const k in r) {
        if (!known.has(k)) problems.push({ row: i, field: k, message: "is not an input of the model" });
      }
    }
  }
  if (problems.length > 0) throw new RowValidationError(problems.slice(0, max));
  return new Table(columns, n);
}

/**
 * Tables made by `rowsToTable` for the same features, one after the other (categorical
 * columns share the fitted levels, so codes are copied as they are).
 */
export function concatRows(tables: readonly Table[]): Table {
  const n = tables.reduce((a, t) => a + t.nRows, 0);
  const columns = tables[0].columns.map((c, j): Column => {
    if (c.kind === "categorical") {
      const codes = new Int32Array(n);
      let at = 0;
      for (const t of tables) {
        const part = t.columns[j] as CategoricalColumn;
        codes.set(part.codes, at);
        at += part.codes.length;
      }
      return { kind: "categorical", name: c.name, levels: c.levels, codes };
    }
    const values = new Float64Array(n);
    let at = 0;
    for (const t of tables) {
      const part = t.columns[j] as NumericColumn;
      values.set(part.values, at);
      at += part.values.length;
    }
    return { kind: "numeric", name: c.name, values };
  });
  return new Table(columns, n);
}
