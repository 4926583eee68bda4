import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { Random } from "../../data/random.js";
import { kernelModule } from "../../kernels/loader.js";
import { InputError } from "../errors.js";
import { type FitOptions, throwIfAborted } from "../estimator.js";
import type { Features } from "../features.js";
import type { Label } from "../target.js";
import { type BinnedInput, binInput, channelsFor, checkWeights, yieldToEventLoop } from "./data.js";
import { type Forest, ForestBuilder, predictColumns } from "./forest.js";
import {
  classWeights,
  type ForestTreeContext,
  type ForestTreeResult,
  growForestTree,
} from "./forest-tree.js";
import type { ForestWorkerData } from "./forest-worker.js";
import type { TreeLearner } from "./learner.js";
import type { TreeFit } from "./model.js";
import { type ClassWeight, type MaxFeatures, resolveMaxFeatures } from "./params.js";

/** What random forests and decision trees share. */
export interface ForestConfig {
  readonly nEstimators: number;
  readonly maxDepth: number | null;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** A split must decrease the weighted impurity by this share of the tree's total weight (scikit-learn's rule). */
  readonly minImpurityDecrease: number;
  readonly maxFeatures: MaxFeatures;
  readonly bootstrap: boolean;
  readonly classWeight: ClassWeight;
  readonly oobScore: boolean;
  readonly maxBins: number;
  readonly randomState: number;
  readonly nThreads: number | null;
}

/** Classification: class codes and classes; regression: the target values. */
export type ForestTarget =
  | { readonly kind: "classification"; readonly codes: Int32Array; readonly classes: readonly Label[] }
  | { readonly kind: "regression"; readonly y: Float64Array };

export interface ForestResult extends TreeFit {
  readonly oobScore: number | null;
}

/**
 * Fits `nEstimators` histogram trees, each on a bootstrap sample (or all rows) with
 * `maxFeatures` features drawn per split: a random forest, or one decision tree. Gini
 * impurity is the variance of the one-hot class indicators, so classification trees are
 * grown on per-class weight sums with the same gain as regression trees.
 */
export async function fitForest(
  Xin: Features,
  target: ForestTarget,
  cfg: ForestConfig,
  options: FitOptions,
): Promise<ForestResult> {
  const cls = target.kind === "classification";
  const K = cls ? target.classes.length : 1;
  const sums = cls ? Math.max(1, K - 1) : 1;
  const C = channelsFor(sums);
  const input = binInput(Xin, {
    maxBins: cfg.maxBins,
    seed: cfg.randomState,
    channels: C,
    sums,
    nThreads: cfg.nThreads,
    // Per-split feature draws build each node's histogram anew; all features: subtraction, depth-first.
    maxHeld: 32,
    // Trees grow on worker threads when there is enough work to pay for starting them.
    treeWorkers: cfg.nEstimators > 1 && Xin.nRows * cfg.nEstimators >= 1_000_000,
  });
  const { X } = input;
  const n = X.nRows;
  const yn = cls ? target.codes.length : target.y.length;
  if (yn !== n) throw new InputError(`y has ${yn} rows, X has ${n}`, "y");
  checkWeights(options.sampleWeight, n);
  const pool = input.pool;
  try {
    return await grow(input, target, cfg, options, input.learner);
  } finally {
    pool?.close();
  }
}

async function grow(
  input: BinnedInput,
  target: ForestTarget,
  cfg: ForestConfig,
  options: FitOptions,
  learner: TreeLearner,
): Promise<ForestResult> {
  const { X, data } = input;
  const cls = target.kind === "classification";
  const K = cls ? target.classes.length : 1;
  const n = X.nRows;
  const F = X.nCols;
  const sw = checkWeights(options.sampleWeight, n);
  const codes = cls ? target.codes : null;
  const context: Omit<ForestTreeContext, "learner" | "stats"> = {
    channels: data.channels,
    sums: data.sums,
    nClasses: cls ? K : 0,
    codes,
    y: cls ? null : target.y,
    sampleWeight: sw,
    classWeight: cls ? classWeights(cfg.classWeight, codes as Int32Array, sw, target.classes) : null,
    balancedSubsample: cls && cfg.classWeight === "balanced_subsample",
    bootstrap: cfg.bootstrap,
    maxDepth: cfg.maxDepth,
    minSamplesLeaf: cfg.minSamplesLeaf,
    minSamplesSplit: cfg.minSamplesSplit,
    minImpurityDecrease: cfg.minImpurityDecrease,
    mtry: resolveMaxFeatures(cfg.maxFeatures, F),
    features: Int32Array.from({ length: F }, (_, j) => j),
  };
  const master = new Random(cfg.randomState);
  const seeds = Array.from({ length: cfg.nEstimators }, () => master.nextU32());
  const wantOob = cfg.oobScore && cfg.bootstrap;
  const results: ForestTreeResult[] = new Array(cfg.nEstimators);
  let done = 0;
  const finished = (i: number, r: ForestTreeResult) => {
    results[i] = r;
    done++;
    options.onProgress?.({ done, total: cfg.nEstimators, message: `tree ${done}/${cfg.nEstimators}` });
  };
  const mainContext: ForestTreeContext = {
    ...context,
    learner,
    stats: data.arena.f64(data.statsPtr, n * data.channels),
  };
  let next = 0;
  if (input.treeRegions.length > 0) {
    next = await growOnWorkers(input, context, seeds, wantOob, options, finished);
  }
  // Whatever the workers did not grow (all of it on one thread) grows here.
  for (let t = 0; t < cfg.nEstimators; t++) {
    if (results[t]) continue;
    throwIfAborted(options.signal);
    finished(t, growForestTree(mainContext, seeds[t], wantOob));
    if ((++next & 3) === 3) await yieldToEventLoop();
  }
  const leafWidth = cls ? K : 1;
  const builder = new ForestBuilder(leafWidth, leafWidth);
  const gain = new Float64Array(F);
  const splits = new Float64Array(F);
  for (const { tree, values } of results) {
    builder.add(tree, values);
    // Importance as scikit-learn: impurity decrease per tree, normalized, then averaged.
    let treeTotal = 0;
    for (let i = 0; i < tree.feature.length; i++) if (tree.feature[i] >= 0) treeTotal += tree.gain[i];
    for (let i = 0; i < tree.feature.length; i++) {
      const f = tree.feature[i];
      if (f < 0) continue;
      splits[f]++;
      if (treeTotal > 0) gain[f] += tree.gain[i] / treeTotal;
    }
  }
  const forest = builder.finish();
  let oobScore: number | null = null;
  if (wantOob) {
    const trees = results.map((r, tree) => ({ tree, rows: r.outOfBag as Int32Array }));
    oobScore = outOfBag(
      forest,
      predictColumns(X),
      trees,
      new Float64Array(n * leafWidth),
      new Int32Array(n),
      target,
      leafWidth,
    );
  }
  return { spec: input.spec, forest, gain, splits, oobScore };
}

