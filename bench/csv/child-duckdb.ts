// Child process: DuckDB reads the CSV into its own table, then the columns are extracted into
// Float64Arrays (label dictionary-encoded); prints one JSON line of measurements.

import { DuckDBInstance, type DuckDBVector } from "@duckdb/node-api";

const path = process.argv[2];
const t0 = performance.now();
const instance = await DuckDBInstance.create(":memory:");
const conn = await instance.connect();
await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv('${path.replaceAll("'", "''")}')`);
const tRead = performance.now();

const rows = Number((await conn.runAndReadAll("SELECT count(*) AS n FROM t")).getRows()[0][0]);
const names = (await conn.runAndReadAll("SELECT * FROM t LIMIT 0")).columnNames();
const features = names.filter((n) => n !== "label");
const columns = features.map(() => new Float64Array(rows));
const codes = new Int32Array(rows);
const levels = new Map<string, number>();
const quoted = features.map((n) => `"${n}"::DOUBLE`).join(", ");
const result = await conn.stream(`SELECT ${quoted}, label FROM t`);
let at = 0;
for (;;) {
  const chunk = await result.fetchChunk();
  if (chunk === null || chunk.rowCount === 0) break;
  const n = chunk.rowCount;
  for (let j = 0; j < features.length; j++) {
    // Bulk copy of the vector's data (the file has no NULLs; `items` is the vector's Float64Array).
    const v = chunk.getColumnVector(j) as DuckDBVector<number> & { items?: Float64Array };
    if (v.items !== undefined) columns[j].set(v.items.subarray(0, n), at);
    else for (let i = 0; i < n; i++) columns[j][at + i] = v.getItem(i) ?? Number.NaN;
  }
  const lv = chunk.getColumnVector(features.length) as DuckDBVector<string>;
  for (let i = 0; i < n; i++) {
    const s = lv.getItem(i);
    if (s === null) codes[at + i] = -1;
    else {
      let c = levels.get(s);
      if (c === undefined) {
        c = levels.size;
        levels.set(s, c);
      }
      codes[at + i] = c;
    }
  }
  at += n;
}
const tEnd = performance.now();
let columnBytes = codes.byteLength;
for (const c of columns) columnBytes += c.byteLength;
conn.closeSync();
console.log(
  JSON.stringify({
    tool: "DuckDB read_csv + extraction",
    ms: tEnd - t0,
    readMs: tRead - t0,
    extractMs: tEnd - tRead,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rows: at,
    cols: features.length + 1,
    columnBytes,
  }),
);
