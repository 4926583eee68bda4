// The CSV/TSV reader: streams bytes in chunks through the record scanner into typed columns,
// inferring each column's kind as it goes. See columns.ts for inference and tokenize.ts for
// quoting rules.

import { totalmem } from "node:os";
import type { Column, ColumnKind } from "../column.js";
import { DataLoadError } from "../errors.js";
import { Table } from "../table.js";
import { ColumnAccumulator, type ConvertContext, DEMOTED, headerText } from "./columns.js";
import { DEFAULT_MISSING_TOKENS } from "./missing.js";
import { MissingMatcher } from "./missing-match.js";
import { sniffDelimiter } from "./sniff.js";
import { type ByteSource, BytesSource, FileSource } from "./source.js";
import { FieldBatch, type ScanState, scanRecords } from "./tokenize.js";

export interface CsvReadOptions {
  /** "auto" (default): ".tsv" → tab, else sniffed among , \t ; | on the first lines. */
  delimiter?: string;
  /** Unquoted tokens read as missing; default DEFAULT_MISSING_TOKENS. */
  missing?: readonly string[];
  /** Force a column's kind; a value that does not fit is a DataLoadError naming line/column/field. */
  types?: Readonly<Record<string, ColumnKind>>;
  /** Keep only these columns (others are skipped while parsing, never stored). */
  include?: readonly string[];
  exclude?: readonly string[];
  /** Stop after this many data rows. */
  maxRows?: number;
  /** Longest field accepted (default 1 MiB). */
  maxFieldBytes?: number;
  /** Most columns accepted (default 16,384). */
  maxColumns?: number;
  /** Memory budget for the result (default half of the machine's memory). */
  maxMemoryBytes?: number;
  /** Read buffer size in bytes (default 1 MiB); small values exercise chunk boundaries in tests. */
  chunkBytes?: number;
}

const KINDS: readonly ColumnKind[] = ["numeric", "categorical", "boolean", "datetime"];
const MiB = 1024 * 1024;

/** Reads a CSV/TSV file into a table of typed columns. */
export async function readCsv(path: string, options: CsvReadOptions = {}): Promise<Table> {
  return readFrom(() => new FileSource(path), path, options);
}

/** Parses CSV text or bytes; `name` is used in messages. */
export function parseCsv(
  input: string | Uint8Array,
  options: CsvReadOptions & { name?: string } = {},
): Table {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  return readFrom(() => new BytesSource(bytes), options.name, options);
}

function readFrom(open: () => ByteSource, file: string | undefined, options: CsvReadOptions): Table {
  const first = withSource(open, (src) => readPass(src, file, options, {}));
  const demoted = first.columns.filter((c) => c.kind === DEMOTED).map((c) => c.name);
  const byName = new Map<string, Column>();
  if (demoted.length > 0) {
    // Some columns turned out to be text after values were stored as another kind: re-read
    // just those as text, so that every category keeps its original spelling.
    const types: Record<string, ColumnKind> = { ...options.types };
    for (const n of demoted) types[n] = "categorical";
    const second = withSource(open, (src) =>
      readPass(
        src,
        file,
        { ...options, types, include: demoted, exclude: undefined },
        {
          delimiter: first.delimiter,
        },
      ),
    );
    for (const c of second.columns) byName.set(c.name, c.finish(second.rows));
  }
  const cols = first.columns.map((c) => byName.get(c.name) ?? c.finish(first.rows));
  return new Table(cols, first.rows);
}

function withSource<T>(open: () => ByteSource, f: (src: ByteSource) => T): T {
  const src = open();
  try {
    return f(src);
  } finally {
    src.close();
  }
}

interface PassResult {
  columns: ColumnAccumulator[];
  rows: number;
  delimiter: string;
}

function delimiterByte(d: string, file: string | undefined): number {
  const b = new TextEncoder().encode(d);
  if (b.length !== 1 || b[0] === 34 || b[0] === 10 || b[0] === 13) {
    throw new DataLoadError(
      `delimiter must be one ASCII character other than a quote or line break, got ${JSON.stringify(d)}`,
      {
        file,
      },
    );
  }
  return b[0];
}