/**
 * Grows trees on worker threads, each in its own region of the fit's memory, handing out tree
 * indices as workers finish. Returns how many were handed out; on a worker failure the
 * trees it did not return are left for the main thread.
 */
async function growOnWorkers(
  input: BinnedInput,
  context: Omit<ForestTreeContext, "learner" | "stats">,
  seeds: number[],
  wantOob: boolean,
  options: FitOptions,
  finished: (i: number, r: ForestTreeResult) => void,
): Promise<number> {
  const { data } = input;
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve) => {
      let running = 0;
      const handOut = (w: Worker) => {
        if (next >= seeds.length || options.signal?.aborted) {
          w.postMessage(null);
          if (--running === 0) resolve();
          return;
        }
        const index = next++;
        w.postMessage({ index, seed: seeds[index] });
      };
      for (const region of input.treeRegions) {
        const workerData: ForestWorkerData = {
          memory: data.arena.memory,
          module: kernelModule(),
          start: region.start,
          end: region.end,
          nRows: data.nRows,
          nFeat: data.nFeat,
          binsPtr: data.binsPtr,
          colsPtr: data.colsPtr,
          bins: [...data.bins],
          channels: data.channels,
          sums: data.sums,
          context,
          outOfBag: wantOob,
        };
        const w = startForestWorker(workerData);
        workers.push(w);
        running++;
        let failed = false;
        w.on("message", (m: ForestTreeResult & { index: number }) => {
          finished(m.index, m);
          handOut(w);
        });
        w.on("error", () => {
          if (failed) return;
          failed = true;
          if (--running === 0) resolve();
        });
        handOut(w);
      }
    });
  } finally {
    for (const w of workers) void w.terminate();
  }
  return next;
}

/** A forest worker; under a TypeScript runner (tests, tsx) it registers tsx before loading. */
function startForestWorker(data: ForestWorkerData): Worker {
  const self = import.meta.url;
  const workerData = { forestWorker: data };
  if (!self.endsWith(".ts")) return new Worker(new URL("./forest-worker.js", self), { workerData });
  const api = pathToFileURL(
    createRequire(self)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const target = new URL("./forest-worker.ts", self).href;
  const source = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(target)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), { workerData });
}

/** Accuracy (classification) or R² (regression) of each row's prediction by the trees that did not see it. */
function outOfBag(
  forest: Forest,
  cols: Float64Array[],
  trees: { tree: number; rows: Int32Array }[],
  sum: Float64Array,
  hits: Int32Array,
  target: ForestTarget,
  lw: number,
): number | null {
  const vals = forest.a.leafValues;
  for (const { tree, rows } of trees) {
    for (const r of rows) {
      const l = forest.leaf(tree, cols, r) * lw;
      for (let k = 0; k < lw; k++) sum[r * lw + k] += vals[l + k];
      hits[r]++;
    }
  }
  let used = 0;
  if (target.kind === "classification") {
    let right = 0;
    for (let i = 0; i < hits.length; i++) {
      if (hits[i] === 0) continue;
      used++;
      let best = 0;
      for (let k = 1; k < lw; k++) if (sum[i * lw + k] > sum[i * lw + best]) best = k;
      if (best === target.codes[i]) right++;
    }
    return used > 0 ? right / used : null;
  }
  let mean = 0;
  for (let i = 0; i < hits.length; i++) {
    if (hits[i] === 0) continue;
    used++;
    mean += target.y[i];
  }
  if (used === 0) return null;
  mean /= used;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < hits.length; i++) {
    if (hits[i] === 0) continue;
    const p = sum[i] / hits[i];
    ssRes += (target.y[i] - p) ** 2;
    ssTot += (target.y[i] - mean) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : null;
}
