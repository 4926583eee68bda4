import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Column, ColumnKind } from "../../src/data/column.js";
import { DEFAULT_MISSING_TOKENS } from "../../src/data/csv/missing.js";
import { parseCsv } from "../../src/data/csv/read.js";
import { formatCsv } from "../../src/data/csv/write.js";
import { Table } from "../../src/data/table.js";

// Property: any table written by formatCsv reads back identical.

const NA_LIKE = [
  ...DEFAULT_MISSING_TOKENS,
  " lead",
  "trail ",
  "a,b",
  'say "x"',
  "two\nlines",
  "cr\r\nlf",
  ";|\t",
];

/** Text that cannot be mistaken for a number, boolean, date or missing token. */
const plainText = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
  .map((s) => `${s}é`) // ends in a letter: never a number, boolean or ISO date
  .filter((s) => !DEFAULT_MISSING_TOKENS.includes(s));

const anyText = fc.oneof(plainText, fc.constantFrom(...NA_LIKE, "1.5", "true", "2024-01-31", "-0", "01"));

function columnArb(kind: ColumnKind, name: string, n: number, textLike: boolean): fc.Arbitrary<Column> {
  const missing = (p: number) => fc.integer({ min: 0, max: 99 }).map((r) => r < p);
  switch (kind) {
    case "numeric":
      return fc
        .array(fc.tuple(fc.double(), missing(15)), { minLength: n, maxLength: n })
        .map((xs) => ({ kind, name, values: Float64Array.from(xs, ([x, m]) => (m ? Number.NaN : x)) }));
    case "datetime":
      return fc
        .array(fc.tuple(fc.integer({ min: -2e12, max: 7e12 }), missing(15)), { minLength: n, maxLength: n })
        .map((xs) => ({ kind, name, values: Float64Array.from(xs, ([x, m]) => (m ? Number.NaN : x)) }));
    case "boolean":
      return fc
        .array(fc.constantFrom(0, 1, 255), { minLength: n, maxLength: n })
        .map((xs) => ({ kind, name, values: Uint8Array.from(xs) }));
    case "categorical":
      return fc
        .tuple(
          fc.uniqueArray(textLike ? plainText : anyText, { minLength: 1, maxLength: 6 }),
          fc.array(fc.integer({ min: -1, max: 5 }), { minLength: n, maxLength: n }),
          textLike ? fc.uniqueArray(fc.constantFrom(...NA_LIKE), { maxLength: 4 }) : fc.constant([]),
        )
        .map(([plain, picks, extra]) => {
          const levels = [...plain, ...extra.filter((x) => !plain.includes(x))];
          // Row 0 uses a plain level, so the column is text whatever else it holds.
          const codes = Int32Array.from(picks, (p, i) =>
            i === 0 && textLike ? 0 : p < 0 ? -1 : p % levels.length,
          );
          return { kind, name, codes, levels };
        });
  }
}

function tableArb(textLike: boolean): fc.Arbitrary<Table> {
  return fc
    .tuple(
      fc.array(fc.constantFrom<ColumnKind>("numeric", "categorical", "boolean", "datetime"), {
        minLength: 2, // a one-column row with a missing value would be a blank line
        maxLength: 6,
      }),
      fc.integer({ min: 1, max: 25 }),
    )
    .chain(([kinds, n]) =>
      fc.tuple(...kinds.map((k, j) => columnArb(k, j === 0 ? 'é, "q"' : `c${j}`, n, textLike))),
    )
    .map((cols) => new Table(cols));
}

function sameCells(a: Table, b: Table): void {
  expect(b.names).toEqual(a.names);
  expect(b.nRows).toBe(a.nRows);
  // toEqual tells -0 from 0 and compares text exactly.
  expect(b.toRecords()).toEqual(a.toRecords());
}

const hasValue = (t: Table, c: Column): boolean => t.toRecords().some((r) => r[c.name] !== null);

describe("CSV round trip", () => {
  it("reads back identical with types set to the original kinds", () => {
    fc.assert(
      fc.property(
        tableArb(false),
        fc.constantFrom(",", ";", "\t"),
        fc.constantFrom("\n", "\r\n"),
        (t, d, eol) => {
          const types = Object.fromEntries(t.columns.map((c) => [c.name, c.kind]));
          const back = parseCsv(formatCsv(t, { delimiter: d, eol }), { types, delimiter: d });
          sameCells(t, back);
          expect(back.columns.map((c) => c.kind)).toEqual(t.columns.map((c) => c.kind));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads back identical without types, kinds inferred", () => {
    fc.assert(
      fc.property(tableArb(true), fc.constantFrom(",", ";", "\t", "|"), (t, d) => {
        const back = parseCsv(formatCsv(t, { delimiter: d }));
        sameCells(t, back);
        for (const c of t.columns) {
          // A column with no value at all cannot show its kind: it reads as numeric NaN.
          if (hasValue(t, c)) expect(back.column(c.name).kind).toBe(c.kind);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a tiny read buffer gives the same table", () => {
    fc.assert(
      fc.property(tableArb(false), fc.integer({ min: 16, max: 64 }), (t, chunkBytes) => {
        const types = Object.fromEntries(t.columns.map((c) => [c.name, c.kind]));
        sameCells(t, parseCsv(formatCsv(t), { types, chunkBytes }));
      }),
      { numRuns: 100 },
    );
  });
});
