import {
  type Cell,
  type Column,
  cell,
  columnBytes,
  columnLength,
  sliceColumn,
  takeColumn,
} from "./column.js";
import { DataLoadError } from "./errors.js";

/** An immutable table of typed columns of equal length. */
export class Table {
  readonly columns: readonly Column[];
  readonly nRows: number;
  private readonly index = new Map<string, number>();

  constructor(columns: readonly Column[], nRows?: number) {
    this.columns = columns;
    this.nRows = nRows ?? (columns.length > 0 ? columnLength(columns[0]) : 0);
    columns.forEach((c, i) => {
      if (c.name === "") throw new DataLoadError(`column ${i + 1} has an empty name`);
      if (this.index.has(c.name)) throw new DataLoadError(`duplicate column name "${c.name}"`);
      if (columnLength(c) !== this.nRows) {
        throw new DataLoadError(`column "${c.name}" has ${columnLength(c)} rows, expected ${this.nRows}`);
      }
      this.index.set(c.name, i);
    });
  }

  get nCols(): number {
    return this.columns.length;
  }

  get names(): string[] {
    return this.columns.map((c) => c.name);
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  /** The column called `name`; a DataLoadError naming it (and what exists) otherwise. */
  column(name: string): Column {
    const i = this.index.get(name);
    if (i === undefined) {
      const known = this.names.slice(0, 20).join(", ");
      throw new DataLoadError(`no column "${name}" (columns: ${known}${this.nCols > 20 ? ", …" : ""})`, {
        field: name,
      });
    }
    return this.columns[i];
  }

  /** The named columns, in the given order, sharing their buffers. */
  select(names: readonly string[]): Table {
    return new Table(
      names.map((n) => this.column(n)),
      this.nRows,
    );
  }

  /** All columns but the named ones (each must exist). */
  drop(names: readonly string[]): Table {
    for (const n of names) this.column(n);
    const gone = new Set(names);
    return new Table(
      this.columns.filter((c) => !gone.has(c.name)),
      this.nRows,
    );
  }

  /** A table with `column` added, or replacing the column of the same name. */
  withColumn(column: Column): Table {
    const i = this.index.get(column.name);
    const cols = [...this.columns];
    if (i === undefined) cols.push(column);
    else cols[i] = column;
    return new Table(cols, this.nRows);
  }

  /** Rows by index (copied). */
  take(indices: ArrayLike<number>): Table {
    return new Table(
      this.columns.map((c) => takeColumn(c, indices)),
      indices.length,
    );
  }

  /** Rows [start, end), sharing buffers. */
  slice(start: number, end = this.nRows): Table {
    const s = Math.max(0, Math.min(start, this.nRows));
    const e = Math.max(s, Math.min(end, this.nRows));
    return new Table(
      this.columns.map((c) => sliceColumn(c, s, e)),
      e - s,
    );
  }

  head(n = 5): Table {
    return this.slice(0, n);
  }

  /** One row as a plain object (for previews and JSON, not for hot loops). */
  row(i: number): Record<string, Cell> {
    const out: Record<string, Cell> = {};
    for (const c of this.columns) out[c.name] = cell(c, i);
    return out;
  }

  /** Rows as plain objects (for previews and tests). */
  toRecords(limit = this.nRows): Record<string, Cell>[] {
    const n = Math.min(limit, this.nRows);
    const out: Record<string, Cell>[] = [];
    for (let i = 0; i < n; i++) out.push(this.row(i));
    return out;
  }

  /** Bytes held by the columns' typed arrays. */
  get byteSize(): number {
    let b = 0;
    for (const c of this.columns) b += columnBytes(c);
    return b;
  }
}
