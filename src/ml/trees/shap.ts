import type { Forest } from "./forest.js";

/**
 * Exact TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2: path-dependent, polynomial time).
 * For each row it gives every feature's SHAP value for each raw output (margin for gradient
 * boosting, probability for a random forest): φ sums with the expected value to the model's
 * raw output exactly. The node "covers" the algorithm weighs the branches a row does not take
 * by come from background rows passed down the trees (nodeFractions), so the expected value is
 * the background's average raw output.
 */
export interface ShapResult {
  /** nRows × outWidth × nFeatures, row-major. */
  values: Float64Array;
  /** Per output: the expected raw output (init + the trees' background-weighted leaf averages). */
  expected: Float64Array;
  nFeatures: number;
  outWidth: number;
}

/**
 * The paths of the recursion live in one preallocated buffer (as in the reference
 * implementation): depth d's path starts at offset d(d+1)/2 and is a copy of its parent's,
 * extended by one element, so no allocation happens per node.
 */
class PathBuffer {
  readonly feat: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly w: Float64Array;

  constructor(maxDepth: number) {
    const n = ((maxDepth + 2) * (maxDepth + 3)) / 2 + 1;
    this.feat = new Int32Array(n);
    this.zero = new Float64Array(n);
    this.one = new Float64Array(n);
    this.w = new Float64Array(n);
  }

  /** Appends (feature, zero, one) at index `depth` of the path starting at `p`. */
  extend(p: number, depth: number, zero: number, one: number, feature: number): void {
    const { feat, w } = this;
    feat[p + depth] = feature;
    this.zero[p + depth] = zero;
    this.one[p + depth] = one;
    w[p + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      w[p + i + 1] += (one * w[p + i] * (i + 1)) / (depth + 1);
      w[p + i] = (zero * w[p + i] * (depth - i)) / (depth + 1);
    }
  }

  /** Removes element `k` of the path (length depth + 1) starting at `p`, undoing its extend. */
  unwind(p: number, depth: number, k: number): void {
    const { w } = this;
    const one = this.one[p + k];
    const zero = this.zero[p + k];
    let next = w[p + depth];
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const t = w[p + i];
        w[p + i] = (next * (depth + 1)) / ((i + 1) * one);
        next = t - (w[p + i] * zero * (depth - i)) / (depth + 1);
      } else {
        w[p + i] = (w[p + i] * (depth + 1)) / (zero * (depth - i));
      }
    }
    for (let i = k; i < depth; i++) {
      this.feat[p + i] = this.feat[p + i + 1];
      this.zero[p + i] = this.zero[p + i + 1];
      this.one[p + i] = this.one[p + i + 1];
    }
  }

  /** The total weight the path would have with element `k` unwound, without changing it. */
  unwoundSum(p: number, depth: number, k: number): number {
    const { w } = this;
    const one = this.one[p + k];
    const zero = this.zero[p + k];
    let next = w[p + depth];
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const t = (next * (depth + 1)) / ((i + 1) * one);
        total += t;
        next = w[p + i] - (t * zero * (depth - i)) / (depth + 1);
      } else {
        total += w[p + i] / zero / ((depth - i) / (depth + 1));
      }
    }
    return total;
  }

  /** Copies the path of length `len` at `from` to `to`. */
  copy(from: number, to: number, len: number): void {
    this.feat.copyWithin(to, from, from + len);
    this.zero.copyWithin(to, from, from + len);
    this.one.copyWithin(to, from, from + len);
    this.w.copyWithin(to, from, from + len);
  }
}

/** The depth of the deepest leaf of tree t. */
function treeDepth(forest: Forest, t: number): number {
  const a = forest.a;
  const start = a.treeStart[t];
  const depth = new Int32Array(a.treeStart[t + 1] - start);
  let max = 0;
  for (let i = start; i < a.treeStart[t + 1]; i++) {
    if (a.feature[i] < 0) continue;
    const d = depth[i - start] + 1;
    depth[a.left[i] - start] = d;
    depth[a.right[i] - start] = d;
    if (d > max) max = d;
  }
  return max;
}

function goesLeft(forest: Forest, i: number, x: number): boolean {
  const a = forest.a;
  if (Number.isNaN(x)) return a.missingLeft[i] === 1;
  const cs = a.catStart[i];
  if (cs < 0) return x <= a.threshold[i];
  if (x < 0) return a.missingLeft[i] === 1;
  return ((a.catBits[cs + (x >>> 5)] >>> (x & 31)) & 1) === 1;
}

/**
 * Per node, the share of its parent's background rows that reach it (1 for a root; ½ for each
 * child of a node no background row reaches, so every share is defined).
 */
