// Column accumulators: type inference and conversion from byte ranges to typed arrays, one
// column of a batch at a time (tight, monomorphic loops per kind). A column whose tentative
// kind is contradicted is "demoted": it stops storing and is re-read as text in a second pass,
// so the result is exact and the original text of every category is kept.

import { type Column, type ColumnKind, MISSING_BOOL, MISSING_CODE } from "../column.js";
import { parseIsoDatetime } from "../datetime.js";
import { DataLoadError } from "../errors.js";
import { ByteInterner } from "./intern.js";
import type { MissingMatcher } from "./missing-match.js";
import { latin1, parseNumberBytes } from "./parse-number.js";
import { ESCAPED, type FieldBatch, QUOTED } from "./tokenize.js";

export const UNKNOWN = 0;
export const NUMERIC = 1;
export const BOOLEAN = 2;
export const DATETIME = 3;
export const CATEGORICAL = 4;
export const DEMOTED = 5;

const KIND_CODE: Record<ColumnKind, number> = {
  numeric: NUMERIC,
  boolean: BOOLEAN,
  datetime: DATETIME,
  categorical: CATEGORICAL,
};
const KIND_NAME = ["unknown", "numeric", "boolean", "datetime", "categorical", "categorical"];

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_I32 = new Int32Array(0);

/** Where conversion happens, for error messages. */
export interface ConvertContext {
  file: string | undefined;
  miss: MissingMatcher;
}

export class ColumnAccumulator {
  kind: number;
  readonly forced: boolean;
  private f64 = EMPTY_F64;
  private u8 = EMPTY_U8;
  private i32 = EMPTY_I32;
  private interner: ByteInterner | null = null;
  private capacity = 0;
  /** A quoted missing token was seen while the kind was unknown (text if the column turns categorical). */
  private sawQuotedMissing = false;

  constructor(
    readonly name: string,
    /** 0-based index of the field in each record. */
    readonly field: number,
    forced: ColumnKind | undefined,
  ) {
    this.forced = forced !== undefined;
    this.kind = forced === undefined ? UNKNOWN : KIND_CODE[forced];
  }

  /** Bytes of storage held (for the memory budget). */
  get byteSize(): number {
    return this.f64.byteLength + this.u8.byteLength + this.i32.byteLength + (this.interner?.byteSize ?? 0);
  }

  /** Bytes per row once the kind is known (8 while unknown, as a numeric column would need). */
  get bytesPerRow(): number {
    return this.kind === BOOLEAN ? 1 : this.kind === CATEGORICAL ? 4 : this.kind === DEMOTED ? 0 : 8;
  }

  private dict(): ByteInterner {
    this.interner ??= new ByteInterner();
    return this.interner;
  }

  /** Makes room for `capacity` rows, keeping the first `rows`. */
  reserve(capacity: number, rows: number): void {
    this.capacity = capacity;
    switch (this.kind) {
      case NUMERIC:
      case DATETIME:
        this.f64 = regrow(this.f64, capacity, rows, (n) => new Float64Array(n));
        break;
      case BOOLEAN:
        this.u8 = regrow(this.u8, capacity, rows, (n) => new Uint8Array(n));
        break;
      case CATEGORICAL:
        this.i32 = regrow(this.i32, capacity, rows, (n) => new Int32Array(n));
        this.dict();
        break;
    }
  }

  /** Converts this column's fields of `batch`, which become rows `rowBase…`. */
  consume(buf: Uint8Array, batch: FieldBatch, rowBase: number, ctx: ConvertContext): void {
    const { starts, ends, flags, count, width } = batch;
    const j = this.field;
    const miss = ctx.miss;
    let r = 0;
    while (r < count) {
      switch (this.kind) {
        case UNKNOWN:
          r = this.unknownRun(buf, batch, r, miss);
          if (r < count) this.decide(buf, batch, r, rowBase);
          break;
        case NUMERIC:
          r = numericRun(buf, starts, ends, width, j, r, count, this.f64, rowBase, miss);
          if (r < count) this.contradict(buf, batch, r, ctx);
          break;
        case BOOLEAN:
          r = booleanRun(buf, starts, ends, width, j, r, count, this.u8, rowBase, miss);
          if (r < count) this.contradict(buf, batch, r, ctx);
          break;
        case DATETIME:
          r = datetimeRun(buf, starts, ends, width, j, r, count, this.f64, rowBase, miss);
          if (r < count) this.contradict(buf, batch, r, ctx);
          break;
        case CATEGORICAL:
          r = categoricalRun(
            buf,
            starts,
            ends,
            flags,
            width,
            j,
            r,
            count,
            this.i32,
            rowBase,
            miss,
            this.dict(),
          );
          if (r < count) {
            throw new DataLoadError("invalid UTF-8 text", {
              file: ctx.file,
              line: batch.lines[r],
              column: j + 1,
              field: this.name,
            });
          }
          break;
        default:
          return; // DEMOTED: re-read later
      }
    }
  }

