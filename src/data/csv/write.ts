import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { type Column, isMissing } from "../column.js";
import type { Table } from "../table.js";
import { DEFAULT_MISSING_TOKENS } from "./missing.js";

export interface CsvWriteOptions {
  delimiter?: string;
  /** Line ending, "\n" by default. */
  eol?: "\n" | "\r\n";
}

const MISSING = new Set(DEFAULT_MISSING_TOKENS);

/** Quotes a text field when a reader could misread it: delimiters, quotes, line breaks, edge spaces, missing markers. */
export function quoteField(s: string, delimiter = ","): string {
  const needs =
    MISSING.has(s) ||
    s.includes(delimiter) ||
    s.includes('"') ||
    s.includes("\n") ||
    s.includes("\r") ||
    s.trim() !== s;
  return needs ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The text of one cell; missing is the empty (unquoted) field. */
export function formatCell(c: Column, i: number, delimiter = ","): string {
  if (isMissing(c, i)) return "";
  switch (c.kind) {
    case "numeric": {
      const x = c.values[i];
      return Object.is(x, -0) ? "-0" : String(x); // shortest text that reads back to the same double
    }
    case "datetime":
      return new Date(c.values[i]).toISOString();
    case "boolean":
      return c.values[i] === 1 ? "true" : "false";
    case "categorical":
      return quoteField(c.levels[c.codes[i]], delimiter);
  }
}

/** Yields the CSV text of a table in chunks of about `chunkRows` rows. */
export function* csvChunks(table: Table, options: CsvWriteOptions = {}, chunkRows = 8192): Generator<string> {
  const d = options.delimiter ?? ",";
  const eol = options.eol ?? "\n";
  yield table.names.map((n) => quoteField(n, d)).join(d) + eol;
  const cols = table.columns;
  for (let start = 0; start < table.nRows; start += chunkRows) {
    const end = Math.min(table.nRows, start + chunkRows);
    let out = "";
    for (let i = start; i < end; i++) {
      for (let j = 0; j < cols.length; j++) {
        if (j > 0) out += d;
        out += formatCell(cols[j], i, d);
      }
      out += eol;
    }
    yield out;
  }
}

/** The whole table as CSV text (for small tables and tests). */
export function formatCsv(table: Table, options: CsvWriteOptions = {}): string {
  return [...csvChunks(table, options)].join("");
}

/** Writes a table as CSV atomically: temp file, fsync, rename. Creates missing folders. */
export function writeCsv(table: Table, path: string, options: CsvWriteOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    for (const chunk of csvChunks(table, options)) writeSync(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
