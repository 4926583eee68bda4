// trainyard side of the k-means benchmark: one fit, timed; prints one JSON line.
//   child-trainyard.ts FILE ROWS COLS K ALGORITHM INIT [THREADS]
//   (INIT: comma-separated row indices, or "k-means++"; THREADS: KMeans nThreads, default auto)

import { readFileSync } from "node:fs";
import { KMeans } from "../../src/ml/clustering/kmeans.js";
import { wantsHelper } from "../../src/ml/clustering/wasm.js";
import { FeatureMatrix } from "../../src/ml/features.js";

const [file, rowsArg, colsArg, kArg, algorithm, init, threadsArg] = process.argv.slice(2);
const nThreads = threadsArg === undefined ? null : Number(threadsArg);
const rows = Number(rowsArg);
const cols = Number(colsArg);
const k = Number(kArg);
if (algorithm !== "lloyd" && algorithm !== "elkan") throw new Error(`unknown algorithm ${algorithm}`);
const bytes = readFileSync(file);
const data = new Float64Array(bytes.buffer, bytes.byteOffset, rows * cols);
// The library's input: one Float64Array per feature (as readCsv gives).
const X = new FeatureMatrix(
  Array.from({ length: cols }, (_, j) => {
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) values[i] = data[i * cols + j];
    return { kind: "numeric" as const, name: `x${j}`, values };
  }),
  rows,
);
const start =
  init === "k-means++"
    ? ("k-means++" as const)
    : init.split(",").map((s) => Array.from(data.subarray(Number(s) * cols, Number(s) * cols + cols)));
// Two fits in this process: the first (cold: code compiled on the way, helper thread starting)
// and a second one (warm), each from a fresh estimator.
const times: number[] = [];
let km = new KMeans();
for (let r = 0; r < 2; r++) {
  km = new KMeans({
    nClusters: k,
    init: start,
    nInit: 1,
    maxIter: 300,
    tol: 1e-4,
    algorithm,
    randomState: 0,
    nThreads,
  });
  const t0 = performance.now();
  await km.fit(X);
  times.push(performance.now() - t0);
  await new Promise((resolve) => setTimeout(resolve, 300));
}
console.log(
  JSON.stringify({
    tool: `trainyard KMeans(${algorithm})`,
    ms: times[0],
    warmMs: times[1],
    inertia: km.inertia,
    nIter: km.nIter,
    threads: wantsHelper(rows, cols, k, km.params.nThreads) ? 2 : 1,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
