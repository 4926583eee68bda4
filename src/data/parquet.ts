import { open, stat } from "node:fs/promises";
import {
  type AsyncBuffer,
  asyncBufferFromFile,
  type DecodedArray,
  type FileMetaData,
  type ParquetParsers,
  parquetMetadataAsync,
  parquetScan,
  parquetSchema,
  type SchemaTree,
} from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { type Cell, type Column, type ColumnKind, cell, MISSING_BOOL, MISSING_CODE } from "./column.js";
import { DataLoadError } from "./errors.js";
import { coerceValue, columnFromCells, defaultMaxMemoryBytes, INVALID, wrapError } from "./jsonl.js";
import { Table } from "./table.js";

export interface ParquetReadOptions {
  /** Keep only these columns, in this order (each must exist). */
  include?: readonly string[];
  /** Drop these columns (each must exist); a way past unsupported (nested, binary) columns. */
  exclude?: readonly string[];
  /** Read only the first rows. */
  maxRows?: number;
  /** Convert a column to another kind after reading (e.g. integer class labels to categorical). */
  types?: Readonly<Record<string, ColumnKind>>;
  /** Refuse files whose typed columns would exceed this (default: half the V8 heap limit). */
  maxMemoryBytes?: number;
}

/** How one Parquet leaf column becomes a trainyard column. */
type Plan =
  | { kind: "numeric"; scale: number }
  | { kind: "datetime" }
  | { kind: "boolean" }
  | { kind: "categorical" }
  | { kind: "unsupported"; why: string };

/** Bytes per row of each kind's typed array, for the memory check. */
const BYTES_PER_ROW: Record<ColumnKind, number> = { numeric: 8, datetime: 8, categorical: 4, boolean: 1 };

const utf8 = new TextDecoder("utf-8", { fatal: true });

// Timestamps and dates straight to epoch-ms numbers (hyparquet's default makes a Date per value);
// text decoded strictly so that binary data in a text column is an error, not mojibake.
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
  timestampFromNanoseconds: (v: bigint) => Number(v / 1_000_000n),
  dateFromDays: (days: number) => days * 86_400_000,
  stringFromBytes: (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : utf8.decode(bytes)),
};

/**
 * Reads a Parquet file with hyparquet into typed columns.
 *
 * Extraction is column-wise through `parquetScan().readColumn`: each call decodes one column
 * of one row group into a typed array (or a plain array when the column has nulls or needs
 * conversion), which is copied straight into the column's Float64Array / Int32Array /
 * Uint8Array. No object is built per row (`parquetReadObjects`/`onComplete` would transpose
 * into one JS object per row, which DESIGN.md rules out), and only one row group of one
 * column is decoded at a time.
 */
export async function readParquet(path: string, options: ParquetReadOptions = {}): Promise<Table> {
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  if (!(maxRows >= 1) || (Number.isFinite(maxRows) && !Number.isInteger(maxRows))) {
    throw new DataLoadError(`maxRows must be a whole number ≥ 1, got ${options.maxRows}`, { file: path });
  }
  const size = await fileSize(path);
  await checkMagic(path, size);

  let file: AsyncBuffer;
  let metadata: FileMetaData;
  let schema: SchemaTree;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
    schema = parquetSchema(metadata);
  } catch (e) {
    throw corrupt(path, e);
  }
  const totalRows = Number(metadata.num_rows);
  const groupRows = metadata.row_groups.reduce((s, g) => s + Number(g.num_rows), 0);
  if (!Number.isSafeInteger(totalRows) || totalRows < 0 || groupRows !== totalRows) {
    throw new DataLoadError(
      `not a valid Parquet file (metadata says ${totalRows} rows, row groups ${groupRows})`,
      {
        file: path,
      },
    );
  }

  const plans = new Map<string, Plan>();
  for (const child of schema.children) plans.set(child.element.name, planColumn(child));
  const names = selectNames(path, [...plans.keys()], options);
  for (const name of names) {
    const plan = plans.get(name) as Plan;
    if (plan.kind === "unsupported") {
      throw new DataLoadError(`unsupported Parquet column type: ${plan.why} (exclude it to read the rest)`, {
        file: path,
        field: name,
      });
    }
  }
  const nRows = Math.min(totalRows, maxRows);
  if (nRows === 0) throw new DataLoadError("no rows", { file: path });
  const need = names.reduce(
    (s, n) => s + BYTES_PER_ROW[(plans.get(n) as Exclude<Plan, { kind: "unsupported" }>).kind],
    0,
  );
  const budget = options.maxMemoryBytes ?? defaultMaxMemoryBytes();
  if (need * nRows > budget) {
    throw new DataLoadError(
      `${nRows} rows × ${names.length} columns need about ${((need * nRows) / 2 ** 20).toFixed(1)} MiB, over the limit of ` +
        `${(budget / 2 ** 20).toFixed(1)} MiB (raise maxMemoryBytes, or set maxRows or include)`,
      { file: path },
    );
  }

  let scan: Awaited<ReturnType<typeof parquetScan>>;
  try {
    scan = await parquetScan({ file, metadata, columns: names, compressors, parsers: PARSERS });
  } catch (e) {
    throw corrupt(path, e);
  }
  const columns: Column[] = [];
  for (const name of names) {
    const plan = plans.get(name) as Exclude<Plan, { kind: "unsupported" }>;
    const sink = makeSink(name, plan, nRows);
    for (const range of scan.ranges) {
      const end = Math.min(range.rowEnd, nRows);
      if (range.rowStart >= end) break;
      let data: DecodedArray;
      try {
        data = await scan.readColumn({ column: name, rowStart: range.rowStart, rowEnd: end });
      } catch (e) {
        throw corrupt(path, e, name);
      }
      if (data.length !== end - range.rowStart) {
        throw new DataLoadError(`corrupt column: ${data.length} values for rows ${range.rowStart}–${end}`, {
          file: path,
          field: name,
        });
      }
      sink.write(data, range.rowStart);
    }
    let col = sink.finish();
    const forced =
      options.types !== undefined && Object.hasOwn(options.types, name) ? options.types[name] : undefined;
    if (forced !== undefined) col = castColumn(col, forced, path);
    columns.push(col);
  }
  return new Table(columns, nRows);
}

