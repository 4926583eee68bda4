import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Column } from "../../src/data/column.js";
import { parseNumberBytes } from "../../src/data/csv/parse-number.js";
import { parseCsv, readCsv } from "../../src/data/csv/read.js";
import { sniffDelimiter } from "../../src/data/csv/sniff.js";

const dir = mkdtempSync(join(tmpdir(), "trainyard-csv-read-"));
function file(name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function levelsOf(c: Column): readonly string[] {
  if (c.kind !== "categorical") throw new Error(`${c.name} is ${c.kind}`);
  return c.levels;
}

describe("parseCsv: quoting, line ends, BOM", () => {
  it("reads quoted delimiters, newlines and escaped quotes", () => {
    const t = parseCsv('id,text\n1,"a,b"\n2,"line1\nline2"\n3,"say ""hi"""\n4,plain\n');
    expect(t.nRows).toBe(4);
    expect(t.toRecords().map((r) => r.text)).toEqual(["a,b", "line1\nline2", 'say "hi"', "plain"]);
  });

  it("strips a UTF-8 BOM from the first name and accepts CRLF and blank lines", () => {
    const t = parseCsv("\ufeffx,y\r\n1,2\r\n\r\n\n3,4\r\n");
    expect(t.names).toEqual(["x", "y"]);
    expect(t.toRecords()).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
  });

  it("reads a last line without a line end, and a quoted header name", () => {
    const t = parseCsv('"a ""b""",c\n1,2');
    expect(t.names).toEqual(['a "b"', "c"]);
    expect(t.toRecords()).toEqual([{ 'a "b"': 1, c: 2 }]);
  });

  it("reports physical line numbers after a multi-line quoted field", () => {
    expect(() => parseCsv('a,b\n1,"x\ny\nz"\n2,3,4\n', { name: "m.csv" })).toThrow(
      /m\.csv:5: line 5 has 3 fields/,
    );
  });
});

describe("parseCsv: type inference", () => {
  it("infers numeric, boolean, datetime and categorical columns with missing tokens", () => {
    const t = parseCsv(
      "n,b,d,c\n1.5,true,2024-01-31,red\nNA,FALSE,,NA\n-inf,,2024-02-01T10:20:30Z,blue\n+1e3,False,null,red\n",
    );
    const [n, b, d, c] = t.columns;
    expect(n.kind).toBe("numeric");
    expect(Array.from(n.kind === "numeric" ? n.values : [])).toEqual([1.5, Number.NaN, -Infinity, 1000]);
    expect(b.kind).toBe("boolean");
    expect(Array.from(b.kind === "boolean" ? b.values : [])).toEqual([1, 0, 255, 0]);
    expect(d.kind).toBe("datetime");
    expect(t.toRecords().map((r) => r.d)).toEqual([
      "2024-01-31T00:00:00.000Z",
      null,
      "2024-02-01T10:20:30.000Z",
      null,
    ]);
    expect(c.kind).toBe("categorical");
    expect(levelsOf(c)).toEqual(["red", "blue"]);
    expect(t.toRecords().map((r) => r.c)).toEqual(["red", null, "blue", "red"]);
  });

  it("parses quoted numbers as numbers, but keeps quoted NA and empty as text in a text column", () => {
    const t = parseCsv('x,y\n"1","NA"\n"2",""\n"",NA\n3,z\n');
    expect(t.column("x").kind).toBe("numeric");
    expect(t.toRecords().map((r) => r.x)).toEqual([1, 2, null, 3]);
    expect(t.toRecords().map((r) => r.y)).toEqual(["NA", "", null, "z"]);
  });

  it("accepts the infinity spellings", () => {
    const t = parseCsv("x\ninf\n-inf\nInfinity\n-Infinity\n+INF\n");
    expect(t.toRecords().map((r) => r.x)).toEqual([Infinity, -Infinity, Infinity, -Infinity, Infinity]);
  });

  it("an all-missing column is numeric NaN", () => {
    const t = parseCsv("a,b\n1,\n2,NA\n");
    expect(t.column("b").kind).toBe("numeric");
    expect(t.toRecords().map((r) => r.b)).toEqual([null, null]);
  });

  it("stays exact when a column turns out to be text late (original spellings kept)", () => {
    const rows = ["v,w"];
    for (let i = 0; i < 20_000; i++) rows.push(`${i % 7 === 0 ? "1.0" : "2.50"},${i}`);
    rows.push("oops,5");
    const t = parseCsv(`${rows.join("\n")}\n`, { chunkBytes: 4096 });
    const v = t.column("v");
    expect(v.kind).toBe("categorical");
    expect(levelsOf(v)).toEqual(["1.0", "2.50", "oops"]);
    expect(t.column("w").kind).toBe("numeric");
    expect(t.row(20_000)).toEqual({ v: "oops", w: 5 });
    expect(t.row(7)).toEqual({ v: "1.0", w: 7 });
  });

  it("late text after quoted empty fields keeps them as text", () => {
    const t = parseCsv('a,b\n1,""\n2,NA\n3,x\n');
    expect(t.toRecords().map((r) => r.b)).toEqual(["", null, "x"]);
  });

  it("a boolean or datetime column contradicted late becomes text", () => {
    const t = parseCsv("b,d\ntrue,2024-01-01\nfalse,2024-13-01\nmaybe,2024-01-02\n");
    expect(levelsOf(t.column("b"))).toEqual(["true", "false", "maybe"]);
    expect(levelsOf(t.column("d"))).toEqual(["2024-01-01", "2024-13-01", "2024-01-02"]);
  });
});

describe("parseCsv: options", () => {
  it("sniffs tab, semicolon and pipe delimiters and uses .tsv for tabs", async () => {
    expect(parseCsv("a\tb\n1\t2\n").names).toEqual(["a", "b"]);
    expect(parseCsv("a;b;c\n1,5;2;3\n").toRecords()).toEqual([{ a: "1,5", b: 2, c: 3 }]);
    expect(parseCsv("a|b\n1|2\n").names).toEqual(["a", "b"]);
    // Quoted commas do not fool the sniffer.
    expect(parseCsv('a;b\n"x,y,z";1\n"p,q";2\n').names).toEqual(["a", "b"]);
    const p = file("t.tsv", "a,b\tc\n1,2\t3\n");
    expect((await readCsv(p)).names).toEqual(["a,b", "c"]);
    expect(parseCsv("a,b;c\n1,2;3\n", { delimiter: ";" }).names).toEqual(["a,b", "c"]);
  });

  it("sniffDelimiter prefers consistent splits", () => {
    const b = new TextEncoder().encode("a,b;c,d\n1,2;3,4\n5,6;7,8\n");
    expect(sniffDelimiter(b, b.length, true)).toBe(44);
  });

  it("include, exclude and maxRows", () => {
    const text = "a,b,c\n1,x,true\n2,y,false\n3,z,true\n";
    expect(parseCsv(text, { include: ["c", "a"] }).names).toEqual(["a", "c"]);
    expect(parseCsv(text, { exclude: ["b"] }).names).toEqual(["a", "c"]);
    const t = parseCsv(text, { maxRows: 2 });
    expect(t.nRows).toBe(2);
    expect(t.toRecords().map((r) => r.b)).toEqual(["x", "y"]);
  });

  it("excluded columns are not parsed (bad text there is ignored)", () => {
    const t = parseCsv("a,b\n1,\xff\n", { exclude: ["b"] });
    expect(t.names).toEqual(["a"]);
  });

  it("types override inference", () => {
    const t = parseCsv("zip,flag,when\n01234,true,2024-01-01\nNA,false,\n", {
      types: { zip: "categorical", flag: "categorical", when: "categorical" },
    });
    expect(levelsOf(t.column("zip"))).toEqual(["01234"]);
    expect(t.toRecords()[1]).toEqual({ zip: null, flag: "false", when: null });
    const n = parseCsv("x\n1\n2\n", { types: { x: "numeric" } });
    expect(n.column("x").kind).toBe("numeric");
  });

  it("custom missing tokens, including one that looks like a number", () => {
    const t = parseCsv("x,y\n-999,?\n2,a\n", { missing: ["-999", "?"] });
    expect(t.toRecords()).toEqual([
      { x: null, y: null },
      { x: 2, y: "a" },
    ]);
  });

  it("handles records cut by every chunk boundary", () => {
    const text = 'id,s,n\n1,"a\nb",1.5\n2,"x""y",2\r\n3,,-3e2\n\n4,"z",4\n';
    const whole = parseCsv(text).toRecords();
    expect(whole.length).toBe(4);
    for (let chunk = 16; chunk < 40; chunk++) {
      expect(parseCsv(text, { chunkBytes: chunk }).toRecords()).toEqual(whole);
    }
  });

  it("a big file through a small buffer equals the in-memory read", async () => {
    const lines = ["i,x,s"];
    for (let i = 0; i < 5000; i++) lines.push(`${i},${(i * 0.37).toFixed(3)},"s${i % 13},\n${i % 3}"`);
    const p = file("big.csv", `${lines.join("\r\n")}\r\n`);
    const a = await readCsv(p, { chunkBytes: 1000 });
    const b = parseCsv(`${lines.join("\r\n")}\r\n`);
    expect(a.nRows).toBe(5000);
    expect(a.toRecords()).toEqual(b.toRecords());
    expect(a.row(4999)).toEqual({
      i: 4999,
      x: Number((4999 * 0.37).toFixed(3)),
      s: `s${4999 % 13},\n${4999 % 3}`,
    });
  });
});

describe("numbers equal Number(text)", () => {
  const enc = new TextEncoder();
  const parse = (s: string): number => {
    const b = enc.encode(s);
    return parseNumberBytes(b, 0, b.length);
  };
  const double = fc.double({ noNaN: true, noDefaultInfinity: true });

  it("for String(x), toExponential(k), toFixed(k) and toPrecision(k)", () => {
    fc.assert(
      fc.property(double, fc.integer({ min: 0, max: 20 }), (x, k) => {
        const texts = [String(x), x.toExponential(k), x.toPrecision(k + 1)];
        if (Math.abs(x) < 1e21) texts.push(x.toFixed(k));
        for (const s of texts) expect(Object.is(parse(s), Number(s))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it("for short decimals typical of CSV files", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 12 }), (m, k) => {
        const s = (m / 10 ** k).toFixed(k);
        expect(Object.is(parse(s), Number(s))).toBe(true);
        if (!s.startsWith("-")) expect(Object.is(parse(`+${s}`), Number(s))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it("for long digit strings and extreme exponents (slow path)", () => {
    for (const s of [
      "9007199254740993",
      "0.1234567890123456789",
      "1e308",
      "1e309",
      "2e-324",
      "4.9e-324",
      "-0",
      "0e5",
    ]) {
      expect(Object.is(parse(s), Number(s))).toBe(true);
    }
  });

  it("rejects what is not a number", () => {
    for (const s of [
      "",
      "+",
      "-",
      ".",
      "1e",
      "1e+",
      "0x10",
      " 1",
      "1 ",
      "1_000",
      "1.2.3",
      "e5",
      "NaN",
      "infinit",
    ]) {
      expect(parse(s)).toBeNaN();
    }
  });
});
