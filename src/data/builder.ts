import { type Cell, type Column, MISSING_BOOL, MISSING_CODE } from "./column.js";
import { parseIsoDatetime } from "./datetime.js";
import { Table } from "./table.js";

/**
 * Builds one column from plain values (JSON Lines, Parquet, records). Numbers make a
 * numeric column, booleans a boolean one, strings a categorical one (a datetime column
 * when every string is ISO 8601); mixed kinds fall back to categorical text.
 * null/undefined/NaN are missing.
 */
export class ColumnBuilder {
  private readonly cells: Cell[] = [];
  private sawNumber = false;
  private sawBoolean = false;
  private sawString = false;

  constructor(readonly name: string) {}

  get length(): number {
    return this.cells.length;
  }

  push(v: unknown): void {
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      this.cells.push(null);
    } else if (typeof v === "number") {
      this.sawNumber = true;
      this.cells.push(v);
    } else if (typeof v === "bigint") {
      this.sawNumber = true;
      this.cells.push(Number(v));
    } else if (typeof v === "boolean") {
      this.sawBoolean = true;
      this.cells.push(v);
    } else if (v instanceof Date) {
      this.sawString = true;
      this.cells.push(v.toISOString());
    } else {
      this.sawString = true;
      this.cells.push(typeof v === "string" ? v : JSON.stringify(v));
    }
  }

  finish(): Column {
    const n = this.cells.length;
    const kinds = Number(this.sawNumber) + Number(this.sawBoolean) + Number(this.sawString);
    if (kinds === 0 || (kinds === 1 && this.sawNumber)) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = (this.cells[i] as number | null) ?? Number.NaN;
      return { kind: "numeric", name: this.name, values };
    }
    if (kinds === 1 && this.sawBoolean) {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const c = this.cells[i];
        values[i] = c === null ? MISSING_BOOL : c ? 1 : 0;
      }
      return { kind: "boolean", name: this.name, values };
    }
    if (kinds === 1) {
      const times = new Float64Array(n);
      let allDates = true;
      for (let i = 0; i < n && allDates; i++) {
        const c = this.cells[i];
        times[i] = c === null ? Number.NaN : parseIsoDatetime(c as string);
        if (c !== null && Number.isNaN(times[i])) allDates = false;
      }
      if (allDates) return { kind: "datetime", name: this.name, values: times };
    }
    return encodeCategorical(this.name, this.cells);
  }
}

/** Dictionary-encodes values as strings; levels in order of first appearance. */
export function encodeCategorical(name: string, cells: readonly Cell[]): Column {
  const codes = new Int32Array(cells.length);
  const levels: string[] = [];
  const lookup = new Map<string, number>();
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c === null) {
      codes[i] = MISSING_CODE;
      continue;
    }
    const s = String(c);
    let code = lookup.get(s);
    if (code === undefined) {
      code = levels.length;
      levels.push(s);
      lookup.set(s, code);
    }
    codes[i] = code;
  }
  return { kind: "categorical", name, codes, levels };
}

/** A table from plain records (keys of all records, in order of first appearance). */
export function tableFromRecords(records: readonly Record<string, unknown>[]): Table {
  const builders = new Map<string, ColumnBuilder>();
  records.forEach((r, i) => {
    for (const key of Object.keys(r)) {
      if (!builders.has(key)) {
        const b = new ColumnBuilder(key);
        for (let j = 0; j < i; j++) b.push(null);
        builders.set(key, b);
      }
    }
    for (const [key, b] of builders) b.push(r[key]);
  });
  return new Table(
    [...builders.values()].map((b) => b.finish()),
    records.length,
  );
}