async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new DataLoadError("is a directory, expected a file", { file: path });
    return s.size;
  } catch (e) {
    throw wrapError(e, path);
  }
}

/** A Parquet file starts and ends with "PAR1"; checking both catches truncation before hyparquet parses anything. */
async function checkMagic(path: string, size: number): Promise<void> {
  if (size < 12) throw new DataLoadError(`not a Parquet file (${size} bytes, too short)`, { file: path });
  const fh = await open(path, "r").catch((e) => {
    throw wrapError(e, path);
  });
  try {
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    await fh.read(tail, 0, 4, size - 4);
    if (head.toString("latin1") !== "PAR1") {
      throw new DataLoadError("not a Parquet file (does not start with PAR1)", { file: path });
    }
    if (tail.toString("latin1") !== "PAR1") {
      throw new DataLoadError("not a valid Parquet file (no PAR1 footer: truncated or corrupt)", {
        file: path,
      });
    }
  } finally {
    await fh.close();
  }
}

function corrupt(path: string, e: unknown, field?: string): DataLoadError {
  if (e instanceof DataLoadError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof TypeError && /decode|encoded data|utf-?8/i.test(msg)) {
    return new DataLoadError("binary data in a text column (not valid UTF-8)", { file: path, field });
  }
  return new DataLoadError(`not a valid Parquet file (truncated or corrupt): ${msg}`, { file: path, field });
}

function selectNames(path: string, all: readonly string[], options: ParquetReadOptions): string[] {
  const known = new Set(all);
  for (const name of [...(options.include ?? []), ...(options.exclude ?? [])]) {
    if (!known.has(name)) throw new DataLoadError("no such column in the file", { file: path, field: name });
  }
  const gone = new Set(options.exclude ?? []);
  return (options.include ?? all).filter((n) => !gone.has(n));
}

