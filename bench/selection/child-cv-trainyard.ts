// Child process: 5-fold cross-validation of imputer + one-hot + scaler + LogisticRegression on
// bench/data/cv-100k.csv with trainyard; prints one JSON line.
//   node --import tsx bench/selection/child-cv-trainyard.ts <csv> [nJobs]

import { readCsv } from "../../src/data/csv/read.js";
import { LogisticRegression } from "../../src/ml/linear/index.js";
import { Pipeline } from "../../src/ml/pipeline/index.js";
import { defaultPreprocessor } from "../../src/ml/preprocessing/index.js";
import { crossValidate } from "../../src/ml/selection/cross-validate.js";

const [path, jobs] = process.argv.slice(2);
const nJobs = jobs === undefined ? 2 : Number(jobs);
const t0 = performance.now();
const table = await readCsv(path);
const X = table.drop(["label"]);
const y = table.column("label");
const readMs = performance.now() - t0;
const pipe = new Pipeline([
  ["prep", defaultPreprocessor()],
  ["model", new LogisticRegression()],
]);
const t1 = performance.now();
const r = await crossValidate(pipe, X, y, { cv: 5, scoring: ["accuracy", "roc_auc"], nJobs });
const ms = performance.now() - t1;
console.log(
  JSON.stringify({
    tool: `trainyard crossValidate (nJobs ${nJobs})`,
    ms,
    readMs,
    accuracy: r.test.accuracy.mean,
    rocAuc: r.test.roc_auc.mean,
    foldAuc: r.test.roc_auc.values,
    fitMsMean: r.fitMs.mean,
    warnings: [...new Set(r.folds.flatMap((f) => f.warnings))],
  }),
);