  /** Rows [r, …) that are missing while no value has been seen; returns the first that is not. */
  private unknownRun(buf: Uint8Array, batch: FieldBatch, r0: number, miss: MissingMatcher): number {
    const { starts, ends, flags, width, count } = batch;
    const j = this.field;
    for (let r = r0; r < count; r++) {
      const k = r * width + j;
      const s = starts[k];
      const e = ends[k];
      if (!miss.test(buf, s, e)) return r;
      if (flags[k] !== 0) this.sawQuotedMissing = true;
    }
    return count;
  }

  /** First non-missing value at row r of the batch: pick the kind from it. */
  private decide(buf: Uint8Array, batch: FieldBatch, r: number, rowBase: number): void {
    const k = r * batch.width + this.field;
    const s = batch.starts[k];
    const e = batch.ends[k];
    let kind: number;
    if (batch.flags[k] === ESCAPED) kind = CATEGORICAL;
    else if (!Number.isNaN(parseNumberBytes(buf, s, e))) kind = NUMERIC;
    else if (isBoolean(buf, s, e) >= 0) kind = BOOLEAN;
    else if (!Number.isNaN(parseDatetimeBytes(buf, s, e))) kind = DATETIME;
    else kind = CATEGORICAL;
    if (kind === CATEGORICAL && this.sawQuotedMissing) {
      this.kind = DEMOTED; // earlier quoted "NA"/"" were text: re-read
      return;
    }
    this.kind = kind;
    const rows = rowBase + r;
    this.reserve(this.capacity, 0);
    if (kind === NUMERIC || kind === DATETIME) this.f64.fill(Number.NaN, 0, rows);
    else if (kind === BOOLEAN) this.u8.fill(MISSING_BOOL, 0, rows);
    else this.i32.fill(MISSING_CODE, 0, rows);
  }

  /** A value at row r does not fit the kind: an error if forced, else demote to text. */
  private contradict(buf: Uint8Array, batch: FieldBatch, r: number, ctx: ConvertContext): void {
    const k = r * batch.width + this.field;
    if (this.forced) {
      const text = fieldText(buf, batch.starts[k], batch.ends[k]);
      throw new DataLoadError(`value ${JSON.stringify(text)} is not ${KIND_NAME[this.kind]}`, {
        file: ctx.file,
        line: batch.lines[r],
        column: this.field + 1,
        field: this.name,
      });
    }
    this.kind = DEMOTED;
    this.f64 = EMPTY_F64;
    this.u8 = EMPTY_U8;
    this.i32 = EMPTY_I32;
  }

  /** The finished column of `nRows` rows (not for a demoted column). */
  finish(nRows: number): Column {
    const name = this.name;
    switch (this.kind) {
      case UNKNOWN: // every value missing
        return { kind: "numeric", name, values: new Float64Array(nRows).fill(Number.NaN) };
      case NUMERIC:
        return { kind: "numeric", name, values: trim(this.f64, nRows) };
      case DATETIME:
        return { kind: "datetime", name, values: trim(this.f64, nRows) };
      case BOOLEAN:
        return { kind: "boolean", name, values: trim(this.u8, nRows) };
      case CATEGORICAL:
        return { kind: "categorical", name, codes: trim(this.i32, nRows), levels: this.dict().levels };
      default:
        throw new Error(`column ${name} was demoted and must be re-read`);
    }
  }
}

type Typed = Float64Array | Uint8Array | Int32Array;

function regrow<T extends Typed>(a: T, capacity: number, rows: number, make: (n: number) => T): T {
  if (a.length >= capacity) return a;
  const out = make(capacity);
  if (rows > 0) out.set(a.subarray(0, rows));
  return out;
}

/** A view when the spare room is small (untouched pages cost no memory), else a compact copy. */
function trim<T extends Typed>(a: T, n: number): T {
  if (a.length === n) return a;
  return (a.length <= n * 1.25 + 1024 ? a.subarray(0, n) : a.slice(0, n)) as T;
}

