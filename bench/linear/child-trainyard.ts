// Fits trainyard's LogisticRegression (lbfgs, C = 1) on the benchmark files and prints one JSON
// line: fit time (the fit call only), mean training log loss, iterations, peak RSS.
//   node --import tsx bench/linear/child-trainyard.ts <base> <rows> <tol> [nJobs]

import { readFileSync } from "node:fs";
import { FeatureMatrix } from "../../src/ml/features.js";
import { LogisticRegression } from "../../src/ml/linear/index.js";
import { LOGISTIC_FEATURES } from "./generate.js";

const [base, rowsArg, tolArg, jobsArg] = process.argv.slice(2);
const nJobs = jobsArg === undefined ? null : Number(jobsArg);
const rows = Number(rowsArg);
const d = LOGISTIC_FEATURES;
const xb = readFileSync(`${base}.x.f64`);
const Xr = new Float64Array(xb.buffer, xb.byteOffset, rows * d);
const y = Array.from(readFileSync(`${base}.y.u8`).subarray(0, rows), Number);
const features = Array.from({ length: d }, (_, j) => {
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = Xr[i * d + j];
  return { kind: "numeric" as const, name: `f${j}`, values };
});
const X = new FeatureMatrix(features, rows);

const model = new LogisticRegression({ tol: Number(tolArg), maxIter: 1000, nJobs });
const t0 = performance.now();
await model.fit(X, y);
const ms = performance.now() - t0;
const p = model.predictProba(X);
let loss = 0;
for (let i = 0; i < rows; i++) loss -= Math.log(Math.max(p[2 * i + y[i]], 1e-300));
console.log(
  JSON.stringify({
    tool: `trainyard LogisticRegression (L-BFGS, ${nJobs === 1 ? "1 thread" : "all cores"})`,
    ms,
    logLoss: loss / rows,
    nIter: model.nIter,
    warnings: model.warnings,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
// The worker pool does not keep the process alive, but exit promptly anyway.
process.exit(0);
