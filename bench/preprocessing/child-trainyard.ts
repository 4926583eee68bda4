// Child process: trainyard's defaultPreprocessor (median impute → standard scale; most-frequent
// impute → one-hot) fitted and applied; prints one JSON line of measurements.

import { defaultPreprocessor } from "../../src/ml/preprocessing/index.js";
import { readData } from "./generate.js";

const [prefix, repeatArg] = process.argv.slice(2);
const X = await readData(prefix);
const fit: number[] = [];
const transform: number[] = [];
let checksum = 0;
let nCols = 0;
let outputBytes = 0;
for (let r = 0; r < Number(repeatArg); r++) {
  const pre = defaultPreprocessor();
  let t0 = performance.now();
  await pre.fit(X);
  fit.push(performance.now() - t0);
  t0 = performance.now();
  const out = pre.transform(X);
  transform.push(performance.now() - t0);
  // Σ cell · (1 + (row mod 7) / 7) over every output cell, to check both tools computed the same thing.
  checksum = 0;
  const arrays = new Set<ArrayBufferView>();
  for (const f of out.features) {
    if (f.kind === "numeric") {
      for (let i = 0; i < f.values.length; i++) checksum += f.values[i] * (1 + (i % 7) / 7);
      arrays.add(f.values);
    } else if (f.kind === "indicator") {
      for (let i = 0; i < f.codes.length; i++) if (f.codes[i] === f.level) checksum += 1 + (i % 7) / 7;
      arrays.add(f.codes);
    }
  }
  outputBytes = [...arrays].reduce((a, b) => a + b.byteLength, 0);
  nCols = out.nCols;
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(
  JSON.stringify({
    tool: "trainyard defaultPreprocessor",
    fitMs: median(fit),
    transformMs: median(transform),
    nCols,
    checksum,
    outputBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
