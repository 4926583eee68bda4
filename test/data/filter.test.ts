import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Cell, type Column, cell } from "../../src/data/column.js";
import { DataLoadError } from "../../src/data/errors.js";
import {
  dropMissing,
  dropUnusedLevels,
  filterRows,
  keepValues,
  selectColumns,
  whereRows,
} from "../../src/data/filter.js";
import { Table } from "../../src/data/table.js";

const LEVELS = ["LOW", "MEDIUM", "HIGH", "NONE"];

function sample(): Table {
  return new Table([
    { kind: "numeric", name: "x", values: Float64Array.from([1, 2, Number.NaN, 4, 2, -0]) },
    {
      kind: "categorical",
      name: "y",
      codes: Int32Array.from([0, 1, 2, -1, 2, 1]),
      levels: ["LOW", "MEDIUM", "HIGH"],
    },
    { kind: "boolean", name: "b", values: Uint8Array.from([1, 0, 255, 1, 0, 1]) },
    { kind: "datetime", name: "t", values: Float64Array.from([0, 86_400_000, 0, Number.NaN, 0, 0]) },
  ]);
}

describe("selectColumns", () => {
  it("includes in the given order, then excludes", () => {
    const t = sample();
    expect(selectColumns(t, { include: ["y", "x"] }).names).toEqual(["y", "x"]);
    expect(selectColumns(t, { exclude: ["x", "t"] }).names).toEqual(["y", "b"]);
    expect(selectColumns(t, { include: ["y", "x", "b"], exclude: ["x"] }).names).toEqual(["y", "b"]);
    expect(selectColumns(t, {}).names).toEqual(["x", "y", "b", "t"]);
  });

  it("an unknown or repeated name is a DataLoadError naming it", () => {
    const t = sample();
    expect(() => selectColumns(t, { include: ["x", "nope"] })).toThrow(DataLoadError);
    expect(() => selectColumns(t, { include: ["x", "nope"] })).toThrow(/"nope"/);
    expect(() => selectColumns(t, { exclude: ["gone"] })).toThrow(/"gone"/);
    expect(() => selectColumns(t, { include: ["x", "x"] })).toThrow(/"x".*twice/);
  });
});

describe("keepValues", () => {
  it("keeps target in {HIGH, MEDIUM} and drops the other classes' levels", () => {
    const r = keepValues(sample(), "y", ["HIGH", "MEDIUM", "CRITICAL"]);
    expect(r.kept).toBe(4);
    expect(r.dropped).toBe(2);
    expect(r.absent).toEqual(["CRITICAL"]);
    expect(r.perValue).toEqual([
      { value: "HIGH", rows: 2 },
      { value: "MEDIUM", rows: 2 },
      { value: "CRITICAL", rows: 0 },
    ]);
    const y = r.table.column("y");
    expect(y.kind === "categorical" && y.levels).toEqual(["MEDIUM", "HIGH"]);
    expect(r.table.toRecords().map((row) => [row.x, row.y])).toEqual([
      [2, "MEDIUM"],
      [null, "HIGH"],
      [2, "HIGH"],
      [-0, "MEDIUM"],
    ]);
  });

  it("matches numbers, booleans and datetimes in the column's terms", () => {
    const t = sample();
    expect(keepValues(t, "x", [2, "4"]).kept).toBe(3);
    expect(keepValues(t, "x", [0]).kept).toBe(1); // -0 is 0
    expect(keepValues(t, "x", ["abc", true]).absent).toEqual(["abc", true]);
    expect(keepValues(t, "b", [true]).kept).toBe(3);
    expect(keepValues(t, "b", ["false", 0]).kept).toBe(2);
    expect(keepValues(t, "t", ["1970-01-02"]).kept).toBe(1);
    expect(keepValues(t, "t", [0]).kept).toBe(4);
    expect(() => keepValues(t, "zzz", [1])).toThrow(/"zzz"/);
  });

  it("keeps exactly the rows a naive filter keeps (property)", () => {
    const columnArb: fc.Arbitrary<Column> = fc.oneof(
      fc
        .array(fc.integer({ min: -1, max: 3 }), { maxLength: 60 })
        .map(
          (codes) =>
            ({ kind: "categorical", name: "c", codes: Int32Array.from(codes), levels: LEVELS }) as Column,
        ),
      fc
        .array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(Number.NaN)), { maxLength: 60 })
        .map((v) => ({ kind: "numeric", name: "c", values: Float64Array.from(v) }) as Column),
      fc
        .array(fc.constantFrom(0, 1, 255), { maxLength: 60 })
        .map((v) => ({ kind: "boolean", name: "c", values: Uint8Array.from(v) }) as Column),
    );
    const valueArb = fc.array(
      fc.oneof(fc.constantFrom(...LEVELS, "other"), fc.integer({ min: -3, max: 3 }), fc.boolean()),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(columnArb, valueArb, (col, values) => {
        const n = col.kind === "categorical" ? col.codes.length : col.values.length;
        const id = {
          kind: "numeric",
          name: "id",
          values: Float64Array.from({ length: n }, (_, i) => i),
        } as Column;
        const t = new Table([id, col]);
        // naive: compare each cell's plain value with each wanted value
        const same = (c: Cell, v: string | number | boolean): boolean => {
          if (c === null) return false;
          if (typeof c === "string") return c === String(v);
          if (typeof c === "boolean") return typeof v === "boolean" ? c === v : v === (c ? 1 : 0);
          return typeof v === "number" && c === v;
        };
        const expected: number[] = [];
        for (let i = 0; i < n; i++) if (values.some((v) => same(cell(col, i), v))) expected.push(i);
        const r = keepValues(t, "c", values);
        expect(r.table.toRecords().map((row) => row.id)).toEqual(expected);
        expect(r.kept + r.dropped).toBe(n);
        expect(r.table.toRecords().map((row) => row.c)).toEqual(expected.map((i) => cell(col, i)));
      }),
    );
  });
});