function positiveInt(v: number | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 0)
    throw new DataLoadError(`${what} must be a non-negative integer, got ${v}`);
  return v;
}

function readPass(
  src: ByteSource,
  file: string | undefined,
  options: CsvReadOptions,
  fixed: { delimiter?: string },
): PassResult {
  const maxFieldBytes = positiveInt(options.maxFieldBytes, MiB, "maxFieldBytes");
  const maxColumns = Math.max(1, positiveInt(options.maxColumns, 16_384, "maxColumns"));
  const maxRows = positiveInt(options.maxRows, Number.MAX_SAFE_INTEGER, "maxRows");
  const maxMemory = options.maxMemoryBytes ?? Math.floor(totalmem() / 2);
  const chunk = Math.max(16, positiveInt(options.chunkBytes, MiB, "chunkBytes"));

  let buf = new Uint8Array(chunk);
  let len = 0;
  let pos = 0;
  let eof = false;
  /** File offset of buf[0]. */
  let bufOffset = 0;

  const fill = (): void => {
    const from = len;
    while (len < buf.length && !eof) {
      const n = src.read(buf, len, buf.length - len);
      if (n === 0) eof = true;
      len += n;
    }
    // Buffer#indexOf is memchr: an order of magnitude faster than TypedArray#indexOf.
    const nul = Buffer.from(buf.buffer, buf.byteOffset + from, len - from).indexOf(0);
    if (nul >= 0) throw binaryError(file, buf, from + nul, bufOffset);
  };
  /** Keeps the unconsumed bytes, growing the buffer when one record fills it, and reads more. */
  const refill = (): void => {
    if (pos === 0 && len === buf.length) {
      if (buf.length * 2 > maxMemory) throw memoryError(file, buf.length * 2, maxMemory, "one record");
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
    } else {
      buf.copyWithin(0, pos, len);
      bufOffset += pos;
      len -= pos;
      pos = 0;
    }
    fill();
  };

  fill();
  if (len === 0) throw new DataLoadError("empty file (no header, no data)", { file });
  if (len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;

  const delimiterOption = fixed.delimiter ?? options.delimiter ?? "auto";
  const d =
    delimiterOption !== "auto"
      ? delimiterByte(delimiterOption, file)
      : file?.toLowerCase().endsWith(".tsv")
        ? 9
        : sniffDelimiter(buf.subarray(pos, len), len - pos, eof);

  // Header.
  const st: ScanState = { line: 1, file, delimiter: d, maxFieldBytes, names: undefined };
  const header = new FieldBatch(maxColumns, 1);
  for (;;) {
    const res = scanRecords(buf, pos, len, eof, header, st);
    pos = res.pos;
    if (header.count === 1) break;
    if (res.done) throw new DataLoadError("empty file (only blank lines)", { file });
    refill();
  }
  const headerLine = header.lines[0];
  const width = header.lastFields;
  const names: string[] = [];
  const seen = new Map<string, number>();
  for (let j = 0; j < width; j++) {
    const name = headerText(buf, header.starts[j], header.ends[j], header.flags[j]);
    if (name === null)
      throw new DataLoadError("invalid UTF-8 in the header", { file, line: headerLine, column: j + 1 });
    if (name === "")
      throw new DataLoadError(`column ${j + 1} has an empty name`, { file, line: headerLine, column: j + 1 });
    const prev = seen.get(name);
    if (prev !== undefined) {
      throw new DataLoadError(`duplicate column name "${name}" (also column ${prev + 1})`, {
        file,
        line: headerLine,
        column: j + 1,
        field: name,
      });
    }
    seen.set(name, j);
    names.push(name);
  }
  const columns = planColumns(names, options, file);
  st.names = names;

  const ctx: ConvertContext = { file, miss: new MissingMatcher(options.missing ?? DEFAULT_MISSING_TOKENS) };
  const batch = new FieldBatch(width, Math.max(1, Math.min(4096, Math.floor(131_072 / width))));
  let rows = 0;
  let capacity = 0;
  const dataStart = bufOffset + pos;

  const memoryNeeded = (rowsAt: number): number => {
    let perRow = 0;
    let other = buf.length + batch.starts.byteLength * 2 + batch.flags.byteLength;
    for (const c of columns) {
      perRow += c.bytesPerRow;
      if (c.kind !== DEMOTED) other += Math.max(0, c.byteSize - c.bytesPerRow * capacity);
    }
    return perRow * rowsAt + other;
  };
  const reserve = (cap: number): void => {
    const need = memoryNeeded(cap);
    if (need > maxMemory) throw memoryError(file, need, maxMemory, `about ${cap.toLocaleString("en")} rows`);
    capacity = cap;
    for (const c of columns) c.reserve(cap, rows);
  };

  while (rows < maxRows) {
    batch.count = 0;
    const batchStart = bufOffset + pos;
    const res = scanRecords(buf, pos, len, eof, batch, st, Math.min(batch.capacity, maxRows - rows));
    const count = batch.count;
    if (count > 0) {
      if (rows + count > capacity) {
        // Estimate the rows from the bytes per record seen so far, with a margin; spare
        // capacity is never touched, so it costs address space, not memory.
        const consumed = bufOffset + res.pos - dataStart;
        const bytesPerRow = (rows === 0 ? bufOffset + res.pos - batchStart : consumed) / (rows + count);
        const estimate = Math.ceil(((src.size - dataStart) / Math.max(1, bytesPerRow)) * 1.1) + 64;
        reserve(Math.min(maxRows, Math.max(estimate, Math.ceil(capacity * 1.25), rows + count)));
      }
      for (const c of columns) c.consume(buf, batch, rows, ctx);
      rows += count;
    }
    pos = res.pos;
    if (res.done) break;
    if (count < batch.capacity && rows < maxRows) refill();
  }
  if (rows === 0) throw new DataLoadError("no data rows (only a header)", { file, line: headerLine });
  return { columns, rows, delimiter: String.fromCharCode(d) };
}

function planColumns(
  names: readonly string[],
  options: CsvReadOptions,
  file: string | undefined,
): ColumnAccumulator[] {
  const known = new Set(names);
  const check = (list: readonly string[] | undefined, what: string): void => {
    for (const n of list ?? []) {
      if (!known.has(n)) {
        throw new DataLoadError(
          `${what} names no column "${n}" (columns: ${names.slice(0, 20).join(", ")})`,
          {
            file,
            field: n,
          },
        );
      }
    }
  };
  check(options.include, "include");
  check(options.exclude, "exclude");
  const types = options.types ?? {};
  check(Object.keys(types), "types");
  for (const [n, k] of Object.entries(types)) {
    if (!KINDS.includes(k))
      throw new DataLoadError(`unknown column kind "${k}" (use ${KINDS.join(", ")})`, { field: n });
  }
  const include = options.include === undefined ? null : new Set(options.include);
  const exclude = new Set(options.exclude ?? []);
  const out: ColumnAccumulator[] = [];
  names.forEach((n, j) => {
    if ((include === null || include.has(n)) && !exclude.has(n))
      out.push(new ColumnAccumulator(n, j, types[n]));
  });
  return out;
}

function memoryError(file: string | undefined, need: number, max: number, what: string): DataLoadError {
  const mb = (b: number): string => `${Math.round(b / MiB).toLocaleString("en")} MiB`;
  return new DataLoadError(
    `reading needs about ${mb(need)} for ${what}, more than maxMemoryBytes (${mb(max)}); read fewer rows (maxRows) or columns (include/exclude), or raise maxMemoryBytes`,
    { file },
  );
}

function binaryError(
  file: string | undefined,
  buf: Uint8Array,
  at: number,
  bufOffset: number,
): DataLoadError {
  let line: number | undefined;
  if (bufOffset === 0) {
    line = 1;
    for (let i = 0; i < at; i++) if (buf[i] === 10) line++;
  }
  return new DataLoadError(`looks binary, not CSV text (NUL byte at byte offset ${bufOffset + at})`, {
    file,
    line,
  });
}
