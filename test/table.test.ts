import { describe, expect, it } from "vitest";
import { tableFromRecords } from "../src/data/builder.js";
import { parseIsoDatetime } from "../src/data/datetime.js";
import { DataLoadError } from "../src/data/errors.js";
import { Table } from "../src/data/table.js";

const t = tableFromRecords([
  { a: 1, b: "x", c: true, d: "2024-01-02" },
  { a: null, b: "y", c: false, d: "2024-01-03T10:00:00Z" },
  { a: 3, b: "x", c: null, d: null },
]);

describe("Table", () => {
  it("builds typed columns from records", () => {
    expect(t.columns.map((c) => c.kind)).toEqual(["numeric", "categorical", "boolean", "datetime"]);
    expect(t.row(1)).toEqual({ a: null, b: "y", c: false, d: "2024-01-03T10:00:00.000Z" });
    expect(t.row(2)).toEqual({ a: 3, b: "x", c: null, d: null });
  });

  it("select shares buffers, take copies, slice shares", () => {
    const a = t.column("a");
    expect(t.select(["a"]).column("a")).toBe(a);
    const s = t.slice(1, 3).column("a");
    if (s.kind !== "numeric" || a.kind !== "numeric") throw new Error("kind");
    expect(s.values.buffer).toBe(a.values.buffer);
    expect(
      t
        .take([2, 0])
        .toRecords()
        .map((r) => r.a),
    ).toEqual([3, 1]);
  });

  it("names a missing column and refuses duplicate or empty names", () => {
    expect(() => t.column("zz")).toThrow(/no column "zz".*columns: a, b, c, d/);
    const a = t.column("a");
    expect(() => new Table([a, a])).toThrow(DataLoadError);
    expect(() => new Table([{ ...a, name: "" }])).toThrow(/empty name/);
  });

  it("mixed kinds fall back to text", () => {
    const m = tableFromRecords([{ v: 1 }, { v: "two" }, { v: true }]);
    const c = m.column("v");
    expect(c.kind).toBe("categorical");
    expect(m.toRecords().map((r) => r.v)).toEqual(["1", "two", "true"]);
  });
});

describe("parseIsoDatetime", () => {
  it("parses ISO dates, times and offsets", () => {
    expect(parseIsoDatetime("2024-01-31")).toBe(Date.UTC(2024, 0, 31));
    expect(parseIsoDatetime("2024-01-31 10:20:30.5")).toBe(Date.UTC(2024, 0, 31, 10, 20, 30, 500));
    expect(parseIsoDatetime("2024-01-31T10:20+02:00")).toBe(Date.UTC(2024, 0, 31, 8, 20));
  });
  it("refuses non-dates and impossible dates", () => {
    for (const s of ["2023-02-30", "2024-13-01", "31/01/2024", "abc", "2024-01-31T25:00"]) {
      expect(Number.isNaN(parseIsoDatetime(s))).toBe(true);
    }
  });
});