describe("dropMissing, filterRows, dropUnusedLevels", () => {
  it("dropMissing drops rows missing in any listed column", () => {
    const t = sample();
    expect(
      dropMissing(t, ["x"])
        .toRecords()
        .map((r) => r.x),
    ).toEqual([1, 2, 4, 2, -0]);
    expect(dropMissing(t, ["y", "b"]).nRows).toBe(4);
    expect(dropMissing(t).nRows).toBe(4);
    expect(() => dropMissing(t, ["q"])).toThrow(/"q"/);
  });

  it("filterRows keeps the rows the predicate accepts, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 50 }), (xs) => {
        const t = new Table([{ kind: "numeric", name: "x", values: Float64Array.from(xs) }]);
        const out = filterRows(t, (i) => xs[i] > 0);
        expect(out.toRecords().map((r) => r.x)).toEqual(xs.filter((x) => x > 0));
      }),
    );
  });

  it("dropUnusedLevels keeps used levels in their order and remaps codes", () => {
    const c = dropUnusedLevels({
      kind: "categorical",
      name: "c",
      codes: Int32Array.from([3, -1, 1, 3]),
      levels: ["a", "b", "c", "d"],
    });
    expect(c.kind === "categorical" && [c.levels, [...c.codes]]).toEqual([
      ["b", "d"],
      [1, -1, 0, 1],
    ]);
  });
});

describe("whereRows", () => {
  const t = new Table([
    { kind: "numeric", name: "age", values: Float64Array.of(17, 18, 30, Number.NaN, 45) },
    {
      kind: "categorical",
      name: "region",
      codes: Int32Array.of(0, 1, 0, 2, -1),
      levels: ["North", "South", "East"],
    },
    { kind: "boolean", name: "active", values: Uint8Array.of(1, 0, 1, 1, 255) },
  ]);
  const ages = (x: Table) => [...(x.column("age") as { values: Float64Array }).values];

  it("keeps rows matching every condition; missing values match only `missing`", () => {
    expect(ages(whereRows(t, [{ column: "age", op: "ge", value: 18 }]))).toEqual([18, 30, 45]);
    expect(ages(whereRows(t, [{ column: "age", op: "ne", value: 30 }]))).toEqual([17, 18, 45]);
    expect(
      ages(
        whereRows(t, [
          { column: "age", op: "ge", value: 18 },
          { column: "region", op: "in", value: ["North", "South"] },
        ]),
      ),
    ).toEqual([18, 30]);
    expect(ages(whereRows(t, [{ column: "region", op: "notIn", value: ["North"] }]))).toEqual([
      18,
      Number.NaN,
    ]);
    expect(ages(whereRows(t, [{ column: "active", op: "eq", value: true }]))).toEqual([17, 30, Number.NaN]);
    expect(ages(whereRows(t, [{ column: "age", op: "missing" }]))).toEqual([Number.NaN]);
    expect(whereRows(t, [{ column: "region", op: "present" }]).nRows).toBe(4);
    expect(whereRows(t, []).nRows).toBe(5);
  });

  it("names the condition and the column when it cannot apply", () => {
    expect(() => whereRows(t, [{ column: "region", op: "lt", value: "South" }])).toThrow(
      /condition 1 \(region lt\).*numeric/,
    );
    expect(() => whereRows(t, [{ column: "age", op: "eq", value: "old" }])).toThrow(
      /"old" is not a numeric value/,
    );
    expect(() => whereRows(t, [{ column: "age", op: "in", value: 3 }])).toThrow(/needs a list/);
    expect(() => whereRows(t, [{ column: "salary", op: "gt", value: 3 }])).toThrow(/"salary"/);
  });
});
