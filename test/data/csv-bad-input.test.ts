import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv, readCsv } from "../../src/data/csv/read.js";
import { DataLoadError } from "../../src/data/errors.js";
import { Random } from "../../src/data/random.js";

const dir = mkdtempSync(join(tmpdir(), "trainyard-csv-bad-"));
function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Reads `p` expecting a DataLoadError whose message matches `pattern`. */
async function rejects(p: string, pattern: RegExp, options = {}): Promise<void> {
  const err = await readCsv(p, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataLoadError);
  expect((err as Error).message).toMatch(pattern);
}

describe("readCsv refuses bad input with a located DataLoadError", () => {
  it("missing file", async () => {
    const p = join(dir, "nope.csv");
    await rejects(p, new RegExp(`${p.replaceAll(".", "\\.")}: no such file`));
  });

  it("directory instead of a file", async () => {
    await rejects(dir, /is a directory/);
  });

  it("empty file", async () => {
    await rejects(file("empty.csv", ""), /empty\.csv: empty file/);
    await rejects(file("blank.csv", "\n\r\n\n"), /blank\.csv: empty file/);
  });

  it("header only", async () => {
    await rejects(file("header.csv", "a,b,c\n"), /header\.csv:1: no data rows/);
  });

  it("ragged rows: too many and too few fields", async () => {
    await rejects(file("long.csv", "a,b\n1,2\n3,4\n5,6,7\n"), /long\.csv:4: line 4 has 3 fields, expected 2/);
    await rejects(file("short.csv", "a,b\n1,2\n\n3\n"), /short\.csv:4: line 4 has 1 field, expected 2/);
  });

  it("unclosed quote names the line where it opened", async () => {
    await rejects(
      file("quote.csv", 'a,b\n1,2\n3,"open\n4,5\n6,7\n'),
      /quote\.csv:3, column 2, "b": unclosed quote/,
    );
  });

  it("text after a closing quote", async () => {
    await rejects(
      file("after.csv", 'a,b\n1,"x"y\n'),
      /after\.csv:2, column 2, "b": unexpected character "y"/,
    );
  });

  it("invalid UTF-8 names line and column", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("a,b\nx,y\nz,"), 0xc3, 0x28, 10]);
    await rejects(file("utf8.csv", bytes), /utf8\.csv:3, column 2, "b": invalid UTF-8/);
    const head = new Uint8Array([0x61, 0x2c, 0xff, 10, 0x31, 0x2c, 0x32, 10]);
    await rejects(file("utf8h.csv", head), /utf8h\.csv:1, column 2: invalid UTF-8 in the header/);
  });

  it("duplicate and empty column names", async () => {
    await rejects(
      file("dup.csv", "a,b,a\n1,2,3\n"),
      /dup\.csv:1, column 3, "a": duplicate column name "a" \(also column 1\)/,
    );
    await rejects(file("noname.csv", "a,,c\n1,2,3\n"), /noname\.csv:1, column 2: column 2 has an empty name/);
  });

  it("a 10 MB field exceeds maxFieldBytes; raising the limit reads it", async () => {
    const big = "x".repeat(10 * 1024 * 1024);
    const p = file("bigfield.csv", `a,b\n1,ok\n2,${big}\n`);
    await rejects(p, /bigfield\.csv:3, column 2, "b": field longer than maxFieldBytes/);
    const quoted = file("bigquoted.csv", `a,b\n1,ok\n2,"${big}"\n`);
    await rejects(quoted, /bigquoted\.csv:3, column 2, "b": field longer than maxFieldBytes/);
    const t = await readCsv(p, { maxFieldBytes: 11 * 1024 * 1024 });
    expect(t.nRows).toBe(2);
    const b = t.column("b");
    expect(b.kind === "categorical" && b.levels[1].length).toBe(big.length);
  });

  it("a line of 10^6 columns stops at maxColumns quickly", async () => {
    const p = file("wide.csv", `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(",")}\n1\n`);
    const t0 = performance.now();
    await rejects(p, /wide\.csv:1: more than 16384 columns \(maxColumns\)/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("a data line of 10^6 fields is a ragged row", async () => {
    const p = file("wide-row.csv", `a,b\n1,2\n${"1,".repeat(1_000_000)}1\n`);
    await rejects(p, /wide-row\.csv:3: line 3 has (at least )?\d+ fields, expected 2/);
  });

  it("binary garbage", async () => {
    const rng = new Random(7);
    const bytes = new Uint8Array(100_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
    bytes[10] = 0;
    await rejects(file("garbage.bin", bytes), /garbage\.bin:1: looks binary/);
  });

  it("a NUL byte far into the file", async () => {
    // 4 header bytes + 50,000 × 4 + "3," → the NUL is at offset 200,006.
    const text = `a,b\n${"1,2\n".repeat(50_000)}3,\u0000\n`;
    await rejects(file("nul.csv", text), /nul\.csv: looks binary.*NUL byte at byte offset 200006/, {
      chunkBytes: 4096,
    });
  });

  it("a forced type that does not fit names line, column and field", async () => {
    const p = file("forced.csv", "a,b\n1,2\n3,x\n");
    await rejects(p, /forced\.csv:3, column 2, "b": value "x" is not numeric/, { types: { b: "numeric" } });
    await rejects(p, /forced\.csv:2, column 1, "a": value "1" is not boolean/, { types: { a: "boolean" } });
    await rejects(p, /value "1" is not datetime/, { types: { a: "datetime" } });
  });

  it("unknown names in include, exclude and types", async () => {
    const p = file("names.csv", "a,b\n1,2\n");
    await rejects(p, /include names no column "z"/, { include: ["z"] });
    await rejects(p, /exclude names no column "z"/, { exclude: ["z"] });
    await rejects(p, /types names no column "z"/, { types: { z: "numeric" } });
  });

  it("a file larger than the memory budget fails before reading it all", async () => {
    const p = file("budget.csv", `a,b\n${"1.5,2.5\n".repeat(100_000)}`);
    await rejects(p, /more than maxMemoryBytes .*maxRows.*include/, {
      maxMemoryBytes: 200_000,
      chunkBytes: 4096,
    });
    const t = await readCsv(p, { maxMemoryBytes: 200_000, chunkBytes: 4096, maxRows: 1000 });
    expect(t.nRows).toBe(1000);
  });

  it("parseCsv names its input in messages", () => {
    expect(() => parseCsv("a,b\n1\n", { name: "upload.csv" })).toThrow(/^upload\.csv:2: line 2 has 1 field/);
  });
});
