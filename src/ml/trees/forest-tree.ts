import { Random } from "../../data/random.js";
import { InputError } from "../errors.js";
import type { Label } from "../target.js";
import type { TreeLearner } from "./learner.js";
import type { ClassWeight } from "./params.js";
import { packTree, type TreeNodes } from "./tree.js";

/** Everything one random-forest tree needs besides its seed (built on the main thread or in a worker). */
export interface ForestTreeContext {
  readonly learner: TreeLearner;
  /** The learner's per-row statistics (nRows × channels). */
  readonly stats: Float64Array;
  readonly channels: number;
  readonly sums: number;
  /** Number of classes (0: regression). */
  readonly nClasses: number;
  readonly codes: Int32Array | null;
  readonly y: Float64Array | null;
  readonly sampleWeight: Float64Array | null;
  /** Per-class weights (null: none, or recomputed per tree for "balanced_subsample"). */
  readonly classWeight: Float64Array | null;
  readonly balancedSubsample: boolean;
  readonly bootstrap: boolean;
  readonly maxDepth: number | null;
  readonly minSamplesLeaf: number;
  readonly minSamplesSplit: number;
  readonly minImpurityDecrease: number;
  readonly mtry: number;
  readonly features: Int32Array;
}

export interface ForestTreeResult {
  readonly tree: TreeNodes;
  /** Leaf values: class probabilities (nClasses per leaf) or the mean target. */
  readonly values: Float64Array;
  /** Rows the tree did not see (bootstrap only, when asked for). */
  readonly outOfBag: Int32Array | null;
}

/** Class weights: "balanced" (n / (K · weight of the class)), a map by label, or none. */
export function classWeights(
  cw: ClassWeight,
  codes: Int32Array,
  rowWeight: ArrayLike<number> | null,
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
 * Grows one tree of a random forest from its seed alone: the bootstrap sample, the per-split
 * feature draws and so the tree depend on nothing else, whichever thread grows it.
 */
export function growForestTree(c: ForestTreeContext, seed: number, wantOutOfBag: boolean): ForestTreeResult {
  const { stats, channels: C, sums, codes, y, sampleWeight: sw } = c;
  const n = c.stats.length / C;
  const K = c.nClasses;
  const cls = K > 0;
  const rng = new Random(seed);
  const counts = new Int32Array(n).fill(c.bootstrap ? 0 : 1);
  if (c.bootstrap) for (let i = 0; i < n; i++) counts[rng.int(n)]++;
  let cw = c.classWeight;
  if (cls && c.balancedSubsample) {
    const bw = new Float64Array(n);
    for (let i = 0; i < n; i++) bw[i] = counts[i] * (sw ? sw[i] : 1);
    cw = classWeights(
      "balanced",
      codes as Int32Array,
      bw,
      Array.from({ length: K }, (_, k) => k),
    );
  }
  const weight = new Float64Array(n);
  let nRows = 0;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    let w = counts[i] * (sw ? sw[i] : 1);
    if (cw) w *= cw[(codes as Int32Array)[i]];
    weight[i] = w;
    totalWeight += w;
    if (w > 0) nRows++;
  }
  const rows = new Uint32Array(nRows);
  for (let i = 0, k = 0; i < n; i++) if (weight[i] > 0) rows[k++] = i;
  for (let k = 0; k < nRows; k++) {
    const i = rows[k];
    const w = weight[i];
    const s = i * C;
    if (codes) {
      for (let ch = 0; ch < sums; ch++) stats[s + ch] = 0;
      if (codes[i] < sums && K > 1) stats[s + codes[i]] = w;
      stats[s + sums] = w;
    } else {
      stats[s] = w * (y as Float64Array)[i];
      stats[s + 1] = w;
    }
  }
  const tree = c.learner.grow({
    maxLeaves: Number.POSITIVE_INFINITY,
    maxDepth: c.maxDepth ?? Number.POSITIVE_INFINITY,
    minLeafCount: c.minSamplesLeaf,
    minLeafWeight: 0,
    minSplitCount: c.minSamplesSplit,
    // The learner's gain is the weighted impurity decrease (Gini: Σ over classes of S²/W terms;
    // squared error: S²/W), with a binary target's second class left out, which halves it.
    minGain: c.minImpurityDecrease * totalWeight * (cls && sums === 1 ? 0.5 : 1),
    lambda: 0,
    features: c.features,
    mtry: c.mtry,
    rng,
    catSmooth: 0,
    maxCatThreshold: 32,
    maxCatOneHot: 4,
    classIndicators: cls,
    keepGoLeft: false,
    rows,
  });
  const width = cls ? K : 1;
  const nLeaves = tree.leafStart.length;
  const values = new Float64Array(nLeaves * width);
  for (let l = 0; l < nLeaves; l++) {
    const tot = tree.leafTotals[l];
    const w = tot[sums];
    if (!cls) values[l] = w > 0 ? tot[0] / w : 0;
    else if (K === 1) values[l] = 1;
    else {
      let rest = 1;
      for (let k = 0; k < K - 1; k++) {
        const p = w > 0 ? tot[k] / w : 0;
        values[l * K + k] = p;
        rest -= p;
      }
      values[l * K + K - 1] = Math.max(0, rest);
    }
  }
  let outOfBag: Int32Array | null = null;
  if (wantOutOfBag && c.bootstrap) {
    let m = 0;
    for (let i = 0; i < n; i++) if (counts[i] === 0) m++;
    outOfBag = new Int32Array(m);
    for (let i = 0, k = 0; i < n; i++) if (counts[i] === 0) outOfBag[k++] = i;
  }
  // Only what the forest keeps, as typed arrays, travels back from a worker.
  return { tree: packTree(tree), values, outOfBag };
}
