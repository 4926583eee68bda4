import { open, stat } from "node:fs/promises";
import { extname } from "node:path";
import type { ColumnKind } from "./column.js";
import { type CsvReadOptions, readCsv } from "./csv/read.js";
import { DataLoadError } from "./errors.js";
import { readJsonl, wrapError } from "./jsonl.js";
import { readParquet } from "./parquet.js";
import type { Table } from "./table.js";

export type TableFormat = "csv" | "tsv" | "jsonl" | "parquet";

export interface ReadOptions {
  /** Overrides the choice made from the extension or the file's first bytes. */
  format?: TableFormat;
  /** Keep only these columns; each must exist. */
  include?: readonly string[];
  /** Drop these columns; each must exist. */
  exclude?: readonly string[];
  /** Stop after this many rows. */
  maxRows?: number;
  /** Force column kinds (CSV, JSON Lines: while parsing; Parquet: converted after reading). */
  types?: Readonly<Record<string, ColumnKind>>;
  /** Refuse inputs that would need more memory than this. */
  maxMemoryBytes?: number;
  /** CSV/TSV only: the field delimiter (default: sniffed; tab for .tsv). */
  delimiter?: string;
  /** CSV/TSV only: unquoted tokens read as missing. */
  missing?: readonly string[];
}

const BY_EXTENSION: Record<string, TableFormat> = {
  ".csv": "csv",
  ".txt": "csv",
  ".tsv": "tsv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".parquet": "parquet",
};

/**
 * Reads a table from a file: CSV/TSV, JSON Lines or Parquet, chosen by `format`, else by
 * extension, else by content (PAR1 magic → Parquet, first non-blank character `{` → JSON
 * Lines, anything else → CSV).
 */
export async function readTable(path: string, options: ReadOptions = {}): Promise<Table> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (e) {
    throw wrapError(e, path);
  }
  if (info.isDirectory()) throw new DataLoadError("is a directory, expected a file", { file: path });
  if (!info.isFile()) throw new DataLoadError("is not a regular file", { file: path });
  const format = options.format ?? BY_EXTENSION[extname(path).toLowerCase()] ?? (await sniffFormat(path));
  const common = {
    include: options.include,
    exclude: options.exclude,
    maxRows: options.maxRows,
    types: options.types,
    maxMemoryBytes: options.maxMemoryBytes,
  };
  switch (format) {
    case "csv":
    case "tsv": {
      const csv: CsvReadOptions = { ...common, missing: options.missing };
      csv.delimiter = options.delimiter ?? (format === "tsv" ? "\t" : undefined);
      return readCsv(path, dropUndefined(csv));
    }
    case "jsonl":
      return readJsonl(path, dropUndefined(common));
    case "parquet":
      return readParquet(path, dropUndefined(common));
    default:
      throw new DataLoadError(`unknown format "${format}" (csv, tsv, jsonl, parquet)`, { file: path });
  }
}

/** Guesses a file's format from its first 4 KiB. */
export async function sniffFormat(path: string): Promise<TableFormat> {
  const head = Buffer.alloc(4096);
  let n: number;
  try {
    const fh = await open(path, "r");
    try {
      ({ bytesRead: n } = await fh.read(head, 0, head.length, 0));
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw wrapError(e, path);
  }
  if (n >= 4 && head.toString("latin1", 0, 4) === "PAR1") return "parquet";
  let i = n >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  while (i < n && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return i < n && head[i] === 0x7b ? "jsonl" : "csv";
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
