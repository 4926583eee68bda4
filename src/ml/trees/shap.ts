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

interface PathEntry {
  d: number;
  z: number;
  o: number;
  w: number;
}

function extend(m: PathEntry[], pz: number, po: number, pi: number): PathEntry[] {
  const l = m.length;
  const out = m.map((e) => ({ ...e }));
  out.push({ d: pi, z: pz, o: po, w: l === 0 ? 1 : 0 });
  for (let i = l - 1; i >= 0; i--) {
    out[i + 1].w += (po * out[i].w * (i + 1)) / (l + 1);
    out[i].w = (pz * out[i].w * (l - i)) / (l + 1);
  }
  return out;
}

function unwind(m: PathEntry[], i: number): PathEntry[] {
  const l = m.length - 1;
  let n = m[l].w;
  const out = m.slice(0, l).map((e) => ({ ...e }));
  const { o, z } = m[i];
  for (let j = l - 1; j >= 0; j--) {
    if (o !== 0) {
      const t = out[j].w;
      out[j].w = (n * (l + 1)) / ((j + 1) * o);
      n = t - (out[j].w * z * (l - j)) / (l + 1);
    } else {
      out[j].w = (out[j].w * (l + 1)) / (z * (l - j));
    }
  }
  for (let j = i; j < l; j++) {
    out[j].d = m[j + 1].d;
    out[j].z = m[j + 1].z;
    out[j].o = m[j + 1].o;
  }
  return out;
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
  for (let r = 0; r < nRows; r++) {
    const base = r * ow * F;
    for (let t = 0; t < forest.nTrees; t++) {
      const only = onlyOutput(t);
      const recurse = (j: number, path: PathEntry[], pz: number, po: number, pi: number): void => {
        // A branch whose weights are all zero (no data there, and not the row's way) adds nothing.
        if (pz === 0 && po === 0) return;
        const m = extend(path, pz, po, pi);
        if (a.feature[j] < 0) {
          const leaf = a.left[j];
          for (let i = 1; i < m.length; i++) {
            let w = 0;
            for (const e of unwind(m, i)) w += e.w;
            const scale = w * (m[i].o - m[i].z);
            if (only === null) {
              for (let k = 0; k < ow; k++)
                values[base + k * F + m[i].d] += scale * a.leafValues[leaf * lw + k];
            } else values[base + only * F + m[i].d] += scale * a.leafValues[leaf];
          }
          return;
        }
        const d = a.feature[j];
        const left = goesLeft(forest, j, cols[d][r]);
        const hot = left ? a.left[j] : a.right[j];
        const cold = left ? a.right[j] : a.left[j];
        let iz = 1;
        let io = 1;
        let next = m;
        const k = m.findIndex((e, idx) => idx > 0 && e.d === d);
        if (k > 0) {
          iz = m[k].z;
          io = m[k].o;
          next = unwind(m, k);
        }
        recurse(hot, next, iz * frac[hot], io, d);
        recurse(cold, next, iz * frac[cold], 0, d);
      };
      recurse(a.treeStart[t], [], 1, 1, -1);
    }
  }
  return { values, expected, nFeatures: F, outWidth: ow };
}
