import { type Column, columnLength, isMissing } from "./column.js";
import { parseIsoDatetime } from "./datetime.js";
import { DataLoadError } from "./errors.js";
import type { Table } from "./table.js";

/**
 * Row and column filters. One core: a mask (1 = keep) turned into row indices and a `take`;
 * every row filter below builds a mask and goes through `filterByMask`.
 */
export function filterByMask(table: Table, mask: Uint8Array): Table {
  if (mask.length !== table.nRows) {
    throw new RangeError(`filterByMask: mask has ${mask.length} entries for ${table.nRows} rows`);
  }
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  if (n === table.nRows) return table;
  const indices = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) indices[k++] = i;
  return table.take(indices);
}

/** Rows for which `predicate(rowIndex)` is true, in their original order. */
export function filterRows(table: Table, predicate: (row: number) => boolean): Table {
  const mask = new Uint8Array(table.nRows);
  for (let i = 0; i < table.nRows; i++) mask[i] = predicate(i) ? 1 : 0;
  return filterByMask(table, mask);
}

export interface ColumnSelection {
  /** Keep only these columns, in this order. */
  include?: readonly string[];
  /** Then drop these. */
  exclude?: readonly string[];
}

/** Columns by include/exclude lists; a name that is not a column is a DataLoadError naming it. */
export function selectColumns(table: Table, selection: ColumnSelection): Table {
  let t = table;
  if (selection.include !== undefined) {
    const seen = new Set<string>();
    for (const name of selection.include) {
      if (seen.has(name)) throw new DataLoadError(`column listed twice in include`, { field: name });
      seen.add(name);
    }
    t = t.select(selection.include);
  }
  if (selection.exclude !== undefined) {
    for (const name of selection.exclude) {
      if (!table.has(name)) table.column(name); // throws, naming the column and what exists
    }
    t = t.drop(selection.exclude.filter((n) => t.has(n)));
  }
  return t;
}

/** Rows with a value in every one of `columns` (default: all columns). */
export function dropMissing(table: Table, columns: readonly string[] = table.names): Table {
  const cols = columns.map((n) => table.column(n));
  const mask = new Uint8Array(table.nRows).fill(1);
  for (const c of cols) {
    for (let i = 0; i < table.nRows; i++) if (mask[i] && isMissing(c, i)) mask[i] = 0;
  }
  return filterByMask(table, mask);
}

export type FilterValue = string | number | boolean;

export interface KeepValuesResult {
  table: Table;
  /** Rows kept and dropped (missing values are dropped). */
  kept: number;
  dropped: number;
  /** Rows matched by each requested value, in the order given. */
  perValue: { value: FilterValue; rows: number }[];
  /** Requested values that match no row (reported, not an error: the user may have mistyped one). */
  absent: FilterValue[];
}

/**
 * Rows whose `column` value is one of `values` (e.g. keep target in {HIGH, MEDIUM}).
 * Values are matched in the column's terms: level text for categoricals, numbers (or numeric
 * text) for numerics, true/false (or "true"/"false", 1/0) for booleans, epoch ms or ISO text
 * for datetimes. A categorical column loses the levels that no longer occur: after filtering
 * a target to two classes the user expects a two-class problem, not four classes with two empty.
 */
export function keepValues(table: Table, column: string, values: readonly FilterValue[]): KeepValuesResult {
  const col = table.column(column);
  const n = table.nRows;
  const keys = values.map((v) => matchKey(col, v));
  // rowKey(i): the row's value in the same key space as matchKey, or undefined when missing
  const rowKeys = rowKeyFunction(col);
  const wanted = new Map<string | number, number>();
  keys.forEach((k) => {
    if (k !== undefined && !wanted.has(k)) wanted.set(k, 0);
  });
  const mask = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const k = rowKeys(i);
    if (k === undefined) continue;
    const count = wanted.get(k);
    if (count === undefined) continue;
    wanted.set(k, count + 1);
    mask[i] = 1;
    kept++;
  }
  const perValue = values.map((value, j) => ({
    value,
    rows: keys[j] === undefined ? 0 : (wanted.get(keys[j] as string | number) ?? 0),
  }));
  let filtered = filterByMask(table, mask);
  const after = filtered.column(column);
  if (after.kind === "categorical") filtered = filtered.withColumn(dropUnusedLevels(after));
  return {
    table: filtered,
    kept,
    dropped: n - kept,
    perValue,
    absent: perValue.filter((p) => p.rows === 0).map((p) => p.value),
  };
}

