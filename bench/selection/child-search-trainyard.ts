// Child process: a 50-trial random search over GradientBoostingClassifier (3-fold CV, ROC AUC) on
// the first 16,000 rows of bench/data/search-20k.csv with trainyard, refit included; the refitted
// best model is then scored on the last 4,000 rows. Prints one JSON line.
//   node --import tsx bench/selection/child-search-trainyard.ts <csv> [nTrials] [nJobs]

import { readCsv } from "../../src/data/csv/read.js";
import type { Classifier } from "../../src/ml/estimator.js";
import { rocAuc } from "../../src/ml/metrics/ranking.js";
import { intRange, logUniform, uniform } from "../../src/ml/selection/search-space.js";
import { RandomSearch } from "../../src/ml/selection/searches.js";
import { StratifiedKFold } from "../../src/ml/selection/stratified-kfold.js";
import { GradientBoostingClassifier } from "../../src/ml/trees/index.js";

const [path, trials, jobs] = process.argv.slice(2);
const nTrials = trials === undefined ? 50 : Number(trials);
const nJobs = jobs === undefined ? 2 : Number(jobs);
const table = await readCsv(path);
const nTrain = 16_000;
const idx = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
const train = table.take(idx(0, nTrain));
const test = table.take(idx(nTrain, table.nRows));
const X = train.drop(["label"]);
const y = train.column("label");
const space = {
  learningRate: logUniform(0.01, 0.3),
  numLeaves: intRange(8, 64),
  minChildSamples: intRange(5, 100),
  l2: uniform(0, 1),
};
const t0 = performance.now();
const r = await new RandomSearch(new GradientBoostingClassifier({ nEstimators: 100 }), space, {
  nTrials,
  cv: new StratifiedKFold({ nSplits: 3 }),
  scoring: ["roc_auc"],
  seed: 0,
  nJobs,
}).fit(X, y);
const ms = performance.now() - t0;
const best = r.bestEstimator as Classifier;
const yTest = test.column("label");
if (yTest.kind !== "numeric") throw new Error("label must be 0/1");
const yTrue = Array.from(yTest.values);
const holdoutAuc = rocAuc(yTrue, best.predictProba(test.drop(["label"])), { classes: best.classes });
console.log(
  JSON.stringify({
    tool: `trainyard RandomSearch (nJobs ${nJobs})`,
    ms,
    trials: r.trials.length,
    bestScore: r.bestScore,
    bestParams: r.bestParams,
    holdoutAuc,
    refitMs: r.refitMs,
    fitMsMean: r.trials.reduce((a, t) => a + t.fitMs, 0) / r.trials.length / 3,
  }),
);
