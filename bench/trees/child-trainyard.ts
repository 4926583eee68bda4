// Child process: one trainyard tree estimator on the tree-benchmark data; prints one JSON line.
//
//   tsx child-trainyard.ts gbdt <prefix>                 GradientBoostingClassifier, + predict speed
//   tsx child-trainyard.ts gbdt-reg <prefix>             GradientBoostingRegressor
//   tsx child-trainyard.ts rf <prefix> <trainRows> [params JSON]     RandomForestClassifier, 100 trees
//   tsx child-trainyard.ts tree <prefix> <trainRows> [params JSON]   DecisionTreeClassifier
//
// Fit time covers everything from the feature matrix on (binning included). Peak RSS is
// measured right after the fit, before the prediction benchmarks allocate their outputs.

import {
  DecisionTreeClassifier,
  FeatureMatrix,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
} from "../../src/ml/index.js";
import { choice } from "../../src/ml/selection/search-space.js";
import { GridSearch } from "../../src/ml/selection/searches.js";
import { accuracy, auc, maxRssBytes, r2, readInfo, readRows } from "./data.js";

const [mode, prefix, rowsArg, extraArg] = process.argv.slice(2);
/** Settings tried for `{"tune": true}` (see tuned()). */
const RF_GRID = [1, 5, 10].flatMap((minSamplesLeaf) =>
  (["sqrt", 0.5] as const).map((maxFeatures) => ({ maxFeatures, minSamplesLeaf })),
);
const TREE_SPACE = {
  minImpurityDecrease: choice([0, 0.001, 0.002, 0.004]),
  minSamplesLeaf: choice([1, 20, 100]),
};
/** Extra params (JSON) for rf/tree, e.g. '{"maxDepth":8}'. */
const extra: Record<string, unknown> = extraArg ? JSON.parse(extraArg) : {};
const info = readInfo(prefix);
const trainRows = rowsArg === undefined ? info.trainRows : Number(rowsArg);
const nThreads = Number(process.env.TRAINYARD_BENCH_THREADS ?? 2);
const train = readRows(prefix, 0, trainRows);
const test = readRows(prefix, info.trainRows, info.rows);
const rssLoadedBytes = maxRssBytes();
const NAMES: Record<string, string> = {
  gbdt: "trainyard GradientBoostingClassifier",
  "gbdt-reg": "trainyard GradientBoostingRegressor",
  rf: "trainyard RandomForestClassifier",
  tree: "trainyard DecisionTreeClassifier",
};
const out: Record<string, unknown> = {
  tool: mode,
  name: NAMES[mode],
  trainRows,
  testRows: test.X.nRows,
  nThreads,
};

/** Class-1 probabilities of a binary classifier. */
const positive = (proba: Float64Array): Float64Array => {
  const p = new Float64Array(proba.length / 2);
  for (let i = 0; i < p.length; i++) p[i] = proba[2 * i + 1];
  return p;
};
const labels = (y: Float64Array): number[] => Array.from(y);

type Latency = { p50: number; p99: number };

/** p50/p99 in µs of `once(i)` over 20,000 calls (the first 2,000 are warm-up). */
function latency(once: (i: number) => void): Latency {
  const lat: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const t0 = process.hrtime.bigint();
    once(i % test.X.nRows);
    lat.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const s = lat.slice(2000).sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)], p99: s[Math.floor(s.length * 0.99)] };
}

const testCols = test.X.features.map((f) => (f.kind === "numeric" ? f.values : new Float64Array(0)));

/**
 * Single-row prediction two ways: the serving path (`predictProbaRow`: a reused row buffer and
 * output, no allocation) and the general API (`predictProba` on a one-row FeatureMatrix whose
 * columns are refilled; includes aligning the input to the fitted spec).
 */
function singleRow(model: {
  predictProbaRow(row: ArrayLike<number>, out: Float64Array): Float64Array;
  predictProba(X: FeatureMatrix): Float64Array;
}): { singleRowUs: Latency; singleRowMatrixUs: Latency } {
  const row = new Float64Array(testCols.length);
  const out = new Float64Array(2);
  const singleRowUs = latency((i) => {
    for (let j = 0; j < row.length; j++) row[j] = testCols[j][i];
    model.predictProbaRow(row, out);
  });
  const cols = testCols.map(() => new Float64Array(1));
  const one = new FeatureMatrix(
    cols.map((values, j) => ({ kind: "numeric" as const, name: info.names[j], values })),
    1,
  );
  const singleRowMatrixUs = latency((i) => {
    for (let j = 0; j < cols.length; j++) cols[j][0] = testCols[j][i];
    model.predictProba(one);
  });
  return { singleRowUs, singleRowMatrixUs };
}

