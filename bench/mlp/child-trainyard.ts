// Child process: trainyard's MLPClassifier on the benchmark data; prints one JSON line.
//   tsx bench/mlp/child-trainyard.ts <data file> <webassembly|typescript>

import { readFileSync } from "node:fs";
import type { Feature } from "../../src/ml/features.js";
import { FeatureMatrix } from "../../src/ml/features.js";
import { useMatrixBackend } from "../../src/ml/neural/backend.js";
import { MLPClassifier, type MLPParams } from "../../src/ml/neural/index.js";
import { MLP_FEATURES } from "./generate.js";

const [path, backend = "webassembly"] = process.argv.slice(2);
if (backend !== "webassembly" && backend !== "typescript") throw new Error(`unknown backend ${backend}`);
useMatrixBackend(backend);
const config = JSON.parse(
  readFileSync(new URL("./config.json", import.meta.url), "utf8"),
) as Partial<MLPParams>;
const buf = readFileSync(path);
const all = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
const rows = all.length / (MLP_FEATURES + 1);
// Column-major features, as a table read from a file would give them.
const features: Feature[] = Array.from({ length: MLP_FEATURES }, (_, j) => {
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = all[i * MLP_FEATURES + j];
  return { kind: "numeric", name: `f${j}`, values };
});
const X = new FeatureMatrix(features, rows);
const y = Array.from(all.subarray(rows * MLP_FEATURES), (v) => v);
const t0 = performance.now();
const model = await new MLPClassifier(config).fit(X, y);
const fitMs = performance.now() - t0;
const pred = model.predict(X);
let hits = 0;
pred.forEach((p, i) => {
  if (p === y[i]) hits++;
});
console.log(
  JSON.stringify({
    tool: `trainyard (${backend})`,
    fitMs,
    nIter: model.nIter,
    msPerEpoch: fitMs / model.nIter,
    finalLoss: model.lossCurve[model.lossCurve.length - 1],
    trainAccuracy: hits / rows,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
