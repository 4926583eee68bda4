import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { DataLoadError } from "../../src/data/errors.js";
import { readJsonl } from "../../src/data/jsonl.js";

const dir = mkdtempSync(join(tmpdir(), "trainyard-jsonl-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function file(content: string | Uint8Array, ext = ".jsonl"): string {
  const p = join(dir, `f${counter++}${ext}`);
  writeFileSync(p, content);
  return p;
}

async function loadError(p: string, options = {}): Promise<DataLoadError> {
  try {
    await readJsonl(p, options);
  } catch (e) {
    expect(e).toBeInstanceOf(DataLoadError);
    return e as DataLoadError;
  }
  throw new Error("expected a DataLoadError");
}

describe("readJsonl", () => {
  it("reads mixed types, late keys, blank lines, CRLF and a BOM", async () => {
    const p = file(
      "\ufeff" +
        [
          '{"age": 31, "role": "dev", "senior": true, "joined": "2020-01-02"}',
          "",
          '{"age": 45.5, "role": "ops", "senior": false, "joined": "2019-06-30T12:00:00Z", "score": 7}',
          "   ",
          '{"age": null, "role": "dev", "senior": null, "nested": {"a": [1, 2]}}\r',
          '{"constructor": 3, "age": 20}',
        ].join("\n") +
        "\n",
    );
    const t = await readJsonl(p);
    expect(t.nRows).toBe(4);
    expect(t.names).toEqual(["age", "role", "senior", "joined", "score", "nested", "constructor"]);
    expect(t.columns.map((c) => c.kind)).toEqual([
      "numeric",
      "categorical",
      "boolean",
      "datetime",
      "numeric",
      "categorical",
      "numeric",
    ]);
    expect(t.toRecords()).toEqual([
      {
        age: 31,
        role: "dev",
        senior: true,
        joined: "2020-01-02T00:00:00.000Z",
        score: null,
        nested: null,
        constructor: null,
      },
      {
        age: 45.5,
        role: "ops",
        senior: false,
        joined: "2019-06-30T12:00:00.000Z",
        score: 7,
        nested: null,
        constructor: null,
      },
      {
        age: null,
        role: "dev",
        senior: null,
        joined: null,
        score: null,
        nested: '{"a":[1,2]}',
        constructor: null,
      },
      { age: 20, role: null, senior: null, joined: null, score: null, nested: null, constructor: 3 },
    ]);
  });

  it("a line of invalid JSON names the file, line and position", async () => {
    const p = file('{"a": 1}\n\n{"a": 2,}\n{"a": 3}\n');
    const e = await loadError(p);
    expect(e.message).toContain(`${p}:3`);
    expect(e.at.line).toBe(3);
    expect(e.message).toMatch(/not valid JSON/);
  });

  it("reports the JSON error's position as the column when the engine gives one", async () => {
    const p = file('{"a": 1}\n{"a": 1\n');
    const e = await loadError(p);
    expect(e.at.line).toBe(2);
    expect(e.at.column).toBe(8);
  });

  it("a line that is not an object names the line and what it got", async () => {
    expect((await loadError(file('{"a": 1}\n[1, 2]\n'))).message).toMatch(
      /:2: expected a JSON object, got an array/,
    );
    expect((await loadError(file('{"a": 1}\n{"a": 1}\n42\n'))).message).toMatch(/:3: .*got a number/);
    expect((await loadError(file("null\n"))).message).toMatch(/:1: .*got null/);
  });

  it("empty files and blank-only files are errors naming the file", async () => {
    for (const content of ["", "\n\n  \n"]) {
      const p = file(content);
      const e = await loadError(p);
      expect(e.message).toContain(p);
      expect(e.message).toMatch(/no rows/);
    }
  });

  it("invalid UTF-8 and an empty key name the line", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a": "ok"}\n{"a": "'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n'),
    ]);
    expect((await loadError(file(bytes))).message).toMatch(/:2: invalid UTF-8/);
    expect((await loadError(file('{"a": 1}\n{"": 2}\n'))).message).toMatch(/:2: a key is empty/);
  });

  it("maxRows stops early, include/exclude pick keys", async () => {
    const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ i, sq: i * i, name: `n${i % 3}` }));
    // a broken line after row 10 is never read with maxRows 10
    const p = file(`${lines.slice(0, 10).join("\n")}\n{broken\n${lines.slice(10).join("\n")}\n`);
    const t = await readJsonl(p, { maxRows: 10, include: ["sq", "i"] });
    expect(t.names).toEqual(["sq", "i"]);
    expect(t.nRows).toBe(10);
    expect(t.toRecords().map((r) => r.sq)).toEqual(Array.from({ length: 10 }, (_, i) => i * i));
    const u = await readJsonl(p, { maxRows: 5, exclude: ["sq"] });
    expect(u.names).toEqual(["i", "name"]);
    await expect(readJsonl(p, { maxRows: 5, include: ["nope"] })).rejects.toThrow(
      /"nope": include names a key/,
    );
    await expect(readJsonl(p, { maxRows: 5, exclude: ["nope"] })).rejects.toThrow(
      /"nope": exclude names a key/,
    );
    await expect(readJsonl(p, { maxRows: 0 })).rejects.toThrow(/maxRows/);
  });

  it("a chunk boundary inside a line does not split it", async () => {
    // lines longer than the 1 MiB chunk and lines straddling chunk ends
    const big = "x".repeat(1_500_000);
    const lines = [
      { s: "a", n: 1 },
      { s: big, n: 2 },
      { s: "b", n: 3 },
    ].map((o) => JSON.stringify(o));
    const t = await readJsonl(file(`${lines.join("\n")}\n`));
    expect(t.toRecords().map((r) => r.n)).toEqual([1, 2, 3]);
    expect(t.row(1).s).toBe(big);
  });

  it("types force kinds and name the line of a value that does not fit", async () => {
    const p = file(
      '{"zip": 1010, "ok": "yes", "when": "2021-03-04"}\n{"zip": 2020, "ok": "no", "when": 0}\n',
    );
    const t = await readJsonl(p, { types: { zip: "categorical", ok: "boolean", when: "datetime" } });
    expect(t.columns.map((c) => c.kind)).toEqual(["categorical", "boolean", "datetime"]);
    expect(t.toRecords()).toEqual([
      { zip: "1010", ok: true, when: "2021-03-04T00:00:00.000Z" },
      { zip: "2020", ok: false, when: "1970-01-01T00:00:00.000Z" },
    ]);
    const e = await loadError(p, { types: { ok: "numeric" } });
    expect(e.message).toBe(`${p}:1, "ok": "yes" is not numeric`);
    await expect(readJsonl(p, { types: { zz: "numeric" } })).rejects.toThrow(/"zz": types names a key/);
  });

  it("a file over the memory budget fails cleanly before parsing", async () => {
    const p = file(`${JSON.stringify({ a: "x".repeat(10_000) })}\n`);
    const e = await loadError(p, { maxMemoryBytes: 1000 });
    expect(e.message).toMatch(/over the limit/);
  });

  it("missing files and directories are DataLoadErrors", async () => {
    expect((await loadError(join(dir, "absent.jsonl"))).message).toMatch(/no such file/);
    expect((await loadError(dir)).message).toMatch(/is a directory/);
  });

  it("reads back any records written as JSON Lines (property)", async () => {
    const recordArb = fc.record(
      {
        x: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
        k: fc.oneof(fc.constantFrom("a", "b", "c d", 'q"uote', "ünï"), fc.constant(null)),
        b: fc.boolean(),
      },
      { requiredKeys: ["b"] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { minLength: 1, maxLength: 30 }), async (records) => {
        const t = await readJsonl(file(records.map((r) => JSON.stringify(r)).join("\n")));
        expect(t.nRows).toBe(records.length);
        const out = t.toRecords();
        records.forEach((r, i) => {
          expect(out[i].b).toBe(r.b);
          // -0 is written as 0 by JSON.stringify
          if ("x" in r) expect(out[i].x).toBe(r.x === null ? null : r.x === 0 ? 0 : r.x);
          else if (t.has("x")) expect(out[i].x).toBeNull();
          if ("k" in r) expect(out[i].k).toBe(r.k);
          else if (t.has("k")) expect(out[i].k).toBeNull();
        });
      }),
      { numRuns: 50 },
    );
  });
});