/** The trainyard kind of a top-level Parquet column, from its physical and logical types. */
function planColumn(node: SchemaTree): Plan {
  const el = node.element;
  if (node.children.length > 0) return { kind: "unsupported", why: "nested (struct, list or map)" };
  if (el.repetition_type === "REPEATED") return { kind: "unsupported", why: "repeated values" };
  const ct = el.converted_type;
  const lt = el.logical_type;
  if (ct === "DATE" || lt?.type === "DATE") return { kind: "datetime" };
  if (
    ct === "TIMESTAMP_MILLIS" ||
    ct === "TIMESTAMP_MICROS" ||
    lt?.type === "TIMESTAMP" ||
    el.type === "INT96"
  ) {
    return { kind: "datetime" };
  }
  // time of day: milliseconds since midnight, a plain number
  if (ct === "TIME_MILLIS") return { kind: "numeric", scale: 1 };
  if (ct === "TIME_MICROS") return { kind: "numeric", scale: 1e-3 };
  if (lt?.type === "TIME")
    return { kind: "numeric", scale: lt.unit === "MILLIS" ? 1 : lt.unit === "MICROS" ? 1e-3 : 1e-6 };
  if (ct === "DECIMAL" || lt?.type === "DECIMAL" || lt?.type === "FLOAT16")
    return { kind: "numeric", scale: 1 };
  if (ct === "JSON" || ct === "BSON" || ct === "INTERVAL" || ct === "MAP" || ct === "LIST") {
    return { kind: "unsupported", why: (ct as string).toLowerCase() };
  }
  if (
    lt !== undefined &&
    ["JSON", "BSON", "INTERVAL", "GEOMETRY", "GEOGRAPHY", "VARIANT", "NULL"].includes(lt.type)
  ) {
    return { kind: "unsupported", why: lt.type.toLowerCase() };
  }
  switch (el.type) {
    case "BOOLEAN":
      return { kind: "boolean" };
    case "INT32":
    case "INT64":
    case "FLOAT":
    case "DOUBLE":
      return { kind: "numeric", scale: 1 };
    case "BYTE_ARRAY":
      // STRING/ENUM, or unannotated (old writers store text so); invalid UTF-8 is refused when decoded
      return { kind: "categorical" };
    case "FIXED_LEN_BYTE_ARRAY":
      return lt?.type === "UUID"
        ? { kind: "categorical" }
        : { kind: "unsupported", why: "fixed-length binary" };
    default:
      return { kind: "unsupported", why: String(el.type) };
  }
}

interface ParquetSink {
  write(data: DecodedArray, offset: number): void;
  finish(): Column;
}

function makeSink(name: string, plan: Exclude<Plan, { kind: "unsupported" }>, n: number): ParquetSink {
  switch (plan.kind) {
    case "numeric":
    case "datetime": {
      const values = new Float64Array(n);
      const scale = plan.kind === "numeric" ? plan.scale : 1;
      return {
        write(data, offset) {
          if (
            scale === 1 &&
            (data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array)
          ) {
            values.set(data, offset); // required columns arrive as typed arrays: one bulk copy
            return;
          }
          for (let i = 0; i < data.length; i++) {
            const v = data[i] as unknown;
            values[offset + i] =
              v === null || v === undefined
                ? Number.NaN
                : typeof v === "bigint"
                  ? Number(v) * scale
                  : Number(v) * scale;
          }
        },
        finish: () => ({ kind: plan.kind, name, values }),
      };
    }
    case "boolean": {
      const values = new Uint8Array(n);
      return {
        write(data, offset) {
          for (let i = 0; i < data.length; i++) {
            const v = data[i] as unknown;
            values[offset + i] = v === null || v === undefined ? MISSING_BOOL : v ? 1 : 0;
          }
        },
        finish: () => ({ kind: "boolean", name, values }),
      };
    }
    case "categorical": {
      // Dictionary-encoded columns arrive dereferenced to strings; interning them here rebuilds a dictionary.
      const codes = new Int32Array(n);
      const levels: string[] = [];
      const lookup = new Map<string, number>();
      return {
        write(data, offset) {
          for (let i = 0; i < data.length; i++) {
            const v = data[i] as unknown;
            if (v === null || v === undefined) {
              codes[offset + i] = MISSING_CODE;
              continue;
            }
            const s = typeof v === "string" ? v : String(v);
            let code = lookup.get(s);
            if (code === undefined) {
              code = levels.length;
              levels.push(s);
              lookup.set(s, code);
            }
            codes[offset + i] = code;
          }
        },
        finish: () => ({ kind: "categorical", name, codes, levels }),
      };
    }
  }
}

/**
 * `col` as another kind: numeric ⇄ datetime share their epoch-ms values; otherwise each value
 * is read as the new kind like a JSON value would be, and one that does not fit is an error
 * naming its row (1-based).
 */
export function castColumn(col: Column, kind: ColumnKind, file?: string): Column {
  if (col.kind === kind) return col;
  if ((col.kind === "numeric" || col.kind === "datetime") && (kind === "numeric" || kind === "datetime")) {
    return { kind, name: col.name, values: col.values };
  }
  const n = col.kind === "categorical" ? col.codes.length : col.values.length;
  const cells: Cell[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = cell(col, i);
    const c = coerceValue(v, kind);
    if (c === INVALID) {
      throw new DataLoadError(`row ${i + 1}: ${JSON.stringify(v)} is not ${kind}`, { file, field: col.name });
    }
    cells[i] = c;
  }
  return columnFromCells(col.name, kind, cells);
}
