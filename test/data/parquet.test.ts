import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parquetWriteFile } from "hyparquet-writer";
import { afterAll, describe, expect, it } from "vitest";
import { DataLoadError } from "../../src/data/errors.js";
import { readParquet } from "../../src/data/parquet.js";
import { Random } from "../../src/data/random.js";

const dir = mkdtempSync(join(tmpdir(), "trainyard-parquet-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function path(name = `f${counter++}.parquet`): string {
  return join(dir, name);
}

type ColumnSource = Parameters<typeof parquetWriteFile>[0]["columnData"][number];
function write(columnData: ColumnSource[], extra: { rowGroupSize?: number } = {}): string {
  const p = path();
  parquetWriteFile({ filename: p, columnData, ...extra });
  return p;
}

async function loadError(p: string, options = {}): Promise<DataLoadError> {
  try {
    await readParquet(p, options);
  } catch (e) {
    expect(e).toBeInstanceOf(DataLoadError);
    return e as DataLoadError;
  }
  throw new Error("expected a DataLoadError");
}

const T0 = Date.UTC(2024, 0, 31, 10, 20, 30, 123);

function mixedFile(rowGroupSize?: number): string {
  return write(
    [
      { name: "x", data: [1.5, null, -3.25, 4, 1e300], type: "DOUBLE" },
      { name: "big", data: [1n, null, -7n, 2n ** 53n, 42n], type: "INT64" },
      { name: "n32", data: [1, 2, 3, null, 5], type: "INT32" },
      { name: "f32", data: [0.5, 0.25, null, 2, 3], type: "FLOAT" },
      { name: "ok", data: [true, false, null, true, false], type: "BOOLEAN" },
      { name: "city", data: ["Paris", "Lyon", null, "Paris", "Nice"], type: "STRING" },
      {
        name: "at",
        data: [new Date(T0), null, new Date(0), new Date(-86_400_000), new Date(T0 + 1)],
        type: "TIMESTAMP",
      },
    ],
    { rowGroupSize },
  );
}

describe("readParquet", () => {
  it("round-trips numeric, int64, boolean, string and timestamp columns with nulls", async () => {
    for (const rowGroupSize of [undefined, 2]) {
      const t = await readParquet(mixedFile(rowGroupSize));
      expect(t.names).toEqual(["x", "big", "n32", "f32", "ok", "city", "at"]);
      expect(t.columns.map((c) => c.kind)).toEqual([
        "numeric",
        "numeric",
        "numeric",
        "numeric",
        "boolean",
        "categorical",
        "datetime",
      ]);
      expect(t.toRecords()).toEqual([
        { x: 1.5, big: 1, n32: 1, f32: 0.5, ok: true, city: "Paris", at: new Date(T0).toISOString() },
        { x: null, big: null, n32: 2, f32: 0.25, ok: false, city: "Lyon", at: null },
        { x: -3.25, big: -7, n32: 3, f32: null, ok: null, city: null, at: "1970-01-01T00:00:00.000Z" },
        { x: 4, big: 2 ** 53, n32: null, f32: 2, ok: true, city: "Paris", at: "1969-12-31T00:00:00.000Z" },
        { x: 1e300, big: 42, n32: 5, f32: 3, ok: false, city: "Nice", at: new Date(T0 + 1).toISOString() },
      ]);
      const city = t.column("city");
      expect(city.kind === "categorical" && city.levels).toEqual(["Paris", "Lyon", "Nice"]);
    }
  });

  it("reads required (non-null) columns that arrive as typed arrays, across row groups", async () => {
    const rng = new Random(5);
    const n = 2500;
    const xs = Array.from({ length: n }, () => rng.normal());
    const ks = Array.from({ length: n }, (_, i) => i * 3);
    const cats = Array.from({ length: n }, (_, i) => ["a", "b", "c"][i % 3]);
    const p = write(
      [
        { name: "x", data: Float64Array.from(xs), type: "DOUBLE", nullable: false },
        { name: "k", data: Int32Array.from(ks), type: "INT32", nullable: false },
        { name: "c", data: cats, type: "STRING", nullable: false },
      ],
      { rowGroupSize: 1000 },
    );
    const t = await readParquet(p);
    const x = t.column("x");
    const k = t.column("k");
    const c = t.column("c");
    expect(x.kind === "numeric" && [...x.values]).toEqual(xs);
    expect(k.kind === "numeric" && [...k.values]).toEqual(ks);
    expect(c.kind === "categorical" && [...c.codes].map((i) => c.levels[i])).toEqual(cats);
    const head = await readParquet(p, { maxRows: 1500, include: ["k"] });
    expect(head.nRows).toBe(1500);
    expect(head.names).toEqual(["k"]);
    const hk = head.column("k");
    expect(hk.kind === "numeric" && [...hk.values]).toEqual(ks.slice(0, 1500));
  });

  it("round-trips random numeric/string columns with nulls (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            x: fc.option(fc.double({ noNaN: true }), { nil: null }),
            s: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 10 }),
        async (rows, rowGroupSize) => {
          const p = write(
            [
              { name: "x", data: rows.map((r) => r.x), type: "DOUBLE" },
              { name: "s", data: rows.map((r) => r.s), type: "STRING" },
            ],
            { rowGroupSize },
          );
          const t = await readParquet(p);
          expect(t.toRecords()).toEqual(rows);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("include picks and orders columns, exclude drops them, unknown names are errors", async () => {
    const p = mixedFile();
    expect((await readParquet(p, { include: ["city", "x"] })).names).toEqual(["city", "x"]);
    expect((await readParquet(p, { exclude: ["x", "at"] })).names).toEqual([
      "big",
      "n32",
      "f32",
      "ok",
      "city",
    ]);
    expect((await loadError(p, { include: ["nope"] })).message).toBe(
      `${p}, "nope": no such column in the file`,
    );
    expect((await loadError(p, { maxRows: 0 })).message).toMatch(/maxRows/);
  });

  it("types convert columns after reading", async () => {
    const p = mixedFile();
    const t = await readParquet(p, { types: { n32: "categorical", at: "numeric" }, include: ["n32", "at"] });
    expect(t.toRecords().map((r) => [r.n32, r.at])).toEqual([
      ["1", T0],
      ["2", null],
      ["3", 0],
      [null, -86_400_000],
      ["5", T0 + 1],
    ]);
    expect((await loadError(p, { types: { city: "numeric" } })).message).toMatch(
      /"city": row 1: "Paris" is not numeric/,
    );
  });

  it("nested and JSON columns are refused by name, and can be excluded", async () => {
    const p = write([
      { name: "id", data: [1, 2], type: "INT32" },
      { name: "meta", data: [{ a: 1 }, { b: 2 }], type: "JSON" },
    ]);
    const e = await loadError(p);
    expect(e.message).toMatch(/"meta": unsupported Parquet column type: json/);
    expect((await readParquet(p, { exclude: ["meta"] })).names).toEqual(["id"]);
  });

  it("a truncated file, random bytes and a header-only file are DataLoadErrors naming the file", async () => {
    const good = readFileSync(mixedFile());
    const cases: [string, Uint8Array][] = [
      ["truncated.parquet", good.subarray(0, Math.floor(good.length / 2))],
      ["cut-footer.parquet", good.subarray(0, good.length - 1)],
      ["x.parquet", Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)],
      ["tiny.parquet", Buffer.from("PAR1")],
      ["empty.parquet", new Uint8Array(0)],
      // magic at both ends but garbage in between
      ["garbage.parquet", Buffer.concat([Buffer.from("PAR1"), Buffer.alloc(100, 7), Buffer.from("PAR1")])],
    ];
    for (const [name, bytes] of cases) {
      const p = path(name);
      writeFileSync(p, bytes);
      const e = await loadError(p);
      expect(e.message.startsWith(p)).toBe(true);
      expect(e.message).toMatch(/Parquet/);
    }
  });

  // Footer (metadata) corruption only: corrupting page data can hang hyparquet 1.31.5 — its RLE
  // decoder (encoding.js readRle) writes a corrupt run length's worth of values past the end of
  // the output array, growing it to billions of entries. The full-file fuzz below stays skipped
  // until that is fixed upstream or decoding moves into a killable child process.
  it("any corruption of the footer reads or fails with a DataLoadError, never anything else", async () => {
    const good = readFileSync(mixedFile(2));
    const footerLength = good.readUInt32LE(good.length - 8);
    const footerStart = good.length - 8 - footerLength;
    const p = path("fuzz-footer.parquet");
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.integer({ min: footerStart, max: good.length - 1 }), fc.integer({ min: 0, max: 255 })),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        async (edits) => {
          const bytes = Buffer.from(good);
          for (const [at, v] of edits) bytes[at] = v;
          writeFileSync(p, bytes);
          try {
            await readParquet(p);
          } catch (e) {
            if (!(e instanceof DataLoadError)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it.skip("any corruption anywhere reads or fails with a DataLoadError (hangs in hyparquet 1.31.5)", async () => {
    const good = readFileSync(mixedFile(2));
    const p = path("fuzz.parquet");
    // e.g. byte 481 := 213 (num_nulls of a page header v2) makes readRle loop ~2^31 times
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (edits) => {
          const bytes = Buffer.from(good);
          for (const [at, v] of edits) bytes[at] = v;
          writeFileSync(p, bytes);
          try {
            await readParquet(p);
          } catch (e) {
            if (!(e instanceof DataLoadError)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("missing files and a memory budget too small are clean errors", async () => {
    expect((await loadError(path("absent.parquet"))).message).toMatch(/no such file/);
    expect((await loadError(dir)).message).toMatch(/is a directory/);
    expect((await loadError(mixedFile(), { maxMemoryBytes: 64 })).message).toMatch(/over the limit/);
  });
});
