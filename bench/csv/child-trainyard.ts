// Child process: trainyard's readCsv on one file; prints one JSON line of measurements.

import { readCsv } from "../../src/data/csv/read.js";

const path = process.argv[2];
const t0 = performance.now();
const table = await readCsv(path);
const ms = performance.now() - t0;
let numericBytes = 0;
for (const c of table.columns) if (c.kind === "numeric") numericBytes += c.values.byteLength;
console.log(
  JSON.stringify({
    tool: "trainyard readCsv",
    ms,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rows: table.nRows,
    cols: table.nCols,
    columnBytes: table.byteSize,
    numericBytes,
    kinds: [...new Set(table.columns.map((c) => c.kind))].join(","),
  }),
);
