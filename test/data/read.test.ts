import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteFile } from "hyparquet-writer";
import { afterAll, describe, expect, it } from "vitest";
import { DataLoadError } from "../../src/data/errors.js";
import { readTable, sniffFormat } from "../../src/data/read.js";

const dir = mkdtempSync(join(tmpdir(), "trainyard-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

const CSV = "a,b\n1,x\n2,y\n";
const TSV = "a\tb\n1\tx\n2\ty\n";
const JSONL = '{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n';
const EXPECTED = [
  { a: 1, b: "x" },
  { a: 2, b: "y" },
];

function parquetBytes(): Buffer {
  const p = at("source.parquet");
  parquetWriteFile({
    filename: p,
    columnData: [
      { name: "a", data: [1, 2], type: "DOUBLE" },
      { name: "b", data: ["x", "y"], type: "STRING" },
    ],
  });
  return readFileSync(p);
}

describe("readTable", () => {
  it("dispatches by extension", async () => {
    const files: [string, string | Buffer][] = [
      ["t.csv", CSV],
      ["t.TSV", TSV],
      ["t.txt", CSV],
      ["t.jsonl", JSONL],
      ["t.ndjson", JSONL],
      ["t.parquet", parquetBytes()],
    ];
    for (const [name, content] of files) {
      writeFileSync(at(name), content);
      expect((await readTable(at(name))).toRecords(), name).toEqual(EXPECTED);
    }
  });

  it("the extension wins over the content: JSON Lines named .csv is read as CSV", async () => {
    writeFileSync(at("looks-json.csv"), JSONL);
    const t = await readTable(at("looks-json.csv"));
    expect(t.names).not.toEqual(["a", "b"]);
  });

  it("sniffs files without a known extension", async () => {
    const files: [string, string | Buffer, string][] = [
      ["blob1", parquetBytes(), "parquet"],
      ["blob2.dat", `\ufeff  \n${JSONL}`, "jsonl"],
      ["blob3", CSV, "csv"],
    ];
    for (const [name, content, format] of files) {
      writeFileSync(at(name), content);
      expect(await sniffFormat(at(name))).toBe(format);
      expect((await readTable(at(name))).toRecords(), name).toEqual(EXPECTED);
    }
  });

  it("format overrides extension and content; format-specific options reach the reader", async () => {
    writeFileSync(at("really-jsonl.txt"), JSONL);
    expect((await readTable(at("really-jsonl.txt"), { format: "jsonl" })).toRecords()).toEqual(EXPECTED);
    writeFileSync(at("tabbed.dat"), TSV);
    expect((await readTable(at("tabbed.dat"), { format: "tsv" })).toRecords()).toEqual(EXPECTED);
    writeFileSync(at("semi.csv"), "a;b\n1;x\n2;-\n");
    expect((await readTable(at("semi.csv"), { delimiter: ";", missing: ["-"] })).toRecords()).toEqual([
      { a: 1, b: "x" },
      { a: 2, b: null },
    ]);
  });

  it("common options reach every reader", async () => {
    writeFileSync(at("c.csv"), CSV);
    writeFileSync(at("c.jsonl"), JSONL);
    writeFileSync(at("c.parquet"), parquetBytes());
    for (const name of ["c.csv", "c.jsonl", "c.parquet"]) {
      const t = await readTable(at(name), { include: ["b"], maxRows: 1 });
      expect(t.toRecords(), name).toEqual([{ b: "x" }]);
      const u = await readTable(at(name), { exclude: ["b"], types: { a: "categorical" } });
      expect(u.toRecords(), name).toEqual([{ a: "1" }, { a: "2" }]);
    }
  });

  it("a missing file, a directory and an unknown format are DataLoadErrors naming the path", async () => {
    const missing = at("nope.csv");
    await expect(readTable(missing)).rejects.toThrow(DataLoadError);
    await expect(readTable(missing)).rejects.toThrow(`${missing}: no such file`);
    const sub = at("sub.csv");
    mkdirSync(sub);
    await expect(readTable(sub)).rejects.toThrow(`${sub}: is a directory, expected a file`);
    writeFileSync(at("x.csv"), CSV);
    await expect(readTable(at("x.csv"), { format: "xlsx" as never })).rejects.toThrow(
      /unknown format "xlsx"/,
    );
  });

  it("binary garbage named .parquet is a DataLoadError, not a crash", async () => {
    writeFileSync(at("x.parquet"), Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) & 255)));
    await expect(readTable(at("x.parquet"))).rejects.toThrow(DataLoadError);
  });
});