/** A categorical column keeping only the levels that occur, in their original order. */
export function dropUnusedLevels(column: Column): Column {
  if (column.kind !== "categorical") return column;
  const used = new Uint8Array(column.levels.length);
  for (const code of column.codes) if (code >= 0) used[code] = 1;
  if (used.every((u) => u === 1)) return column;
  const remap = new Int32Array(column.levels.length).fill(-1);
  const levels: string[] = [];
  column.levels.forEach((level, code) => {
    if (used[code]) {
      remap[code] = levels.length;
      levels.push(level);
    }
  });
  const codes = new Int32Array(columnLength(column));
  for (let i = 0; i < codes.length; i++) codes[i] = column.codes[i] < 0 ? -1 : remap[column.codes[i]];
  return { ...column, codes, levels };
}

/** The key a requested value matches in `col`, or undefined when it cannot match any row. */
function matchKey(col: Column, v: FilterValue): string | number | undefined {
  switch (col.kind) {
    case "categorical":
      return String(v);
    case "numeric": {
      const x = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
      return Number.isNaN(x) ? undefined : x === 0 ? 0 : x; // -0 and 0 are one value
    }
    case "boolean":
      if (v === true || v === 1 || (typeof v === "string" && v.toLowerCase() === "true")) return 1;
      if (v === false || v === 0 || (typeof v === "string" && v.toLowerCase() === "false")) return 0;
      return undefined;
    case "datetime": {
      const t = typeof v === "number" ? v : typeof v === "string" ? parseIsoDatetime(v) : Number.NaN;
      return Number.isNaN(t) ? undefined : t;
    }
  }
}

function rowKeyFunction(col: Column): (i: number) => string | number | undefined {
  switch (col.kind) {
    case "categorical":
      return (i) => (col.codes[i] < 0 ? undefined : col.levels[col.codes[i]]);
    case "boolean":
      return (i) => (col.values[i] > 1 ? undefined : col.values[i]);
    case "numeric":
    case "datetime":
      return (i) => {
        const x = col.values[i];
        return Number.isNaN(x) ? undefined : x === 0 ? 0 : x;
      };
  }
}

/** A condition on one column; rows with a missing value match only `missing`. */
export interface RowCondition {
  column: string;
  op: "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "in" | "notIn" | "missing" | "present";
  /** A value for the comparisons, a list for in / notIn, nothing for missing / present. */
  value?: FilterValue | readonly FilterValue[];
}

const ORDERED = new Set(["lt", "le", "gt", "ge"]);

/**
 * Rows matching every condition (a row filter of a training configuration, e.g. `age ge 18`
 * and `region in [North, South]`). Values are read in the column's terms, as keepValues does;
 * lt/le/gt/ge need a numeric or date/time column. A bad condition is a DataLoadError naming it.
 */
export function whereRows(table: Table, conditions: readonly RowCondition[]): Table {
  const mask = new Uint8Array(table.nRows).fill(1);
  conditions.forEach((c, n) => {
    const col = table.column(c.column);
    const where = `condition ${n + 1} (${c.column} ${c.op})`;
    const rowKey = rowKeyFunction(col);
    let test: (k: string | number) => boolean;
    if (c.op === "missing" || c.op === "present") {
      const want = c.op === "missing";
      for (let i = 0; i < table.nRows; i++) if (mask[i] && isMissing(col, i) !== want) mask[i] = 0;
      return;
    }
    if (c.op === "in" || c.op === "notIn") {
      if (!Array.isArray(c.value))
        throw new DataLoadError(`${where} needs a list of values`, { field: c.column });
      const keys = new Set((c.value as FilterValue[]).map((v) => matchKey(col, v)));
      test = c.op === "in" ? (k) => keys.has(k) : (k) => !keys.has(k);
    } else {
      if (c.value === undefined || Array.isArray(c.value)) {
        throw new DataLoadError(`${where} needs one value`, { field: c.column });
      }
      if (ORDERED.has(c.op) && col.kind !== "numeric" && col.kind !== "datetime") {
        throw new DataLoadError(`${where} needs a numeric or date/time column (it is ${col.kind})`, {
          field: c.column,
        });
      }
      const key = matchKey(col, c.value as FilterValue);
      if (key === undefined) {
        throw new DataLoadError(`${where}: ${JSON.stringify(c.value)} is not a ${col.kind} value`, {
          field: c.column,
        });
      }
      const ops: Record<string, (k: string | number) => boolean> = {
        eq: (k) => k === key,
        ne: (k) => k !== key,
        lt: (k) => k < key,
        le: (k) => k <= key,
        gt: (k) => k > key,
        ge: (k) => k >= key,
      };
      test = ops[c.op];
      if (!test) throw new DataLoadError(`${where}: unknown operator`, { field: c.column });
    }
    for (let i = 0; i < table.nRows; i++) {
      if (!mask[i]) continue;
      const k = rowKey(i);
      if (k === undefined || !test(k)) mask[i] = 0;
    }
  });
  return filterByMask(table, mask);
}
