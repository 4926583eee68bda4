// Child process: a JavaScript library a TypeScript user might pick today, on the first
// `trainRows` training rows; scored on the whole test set. Prints one JSON line.
//
//   tsx child-mljs.ts <ml-random-forest|ml-cart> <prefix> <trainRows>

import { readFileSync } from "node:fs";
import { DecisionTreeClassifier } from "ml-cart";
import { RandomForestClassifier } from "ml-random-forest";
import { accuracy, auc, maxRssBytes, readInfo, readRows } from "./data.js";

const [lib, prefix, rowsArg] = process.argv.slice(2);
const info = readInfo(prefix);
const trainRows = Number(rowsArg);
const toRows = (cols: readonly Float64Array[], n: number): number[][] =>
  Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
const numeric = (s: ReturnType<typeof readRows>) =>
  s.X.features.map((f) => (f.kind === "numeric" ? f.values : new Float64Array(0)));

const train = readRows(prefix, 0, trainRows);
const test = readRows(prefix, info.trainRows, info.rows);
const xTrain = toRows(numeric(train), trainRows);
const yTrain = Array.from(train.y);
const xTest = toRows(numeric(test), test.X.nRows);

interface Model {
  train(x: number[][], y: number[]): void;
  predict(x: number[][]): number[];
  predictProbability?(x: number[][], label: number): number[];
}
const model: Model =
  lib === "ml-random-forest"
    ? // 100 trees like the other forests; out-of-bag scoring off so that only the fit is timed.
      new RandomForestClassifier({ nEstimators: 100, seed: 42, noOOB: true })
    : new DecisionTreeClassifier({});
const t0 = performance.now();
model.train(xTrain, yTrain);
const fitMs = performance.now() - t0;
const pred = model.predict(xTest);
const score = model.predictProbability ? model.predictProbability(xTest, 1) : pred;
console.log(
  JSON.stringify({
    tool: lib,
    name: `${lib} ${JSON.parse(readFileSync(new URL(`../../node_modules/${lib}/package.json`, import.meta.url), "utf8")).version}`,
    trainRows,
    testRows: test.X.nRows,
    fitMs,
    accuracy: accuracy(test.y, pred),
    auc: auc(test.y, score),
    maxRssBytes: maxRssBytes(),
  }),
);