export function nodeFractions(
  forest: Forest,
  background: readonly Float64Array[],
  nRows: number,
): Float64Array {
  const a = forest.a;
  const counts = new Float64Array(a.feature.length);
  for (let t = 0; t < forest.nTrees; t++) {
    for (let r = 0; r < nRows; r++) {
      let i = a.treeStart[t];
      for (;;) {
        counts[i]++;
        if (a.feature[i] < 0) break;
        i = goesLeft(forest, i, background[a.feature[i]][r]) ? a.left[i] : a.right[i];
      }
    }
  }
  const frac = new Float64Array(a.feature.length);
  for (let t = 0; t < forest.nTrees; t++) {
    frac[a.treeStart[t]] = 1;
    for (let i = a.treeStart[t]; i < a.treeStart[t + 1]; i++) {
      if (a.feature[i] < 0) continue;
      frac[a.left[i]] = counts[i] > 0 ? counts[a.left[i]] / counts[i] : 0.5;
      frac[a.right[i]] = counts[i] > 0 ? counts[a.right[i]] / counts[i] : 0.5;
    }
  }
  return frac;
}

/**
 * SHAP values of rows [0, nRows) of `cols` (one Float64Array per feature: numbers, categorical
 * codes, NaN missing), with `init` the raw output's constant per output (null for none).
 */
export function treeShap(
  forest: Forest,
  cols: readonly Float64Array[],
  nRows: number,
  frac: Float64Array,
  init: ArrayLike<number> | null,
): ShapResult {
  const a = forest.a;
  const F = cols.length;
  const ow = forest.outWidth;
  const lw = forest.leafWidth;
  const values = new Float64Array(nRows * ow * F);
  const expected = new Float64Array(ow);
  if (init) for (let k = 0; k < ow; k++) expected[k] = init[k];
  // A tree adds its leaf vector to every output (forests) or its scalar to output t mod ow (boosting).
  const onlyOutput = (t: number) => (lw === ow ? null : t % ow);
  const share = new Float64Array(a.feature.length);
  for (let t = 0; t < forest.nTrees; t++) {
    const only = onlyOutput(t);
    share[a.treeStart[t]] = 1;
    for (let i = a.treeStart[t]; i < a.treeStart[t + 1]; i++) {
      if (a.feature[i] >= 0) {
        share[a.left[i]] = share[i] * frac[a.left[i]];
        share[a.right[i]] = share[i] * frac[a.right[i]];
        continue;
      }
      const leaf = a.left[i];
      if (only === null) for (let k = 0; k < ow; k++) expected[k] += share[i] * a.leafValues[leaf * lw + k];
      else expected[only] += share[i] * a.leafValues[leaf];
    }
  }
  let maxDepth = 0;
  for (let t = 0; t < forest.nTrees; t++) maxDepth = Math.max(maxDepth, treeDepth(forest, t));
  const path = new PathBuffer(maxDepth);
  let base = 0;
  let only: number | null = null;
  let row = 0;
  // One call per node, as the reference implementation: the parent's path starts at `p`; this
  // node's copy starts right after it (p + depth + 1) and is extended by (pz, po, pi) to length depth + 1.
  const recurse = (j: number, p: number, depth: number, pz: number, po: number, pi: number): void => {
    // A branch whose weights are all zero (no data there, and not the row's way) adds nothing.
    if (pz === 0 && po === 0) return;
    const here = p + depth + 1;
    path.copy(p, here, depth + 1);
    path.extend(here, depth, pz, po, pi);
    if (a.feature[j] < 0) {
      const leaf = a.left[j];
      for (let i = 1; i <= depth; i++) {
        const scale = path.unwoundSum(here, depth, i) * (path.one[here + i] - path.zero[here + i]);
        const f = path.feat[here + i];
        if (only === null)
          for (let k = 0; k < ow; k++) values[base + k * F + f] += scale * a.leafValues[leaf * lw + k];
        else values[base + only * F + f] += scale * a.leafValues[leaf];
      }
      return;
    }
    const d = a.feature[j];
    const left = goesLeft(forest, j, cols[d][row]);
    const hot = left ? a.left[j] : a.right[j];
    const cold = left ? a.right[j] : a.left[j];
    let iz = 1;
    let io = 1;
    let len = depth;
    let k = 1;
    while (k <= depth && path.feat[here + k] !== d) k++;
    if (k <= depth) {
      iz = path.zero[here + k];
      io = path.one[here + k];
      path.unwind(here, depth, k);
      len = depth - 1;
    }
    recurse(hot, here, len + 1, iz * frac[hot], io, d);
    recurse(cold, here, len + 1, iz * frac[cold], 0, d);
  };
  for (row = 0; row < nRows; row++) {
    base = row * ow * F;
    for (let t = 0; t < forest.nTrees; t++) {
      only = onlyOutput(t);
      recurse(a.treeStart[t], 0, 0, 1, 1, -1);
    }
  }
  return { values, expected, nFeatures: F, outWidth: ow };
}
