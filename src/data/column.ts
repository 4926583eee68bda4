/**
 * Typed columns. Missing values: NaN in numeric and datetime columns, code -1 in
 * categorical columns, 255 in boolean columns.
 */
export interface NumericColumn {
  readonly kind: "numeric";
  readonly name: string;
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly kind: "categorical";
  readonly name: string;
  /** Index into `levels`, or -1 when missing. */
  readonly codes: Int32Array;
  /** Distinct values in order of first appearance unless stated otherwise. */
  readonly levels: readonly string[];
}

export interface BooleanColumn {
  readonly kind: "boolean";
  readonly name: string;
  /** 0 = false, 1 = true, 255 = missing. */
  readonly values: Uint8Array;
}

export interface DatetimeColumn {
  readonly kind: "datetime";
  readonly name: string;
  /** Milliseconds since the Unix epoch (UTC), NaN when missing. */
  readonly values: Float64Array;
}

export type Column = NumericColumn | CategoricalColumn | BooleanColumn | DatetimeColumn;
export type ColumnKind = Column["kind"];

/** A single cell as a plain value, for display and JSON (null when missing). */
export type Cell = number | string | boolean | null;

export const MISSING_CODE = -1;
export const MISSING_BOOL = 255;

export function columnLength(c: Column): number {
  return c.kind === "categorical" ? c.codes.length : c.values.length;
}

export function isMissing(c: Column, i: number): boolean {
  switch (c.kind) {
    case "numeric":
    case "datetime":
      return Number.isNaN(c.values[i]);
    case "categorical":
      return c.codes[i] < 0;
    case "boolean":
      return c.values[i] === MISSING_BOOL;
  }
}

export function missingCount(c: Column): number {
  const n = columnLength(c);
  let m = 0;
  for (let i = 0; i < n; i++) if (isMissing(c, i)) m++;
  return m;
}

export function cell(c: Column, i: number): Cell {
  if (isMissing(c, i)) return null;
  switch (c.kind) {
    case "numeric":
      return c.values[i];
    case "datetime":
      return new Date(c.values[i]).toISOString();
    case "categorical":
      return c.levels[c.codes[i]];
    case "boolean":
      return c.values[i] === 1;
  }
}

/** Rows `indices` of a column, copied into a new column of the same kind. */
export function takeColumn(c: Column, indices: ArrayLike<number>): Column {
  const n = indices.length;
  switch (c.kind) {
    case "numeric":
    case "datetime": {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = c.values[indices[i]];
      return { ...c, values: out };
    }
    case "categorical": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = c.codes[indices[i]];
      return { ...c, codes: out };
    }
    case "boolean": {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = c.values[indices[i]];
      return { ...c, values: out };
    }
  }
}

/** Rows [start, end) of a column, sharing the underlying buffer (no copy). */
export function sliceColumn(c: Column, start: number, end: number): Column {
  if (c.kind === "categorical") return { ...c, codes: c.codes.subarray(start, end) };
  if (c.kind === "boolean") return { ...c, values: c.values.subarray(start, end) };
  return { ...c, values: c.values.subarray(start, end) };
}

export function renameColumn(c: Column, name: string): Column {
  return { ...c, name };
}

/** Bytes held by a column's typed arrays (levels not counted). */
export function columnBytes(c: Column): number {
  return c.kind === "categorical" ? c.codes.byteLength : c.values.byteLength;
}