if (mode === "gbdt") {
  const model = new GradientBoostingClassifier({
    nEstimators: 100,
    learningRate: 0.1,
    numLeaves: 31,
    maxBins: 255,
    l2: 1, // XGBoost's default lambda
    nThreads,
    randomState: 0,
  });
  const t0 = performance.now();
  await model.fit(train.X, labels(train.y));
  out.fitMs = performance.now() - t0;
  out.rssAfterFitBytes = maxRssBytes();
  const p = positive(model.predictProba(test.X));
  out.auc = auc(test.y, p);
  out.accuracy = accuracy(test.y, p);
  // Batch prediction over all rows (train + test = every row of the set); best of 3.
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t1 = performance.now();
    model.predictProba(train.X);
    model.predictProba(test.X);
    times.push(performance.now() - t1);
  }
  out.predictMs = Math.min(...times);
  out.predictRows = trainRows + test.X.nRows;
  Object.assign(out, singleRow(model));
} else if (mode === "gbdt-reg") {
  const model = new GradientBoostingRegressor({
    nEstimators: 100,
    learningRate: 0.1,
    numLeaves: 31,
    maxBins: 255,
    l2: 1,
    nThreads,
    randomState: 0,
  });
  const t0 = performance.now();
  await model.fit(train.X, train.y);
  out.fitMs = performance.now() - t0;
  out.rssAfterFitBytes = maxRssBytes();
  out.r2 = r2(test.y, model.predict(test.X));
} else if (mode === "rf" || mode === "tree") {
  const { tune, ...params } = extra;
  const make = (p: object) =>
    mode === "rf"
      ? new RandomForestClassifier({ nEstimators: 100, nThreads, randomState: 0, ...params, ...p })
      : new DecisionTreeClassifier({ randomState: 0, ...params, ...p });
  out.params = extra;
  const t0 = performance.now();
  const model = tune ? await tuned(mode, make) : await make({}).fit(train.X, labels(train.y));
  out.fitMs = performance.now() - t0;
  out.rssAfterFitBytes = maxRssBytes();
  const p = positive(model.predictProba(test.X));
  out.auc = auc(test.y, p);
  out.accuracy = accuracy(test.y, p);
  if (mode === "rf") Object.assign(out, singleRow(model));
} else {
  throw new Error(`unknown mode ${mode}`);
}
out.rssLoadedBytes = rssLoadedBytes;
out.maxRssBytes = maxRssBytes();
console.log(JSON.stringify(out));

/**
 * Settings chosen on the training rows alone (the time is part of the fit): the forest by its
 * out-of-bag accuracy over RF_GRID (300 trees each; the best forest is the model), the tree by
 * 5-fold cross-validated accuracy over TREE_SPACE, refitted on all training rows.
 */
async function tuned(
  kind: "rf" | "tree",
  make: (p: object) => RandomForestClassifier | DecisionTreeClassifier,
): Promise<RandomForestClassifier | DecisionTreeClassifier> {
  const y = labels(train.y);
  if (kind === "tree") {
    const search = new GridSearch(make({}), TREE_SPACE, { cv: 5, seed: 0 });
    const r = await search.fit(train.X, y);
    out.chosen = r.bestParams;
    return r.bestEstimator as DecisionTreeClassifier;
  }
  let best: RandomForestClassifier | null = null;
  let bestOob = Number.NEGATIVE_INFINITY;
  const tried: unknown[] = [];
  for (const p of RF_GRID) {
    const m = (await make({ nEstimators: 300, oobScore: true, ...p }).fit(
      train.X,
      y,
    )) as RandomForestClassifier;
    const oob = m.oobScore ?? Number.NEGATIVE_INFINITY;
    tried.push({ ...p, oob });
    if (oob > bestOob) {
      best = m;
      bestOob = oob;
      out.chosen = p;
    }
  }
  out.tried = tried;
  return best as RandomForestClassifier;
}
