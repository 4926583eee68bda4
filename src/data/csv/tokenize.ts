// Record scanner: finds the fields of whole records in a byte buffer (RFC 4180 quoting, LF or
// CRLF line ends, blank lines skipped) and records their byte ranges, record-major, so that
// columns can then be converted one at a time in tight loops. A record cut by the end of the
// buffer is left for the next call (the caller moves it to the front and reads more).

import { DataLoadError } from "../errors.js";

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Field flag: 0 = plain, QUOTED = was quoted, ESCAPED = quoted and holds `""` escapes. */
export const QUOTED = 1;
export const ESCAPED = 2;

/** Byte ranges of up to `capacity` records of `width` fields. */
export class FieldBatch {
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
  /** Physical (1-based) line where each record starts. */
  lines: Int32Array;
  count = 0;
  /** Number of fields of the last record scanned (the header's width while reading it). */
  lastFields = 0;

  constructor(
    readonly width: number,
    readonly capacity: number,
  ) {
    this.starts = new Int32Array(width * capacity);
    this.ends = new Int32Array(width * capacity);
    this.flags = new Uint8Array(width * capacity);
    this.lines = new Int32Array(capacity);
  }
}

export interface ScanState {
  /** Physical line number at `pos`. */
  line: number;
  file: string | undefined;
  delimiter: number;
  maxFieldBytes: number;
  /** Column names for messages (data records), or undefined while reading the header. */
  names: readonly string[] | undefined;
}

/** Outcome of scanning: where the unconsumed bytes start. */
export interface ScanResult {
  pos: number;
  /** True when no more records can be found (end of input reached and consumed). */
  done: boolean;
}

function fieldTooLong(st: ScanState, line: number, j: number, n: number): DataLoadError {
  return new DataLoadError(
    `field longer than maxFieldBytes (${st.maxFieldBytes} bytes${n > st.maxFieldBytes ? `, at least ${n}` : ""}); raise maxFieldBytes if this is intended`,
    { file: st.file, line, column: j + 1, field: st.names?.[j] },
  );
}

/**
 * Scans whole records from `buf[pos, len)` into `out` (appending) until it holds `maxCount` or the bytes
 * run out. `eof` says whether `len` is the end of the input (then a last record without a line
 * end is complete). Throws DataLoadError on a ragged record, an unclosed quote, a character after
 * a closing quote or a field longer than maxFieldBytes.
 */
export function scanRecords(
  buf: Uint8Array,
  pos: number,
  len: number,
  eof: boolean,
  out: FieldBatch,
  st: ScanState,
  maxCount = out.capacity,
): ScanResult {
  const d = st.delimiter;
  const width = out.width;
  const starts = out.starts;
  const ends = out.ends;
  const flags = out.flags;
  const maxField = st.maxFieldBytes;
  let line = st.line;
  let i = pos;
  while (out.count < maxCount) {
    const recStart = i;
    const recLine = line;
    if (i >= len) {
      st.line = line;
      return { pos: i, done: eof };
    }
    // Blank line: skip.
    if (buf[i] === LF) {
      i++;
      line++;
      continue;
    }
    if (buf[i] === CR && i + 1 < len && buf[i + 1] === LF) {
      i += 2;
      line++;
      continue;
    }
    if (buf[i] === CR && i + 1 >= len) {
      if (eof) {
        i++;
        continue;
      }
      st.line = recLine;
      return { pos: recStart, done: false };
    }
    const base = out.count * width;
    let j = 0;
    let complete = false;
    for (;;) {
      // One field starting at i.
      let s = i;
      let e: number;
      let flag = 0;
      if (i < len && buf[i] === QUOTE) {
        const quoteLine = line;
        i++;
        s = i;
        flag = QUOTED;
        for (;;) {
          if (i >= len) {
            if (eof) {
              throw new DataLoadError("unclosed quote (the quoted field starts on this line)", {
                file: st.file,
                line: quoteLine,
                column: j + 1,
                field: st.names?.[j],
              });
            }
            if (i - s > maxField) throw fieldTooLong(st, quoteLine, j, i - s);
            break;
          }
          const c = buf[i];
          if (c === QUOTE) {
            if (i + 1 < len && buf[i + 1] === QUOTE) {
              flag = ESCAPED;
              i += 2;
              continue;
            }
            if (i + 1 >= len && !eof) {
              i = len; // cannot tell a closing quote from an escape yet
              continue;
            }
            break;
          }
          if (c === LF) line++;
          i++;
        }
        if (i >= len) break; // incomplete record
        e = i;
        i++; // closing quote
        if (i < len) {
          const c = buf[i];
          if (c === CR && i + 1 < len && buf[i + 1] === LF) i++;
          else if (c === CR && i + 1 >= len && !eof)
            break; // incomplete
          else if (c !== d && c !== LF) {
            throw new DataLoadError(
              `unexpected character ${JSON.stringify(String.fromCharCode(c))} after a closing quote`,
              {
                file: st.file,
                line,
                column: j + 1,
                field: st.names?.[j],
              },
            );
          }
        } else if (!eof) break; // incomplete
      } else {
        while (i < len) {
          const c = buf[i];
          if (c === d || c === LF) break;
          i++;
        }
        if (i >= len && !eof) {
          if (i - s > maxField) throw fieldTooLong(st, recLine, j, i - s);
          break; // incomplete
        }
        e = i;
        if (e > s && buf[e - 1] === CR && (i >= len || buf[i] === LF)) e--; // CRLF
      }
      if (e - s > maxField) throw fieldTooLong(st, recLine, j, e - s);
      if (j < width) {
        starts[base + j] = s;
        ends[base + j] = e;
        flags[base + j] = flag;
      }
      j++;
      if (i >= len) {
        complete = true; // end of input ends the record
        break;
      }
      const c = buf[i];
      i++;
      if (c === LF) {
        line++;
        complete = true;
        break;
      }
      // c is the delimiter: another field follows.
      if (j >= width && st.names === undefined) {
        throw new DataLoadError(
          `more than ${width} columns (maxColumns); raise maxColumns if this is intended`,
          {
            file: st.file,
            line: recLine,
          },
        );
      }
    }
    if (!complete) {
      if (j > width && st.names !== undefined) throw raggedError(st, recLine, j, width, true);
      st.line = recLine;
      return { pos: recStart, done: false };
    }
    if (st.names !== undefined && j !== width) throw raggedError(st, recLine, j, width, false);
    out.lines[out.count] = recLine;
    out.lastFields = j;
    out.count++;
  }
  st.line = line;
  return { pos: i, done: false };
}

function raggedError(st: ScanState, line: number, k: number, m: number, atLeast: boolean): DataLoadError {
  return new DataLoadError(
    `line ${line} has ${atLeast ? "at least " : ""}${k} field${k === 1 ? "" : "s"}, expected ${m}`,
    { file: st.file, line },
  );
}
