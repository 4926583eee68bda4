import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tableFromRecords } from "../../src/data/builder.js";
import { DataLoadError } from "../../src/data/errors.js";
import { inferSchema, looksLikeIdName, type SemanticType } from "../../src/data/schema.js";

const N = 100;
const rows = (f: (i: number) => Record<string, unknown>) => Array.from({ length: N }, (_, i) => f(i));
const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];

/** One column per semantic type (plus look-alikes that must not be mistaken). */
const table = tableFromRecords(
  rows((i) => ({
    price: i * 1.25 + 0.1,
    rooms: i % 7,
    colour: ["red", "green", "blue"][i % 3],
    member: i % 2 === 0,
    joined: new Date(Date.UTC(2020, 0, 1 + i)).toISOString(),
    customer_id: 1000 + i * 3,
    sku: `SKU-${(i * 7919) % 100_000}`,
    row_number: i,
    income: 20_000 + ((i * 7919) % 97) * 1013 + i,
    country: "FR",
    empty: null,
    review: `${words[i % 8]} was ${words[(i * 3) % 8]} and then ${words[(i * 5) % 8]} number ${i}`,
    user_id: i % 10,
  })),
);

describe("inferSchema", () => {
  const schema = inferSchema(table);
  const typeOf = (name: string) => schema.columns.find((c) => c.name === name)?.type;

  it.each<[string, SemanticType]>([
    ["price", "numeric"],
    ["rooms", "integer"],
    ["colour", "categorical"],
    ["member", "boolean"],
    ["joined", "datetime"],
    ["customer_id", "id"], // unique integers with an id-like name
    ["sku", "id"], // a distinct string in every row
    ["row_number", "id"], // unique consecutive integers
    ["income", "integer"], // unique but spread out: a quantity, not a row number
    ["country", "constant"],
    ["empty", "constant"],
    ["review", "text"],
    ["user_id", "integer"], // id-like name but repeated: a group key
  ])("%s is %s", (name, type) => {
    expect(typeOf(name)).toBe(type);
  });

  it("counts missing and distinct values per column, and keeps the storage kind", () => {
    const t = tableFromRecords([
      { a: 1, b: "x" },
      { a: null, b: "y" },
      { a: 1, b: null },
      { a: 2, b: "x" },
    ]);
    const s = inferSchema(t);
    expect(s.rows).toBe(4);
    expect(s.columns.map((c) => [c.name, c.kind, c.missing, c.distinct])).toEqual([
      ["a", "numeric", 1, 2],
      ["b", "categorical", 1, 2],
    ]);
    for (const c of s.columns) expect(c.reason.length).toBeGreaterThan(0);
  });

  it("counts distinct values like a Set does, for any numbers with missing values", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }), { maxLength: 60 }),
        (xs) => {
          const s = inferSchema(tableFromRecords(xs.map((x) => ({ x }))));
          const present = xs.filter((x) => x !== null);
          expect(s.columns[0]?.distinct ?? 0).toBe(new Set(present).size);
          expect(s.columns[0]?.missing ?? 0).toBe(xs.length - present.length);
        },
      ),
    );
  });

  it("does not call unique values an id below 20 rows", () => {
    const t = tableFromRecords(Array.from({ length: 10 }, (_, i) => ({ id: i, name: `n${i}` })));
    expect(inferSchema(t).columns.map((c) => c.type)).toEqual(["integer", "categorical"]);
  });

  it("applies overrides and marks them", () => {
    const s = inferSchema(table, {
      overrides: { rooms: "categorical", customer_id: "integer", review: "categorical" },
    });
    const c = s.columns.find((x) => x.name === "rooms");
    expect(c).toMatchObject({ type: "categorical", kind: "numeric", overridden: true, reason: "override" });
    expect(s.columns.find((x) => x.name === "customer_id")?.type).toBe("integer");
    expect(s.columns.find((x) => x.name === "price")?.overridden).toBe(false);
  });

  it.each<[string, SemanticType]>([
    ["colour", "numeric"],
    ["review", "integer"],
    ["price", "integer"],
    ["member", "numeric"],
    ["joined", "categorical"],
  ])("refuses overriding %s as %s, naming the column", (name, type) => {
    expect(() => inferSchema(table, { overrides: { [name]: type } })).toThrow(DataLoadError);
    expect(() => inferSchema(table, { overrides: { [name]: type } })).toThrow(`"${name}"`);
  });

  it("refuses an override for a missing column or an unknown type", () => {
    expect(() => inferSchema(table, { overrides: { nope: "numeric" } })).toThrow(/"nope".*does not exist/);
    expect(() => inferSchema(table, { overrides: { price: "float" as SemanticType } })).toThrow(
      /unknown type "float"/,
    );
  });
});

describe("looksLikeIdName", () => {
  it.each([
    ["id", true],
    ["ID", true],
    ["user_id", true],
    ["userId", true],
    ["order-key", true],
    ["uuid", true],
    ["Customer ID", true],
    ["paid", false],
    ["valid", false],
    ["monkey", false],
    ["idea", false],
  ])("%s → %s", (name, expected) => {
    expect(looksLikeIdName(name)).toBe(expected);
  });
});
