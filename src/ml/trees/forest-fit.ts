import { Random } from "../../data/random.js";
import { InputError } from "../errors.js";
import { type FitOptions, throwIfAborted } from "../estimator.js";
import type { Features } from "../features.js";
import type { Label } from "../target.js";
import { type BinnedInput, binInput, channelsFor, checkWeights, yieldToEventLoop } from "./data.js";
import { type Forest, ForestBuilder, predictColumns } from "./forest.js";
import type { TreeLearner } from "./learner.js";
import type { TreeFit } from "./model.js";
import { type ClassWeight, type MaxFeatures, resolveMaxFeatures } from "./params.js";

/** What random forests and decision trees share. */
export interface ForestConfig {
  readonly nEstimators: number;
  readonly maxDepth: number | null;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
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

function classWeights(
  cw: ClassWeight,
  codes: Int32Array,
  rowWeight: Float64Array | null,
  classes: readonly Label[],
): Float64Array {
  const K = classes.length;
  const out = new Float64Array(K).fill(1);
  if (cw === null) return out;
  if (cw === "balanced" || cw === "balanced_subsample") {
    const counts = new Float64Array(K);
    let n = 0;
    for (let i = 0; i < codes.length; i++) {
      const w = rowWeight ? rowWeight[i] : 1;
      counts[codes[i]] += w;
      n += w;
    }
    for (let k = 0; k < K; k++) out[k] = counts[k] > 0 ? n / (K * counts[k]) : 0;
    return out;
  }
  const known = new Set(classes.map(String));
  for (const key of Object.keys(cw)) {
    if (!known.has(key))
      throw new InputError(`classWeight names class "${key}", which is not in y`, "classWeight");
  }
  classes.forEach((c, k) => {
    const w = cw[String(c)];
    if (w !== undefined) out[k] = w;
  });
  return out;
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
  const sums = data.sums;
  const C = data.channels;
  const n = X.nRows;
  const F = X.nCols;
  const sw = checkWeights(options.sampleWeight, n);
  const codes = cls ? target.codes : null;
  const y = cls ? null : target.y;
  const baseCw = cls ? classWeights(cfg.classWeight, codes as Int32Array, sw, target.classes) : null;
  const stats = data.arena.f64(data.statsPtr, n * C);
  const master = new Random(cfg.randomState);
  const leafWidth = cls ? K : 1;
  const builder = new ForestBuilder(leafWidth, leafWidth);
  const gain = new Float64Array(F);
  const splits = new Float64Array(F);
  const mtry = resolveMaxFeatures(cfg.maxFeatures, F);
  const allFeatures = Int32Array.from({ length: F }, (_, j) => j);
  const counts = new Int32Array(n);
  const weight = new Float64Array(n);
  const oob = cfg.oobScore && cfg.bootstrap ? new Float64Array(n * leafWidth) : null;
  const oobHits = oob ? new Int32Array(n) : null;
  const oobTrees: { tree: number; rows: Int32Array }[] = [];
  for (let t = 0; t < cfg.nEstimators; t++) {
    throwIfAborted(options.signal);
    const rng = new Random(master.nextU32());
    counts.fill(cfg.bootstrap ? 0 : 1);
    if (cfg.bootstrap) for (let i = 0; i < n; i++) counts[rng.int(n)]++;
    let cw = baseCw;
    if (cls && cfg.classWeight === "balanced_subsample") {
      const bw = new Float64Array(n);
      for (let i = 0; i < n; i++) bw[i] = counts[i] * (sw ? sw[i] : 1);
      cw = classWeights("balanced", codes as Int32Array, bw, target.classes);
    }
    let nRows = 0;
    for (let i = 0; i < n; i++) {
      let w = counts[i] * (sw ? sw[i] : 1);
      if (cw) w *= cw[(codes as Int32Array)[i]];
      weight[i] = w;
      if (w > 0) nRows++;
    }
    const rows = new Uint32Array(nRows);
    for (let i = 0, k = 0; i < n; i++) if (weight[i] > 0) rows[k++] = i;
    for (let k = 0; k < nRows; k++) {
      const i = rows[k];
      const w = weight[i];
      const s = i * C;
      if (codes) {
        for (let c = 0; c < sums; c++) stats[s + c] = 0;
        if (codes[i] < sums && K > 1) stats[s + codes[i]] = w;
        stats[s + sums] = w;
      } else {
        stats[s] = w * (y as Float64Array)[i];
        stats[s + 1] = w;
      }
    }
    const tree = learner.grow({
      maxLeaves: Number.POSITIVE_INFINITY,
      maxDepth: cfg.maxDepth ?? Number.POSITIVE_INFINITY,
      minLeafCount: cfg.minSamplesLeaf,
      minLeafWeight: 0,
      minSplitCount: cfg.minSamplesSplit,
      minGain: 0,
      lambda: 0,
      features: allFeatures,
      mtry,
      rng,
      catSmooth: 0,
      maxCatThreshold: 32,
      maxCatOneHot: 4,
      classIndicators: cls,
      keepGoLeft: false,
      rows,
    });
    tree.goLeft = [];
    const nLeaves = tree.leafStart.length;
    const values = new Float64Array(nLeaves * leafWidth);
    for (let l = 0; l < nLeaves; l++) {
      const tot = tree.leafTotals[l];
      const w = tot[sums];
      if (!cls) values[l] = w > 0 ? tot[0] / w : 0;
      else if (K === 1) values[l] = 1;
      else {
        let rest = 1;
        for (let c = 0; c < K - 1; c++) {
          const p = w > 0 ? tot[c] / w : 0;
          values[l * K + c] = p;
          rest -= p;
        }
        values[l * K + K - 1] = Math.max(0, rest);
      }
    }
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
    if (oob) {
      const out: number[] = [];
      for (let i = 0; i < n; i++) if (counts[i] === 0) out.push(i);
      oobTrees.push({ tree: t, rows: Int32Array.from(out) });
    }
    options.onProgress?.({
      done: t + 1,
      total: cfg.nEstimators,
      message: `tree ${t + 1}/${cfg.nEstimators}`,
    });
    if ((t & 3) === 3) await yieldToEventLoop();
  }
  const forest = builder.finish();
  let oobScore: number | null = null;
  if (oob && oobHits)
    oobScore = outOfBag(forest, predictColumns(X), oobTrees, oob, oobHits, target, leafWidth);
  return { spec: input.spec, forest, gain, splits, oobScore };
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
