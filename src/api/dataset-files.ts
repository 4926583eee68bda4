import { appendFile, open } from "node:fs/promises";
import { extname } from "node:path";
import { type Cell, type Column, cell } from "../data/column.js";
import { quoteField } from "../data/csv/write.js";
import { fileSha256 } from "../data/fingerprint.js";
import { readTable } from "../data/read.js";
import { inferSchema } from "../data/schema.js";
import type { Table } from "../data/table.js";
import type { Json } from "../ml/estimator.js";
import type { NewDataset } from "../registry/datasets.js";
import { type FieldProblem, HttpProblem } from "./problem.js";

/** What registering a file records: its fingerprint, size and inferred schema. */
export async function describeFile(name: string, path: string): Promise<NewDataset> {
  const table = await readTable(path);
  const schema = inferSchema(table);
  return {
    name,
    source: path,
    fingerprint: await fileSha256(path),
    rows: table.nRows,
    columns: table.nCols,
    schema: schema as unknown as Json,
  };
}

/** Rows of a table as JSON objects. */
export function tableRows(table: Table): Record<string, Cell>[] {
  const out: Record<string, Cell>[] = [];
  for (let i = 0; i < table.nRows; i++) {
    const row: Record<string, Cell> = {};
    for (const c of table.columns) row[c.name] = cell(c, i);
    out.push(row);
  }
  return out;
}

type Format = "csv" | "tsv" | "jsonl";

function appendFormat(path: string): Format {
  const ext = extname(path).toLowerCase();
  if (ext === ".tsv") return "tsv";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  if (ext === ".csv" || ext === ".txt") return "csv";
  throw new HttpProblem(
    409,
    `rows can be appended to CSV, TSV and JSON Lines datasets; ${path} is not one (register a CSV or JSON Lines copy)`,
  );
}

/** The first line of a file (its CSV header) and whether the file ends with a line break. */
async function headAndTail(path: string): Promise<{ header: string; endsWithNewline: boolean }> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await fh.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(1);
    if (size > 0) await fh.read(tail, 0, 1, size - 1);
    const text = head.toString("utf8");
    const nl = text.indexOf("\n");
    return {
      header: (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, ""),
      endsWithNewline: size === 0 || tail[0] === 10,
    };
  } finally {
    await fh.close();
  }
}

function delimiterOf(header: string, format: Format): string {
  if (format === "tsv") return "\t";
  const counts = [",", ";", "\t", "|"].map((d) => [d, header.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0][0];
}

function checkValue(c: Column, v: unknown): string | null {
  if (v === null) return null;
  switch (c.kind) {
    case "numeric":
      return typeof v === "number" && Number.isFinite(v) ? null : "must be a number or null";
    case "boolean":
      return typeof v === "boolean" ? null : "must be true, false or null";
    case "datetime":
      return (typeof v === "string" && !Number.isNaN(Date.parse(v))) || typeof v === "number"
        ? null
        : "must be a date (ISO 8601 text or epoch milliseconds) or null";
    case "categorical":
      return typeof v === "string" || typeof v === "number" || typeof v === "boolean"
        ? null
        : "must be a string, number, boolean or null";
  }
}

function text(v: unknown, c: Column, delimiter: string): string {
  if (v === null || v === undefined) return "";
  if (c.kind === "datetime") return new Date(v as string | number).toISOString();
  if (typeof v === "string") return quoteField(v, delimiter);
  return String(v);
}

// Appends to one file are serialized so two requests never interleave their lines.
const appending = new Map<string, Promise<unknown>>();

/**
 * Appends JSON rows to a dataset file after checking every row against its columns (an
 * unknown field or a value of the wrong type is a 422 naming row and field; an absent field is
 * missing). Returns the file's new row count and fingerprint.
 */
export async function appendRows(
  path: string,
  rows: readonly Record<string, unknown>[],
  knownRows: number,
): Promise<{ rows: number; fingerprint: string }> {
  const format = appendFormat(path);
  const previous = appending.get(path) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      const sample = await readTable(path, { maxRows: 1 });
      const byName = new Map(sample.columns.map((c) => [c.name, c]));
      const problems: FieldProblem[] = [];
      rows.forEach((row, i) => {
        for (const [k, v] of Object.entries(row)) {
          const c = byName.get(k);
          const why = c ? checkValue(c, v) : "is not a column of the dataset";
          if (why && problems.length < 100)
            problems.push({ field: `body/rows/${i}/${k}`, row: i, message: why });
        }
      });
      if (problems.length > 0) {
        throw new HttpProblem(
          422,
          `${problems.length} problem(s) in the appended rows: ${problems[0].field} ${problems[0].message}`,
          problems,
          "invalid-rows",
        );
      }
      const { header, endsWithNewline } = await headAndTail(path);
      let out = endsWithNewline ? "" : "\n";
      if (format === "jsonl") {
        for (const row of rows) out += `${JSON.stringify(row)}\n`;
      } else {
        const d = delimiterOf(header, format);
        for (const row of rows) out += `${sample.columns.map((c) => text(row[c.name], c, d)).join(d)}\n`;
      }
      await appendFile(path, out);
      return { rows: knownRows + rows.length, fingerprint: await fileSha256(path) };
    });
  appending.set(path, run);
  try {
    return await run;
  } finally {
    if (appending.get(path) === run) appending.delete(path);
  }
}