function numericRun(
  buf: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  width: number,
  j: number,
  r0: number,
  count: number,
  out: Float64Array,
  base: number,
  miss: MissingMatcher,
): number {
  const missFirst = miss.numericLike;
  for (let r = r0, k = r0 * width + j; r < count; r++, k += width) {
    const s = starts[k];
    const e = ends[k];
    let v: number;
    if (missFirst && miss.test(buf, s, e)) v = Number.NaN;
    else {
      v = parseNumberBytes(buf, s, e);
      if (Number.isNaN(v) && !miss.test(buf, s, e)) return r;
    }
    out[base + r] = v;
  }
  return count;
}

/** 1 for true, 0 for false (any case), -1 otherwise. */
function isBoolean(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 4) {
    return (b[s] | 32) === 116 &&
      (b[s + 1] | 32) === 114 &&
      (b[s + 2] | 32) === 117 &&
      (b[s + 3] | 32) === 101
      ? 1
      : -1;
  }
  if (n === 5) {
    return (b[s] | 32) === 102 &&
      (b[s + 1] | 32) === 97 &&
      (b[s + 2] | 32) === 108 &&
      (b[s + 3] | 32) === 115 &&
      (b[s + 4] | 32) === 101
      ? 0
      : -1;
  }
  return -1;
}

function booleanRun(
  buf: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  width: number,
  j: number,
  r0: number,
  count: number,
  out: Uint8Array,
  base: number,
  miss: MissingMatcher,
): number {
  for (let r = r0, k = r0 * width + j; r < count; r++, k += width) {
    const s = starts[k];
    const e = ends[k];
    const v = isBoolean(buf, s, e);
    if (v >= 0) out[base + r] = v;
    else if (miss.test(buf, s, e)) out[base + r] = MISSING_BOOL;
    else return r;
  }
  return count;
}

/** Epoch ms of an ISO 8601 text in bytes, NaN otherwise (cheap rejection before making a string). */
function parseDatetimeBytes(b: Uint8Array, s: number, e: number): number {
  if (e - s < 10 || e - s > 40 || b[s + 4] !== 45) return Number.NaN;
  return parseIsoDatetime(latin1(b, s, e));
}

function datetimeRun(
  buf: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  width: number,
  j: number,
  r0: number,
  count: number,
  out: Float64Array,
  base: number,
  miss: MissingMatcher,
): number {
  for (let r = r0, k = r0 * width + j; r < count; r++, k += width) {
    const s = starts[k];
    const e = ends[k];
    const v = parseDatetimeBytes(buf, s, e);
    if (Number.isNaN(v) && !miss.test(buf, s, e)) return r;
    out[base + r] = v;
  }
  return count;
}

let scratch = new Uint8Array(256);

/** Copies a quoted field's bytes with each `""` turned into `"`; returns the length. */
function unescapeQuotes(buf: Uint8Array, s: number, e: number): number {
  if (scratch.length < e - s) scratch = new Uint8Array(Math.max(e - s, scratch.length * 2));
  let n = 0;
  for (let i = s; i < e; i++) {
    const c = buf[i];
    scratch[n++] = c;
    if (c === 34) i++; // skip the second quote of the pair
  }
  return n;
}

function categoricalRun(
  buf: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  flags: Uint8Array,
  width: number,
  j: number,
  r0: number,
  count: number,
  out: Int32Array,
  base: number,
  miss: MissingMatcher,
  interner: ByteInterner,
): number {
  for (let r = r0, k = r0 * width + j; r < count; r++, k += width) {
    const s = starts[k];
    const e = ends[k];
    const f = flags[k];
    let code: number;
    if (f === 0) code = miss.test(buf, s, e) ? MISSING_CODE : interner.intern(buf, s, e);
    else if (f === QUOTED) code = interner.intern(buf, s, e);
    else code = interner.intern(scratch, 0, unescapeQuotes(buf, s, e));
    if (code === -2) return r;
    out[base + r] = code;
  }
  return count;
}

/** A field's text for messages (lenient decoding, shortened). */
export function fieldText(buf: Uint8Array, s: number, e: number): string {
  const t = new TextDecoder().decode(buf.subarray(s, Math.min(e, s + 200)));
  return t.length > 60 ? `${t.slice(0, 60)}…` : t;
}

/** The text of a header field (unescaped, strict UTF-8), or null when not valid UTF-8. */
export function headerText(buf: Uint8Array, s: number, e: number, flag: number): string | null {
  const dec = new TextDecoder("utf-8", { fatal: true });
  try {
    return flag === ESCAPED
      ? dec.decode(scratch.subarray(0, unescapeQuotes(buf, s, e)))
      : dec.decode(buf.subarray(s, e));
  } catch {
    return null;
  }
}
