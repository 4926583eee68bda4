import { availableParallelism } from "node:os";
import { kernelModule } from "../../kernels/loader.js";
import { ModelFormatError } from "../errors.js";
import type { SectionArray } from "../estimator.js";
import type { FeatureMatrix, FeatureSpec } from "../features.js";
import { Arena } from "./arena.js";
import { HistPool } from "./hist-pool.js";
import type { TreeNodes } from "./tree.js";

/**
 * Trees as flat node arrays (docs/trees.md, "Model file"). Node i of tree t lies in
 * [treeStart[t], treeStart[t+1]); a node's children have larger indices within its tree, so a
 * walk always ends. A leaf has feature -1 and `left` = its global leaf index; its values are
 * leafValues[leaf·leafWidth ..]. An internal node sends a non-missing value left when
 * x <= threshold (numeric) or when bit `code` of catBits[catStart ..] is set (categorical);
 * a missing value goes left when missingLeft is 1.
 *
 * Each tree adds its leaf values to the row's outputs: all `outWidth` of them when
 * leafWidth = outWidth (random forests), else output t mod outWidth (gradient boosting, one
 * tree per class and round).
 */
export interface ForestArrays {
  treeStart: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  catStart: Int32Array;
  catBits: Uint32Array;
  leafValues: Float64Array;
}

const ARRAY_NAMES = [
  "treeStart",
  "feature",
  "threshold",
  "left",
  "right",
  "missingLeft",
  "catStart",
  "catBits",
  "leafValues",
] as const;

/** Rows per block in batch prediction (copied row-major into WebAssembly memory): each tree is
 * walked by a whole block, so its upper nodes are fetched once per block. */
const BLOCK = 4096;

/** Batches of at least this many tree walks use a second thread. */
const PARALLEL_PREDICT_WALKS = 20_000_000;

interface CompiledForest {
  arena: Arena;
  nFeat: number;
  nodes: number;
  catBits: number;
  leafValues: number;
  treeStart: number;
  x: number;
  out: number;
  /** treePredictRow's current node per tree (nTrees int32). */
  leavesPtr: number;
}

export class Forest {
  constructor(
    readonly a: ForestArrays,
    readonly leafWidth: number,
    readonly outWidth: number,
  ) {}

  get nTrees(): number {
    return this.a.treeStart.length - 1;
  }

  get nNodes(): number {
    return this.a.feature.length;
  }

  /** The first `n` trees only (early stopping). */
  truncate(n: number): Forest {
    const a = this.a;
    const end = a.treeStart[n];
    let leaves = 0;
    for (let i = 0; i < end; i++) if (a.feature[i] < 0) leaves++;
    // Category sets are appended in node order: the kept ones end where the next tree's begin.
    let catEnd = a.catBits.length;
    for (let i = end; i < a.feature.length; i++) {
      if (a.catStart[i] >= 0) {
        catEnd = a.catStart[i];
        break;
      }
    }
    return new Forest(
      {
        treeStart: a.treeStart.slice(0, n + 1),
        feature: a.feature.slice(0, end),
        threshold: a.threshold.slice(0, end),
        left: a.left.slice(0, end),
        right: a.right.slice(0, end),
        missingLeft: a.missingLeft.slice(0, end),
        catStart: a.catStart.slice(0, end),
        catBits: a.catBits.slice(0, catEnd),
        leafValues: a.leafValues.slice(0, leaves * this.leafWidth),
      },
      this.leafWidth,
      this.outWidth,
    );
  }

  /** The leaf (global index) that a row reaches in tree t; `x(j)` gives feature j's value. */
  leaf(t: number, cols: readonly Float64Array[], row: number): number {
    const { feature, threshold, left, right, missingLeft, catStart, catBits } = this.a;
    let i = this.a.treeStart[t];
    for (;;) {
      const f = feature[i];
      if (f < 0) return left[i];
      const x = cols[f][row];
      let goLeft: boolean;
      if (Number.isNaN(x)) goLeft = missingLeft[i] === 1;
      else {
        const cs = catStart[i];
        if (cs < 0) goLeft = x <= threshold[i];
        else goLeft = ((catBits[cs + (x >>> 5)] >>> (x & 31)) & 1) === 1;
      }
      i = goLeft ? left[i] : right[i];
    }
  }

  /** Adds every tree's leaf values for rows [0, nRows) of `cols` into out (nRows × outWidth). */
  addInto(cols: readonly Float64Array[], nRows: number, out: Float64Array): void {
    const F = Math.max(1, cols.length);
    const c = this.compile(F);
    const ow = this.outWidth;
    // A second thread for large batches (its blocks alternate with this thread's); each row's
    // outputs are the same whichever thread computes them.
    const pool =
      nRows >= 2 * BLOCK && nRows * this.nTrees >= PARALLEL_PREDICT_WALKS && availableParallelism() > 1
        ? new HistPool(c.arena, 2, kernelModule())
        : null;
    try {
      const copyIn = (slot: number, r0: number, m: number) => {
        const x = c.arena.f64(c.x + slot * BLOCK * F * 8, m * F);
        for (let j = 0; j < F; j++) {
          const col = cols[j];
          for (let i = 0, p = j; i < m; i++, p += F) x[p] = col[r0 + i];
        }
        c.arena.f64(c.out + slot * BLOCK * ow * 8, m * ow).set(out.subarray(r0 * ow, (r0 + m) * ow));
      };
      const args = (slot: number, m: number) => [
        c.nodes,
        c.catBits,
        c.leafValues,
        c.treeStart,
        this.nTrees,
        c.x + slot * BLOCK * F * 8,
        m,
        F,
        c.out + slot * BLOCK * ow * 8,
        this.leafWidth,
        ow,
      ];
      const copyOut = (slot: number, r0: number, m: number) =>
        out.set(c.arena.f64(c.out + slot * BLOCK * ow * 8, m * ow), r0 * ow);
      const step = pool ? 2 * BLOCK : BLOCK;
      for (let r0 = 0; r0 < nRows; r0 += step) {
        const m0 = Math.min(BLOCK, nRows - r0);
        const m1 = pool ? Math.max(0, Math.min(BLOCK, nRows - r0 - BLOCK)) : 0;
        copyIn(0, r0, m0);
        if (m1 > 0) copyIn(1, r0 + BLOCK, m1);
        if (pool) pool.predict(args(0, m0), m1 > 0 ? args(1, m1) : null);
        else {
          const [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10] = args(0, m0);
          c.arena.k.treePredict(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
        }
        copyOut(0, r0, m0);
        if (m1 > 0) copyOut(1, r0 + BLOCK, m1);
      }
    } finally {
      pool?.close();
    }
  }

  private compiled: CompiledForest | null = null;

  /** The forest in WebAssembly memory for the batch kernel (built on first use). */
  private compile(F: number): CompiledForest {
    if (this.compiled && this.compiled.nFeat === F) return this.compiled;
    const a = this.a;
    const n = a.feature.length;
    const arena = new Arena(
      n * 24 +
        a.catBits.length * 4 +
        a.leafValues.length * 8 +
        2 * BLOCK * (F + this.outWidth) * 8 +
        4 * a.treeStart.length +
        4096,
    );
    const nodes = arena.alloc(n * 24);
    const ni = arena.i32(nodes, n * 6);
    const nf = arena.f64(nodes, n * 3);
    for (let i = 0; i < n; i++) {
      ni[6 * i] = a.feature[i];
      ni[6 * i + 1] = a.left[i];
      ni[6 * i + 2] = a.right[i];
      ni[6 * i + 3] = a.missingLeft[i] | ((a.catStart[i] + 1) << 1);
      nf[3 * i + 2] = a.threshold[i];
    }
    const catBits = arena.alloc(Math.max(1, a.catBits.length) * 4);
    arena.u32(catBits, a.catBits.length).set(a.catBits);
    const leafValues = arena.alloc(a.leafValues.length * 8);
    arena.f64(leafValues, a.leafValues.length).set(a.leafValues);
    const treeStart = arena.alloc(a.treeStart.length * 4);
    arena.i32(treeStart, a.treeStart.length).set(a.treeStart);
    // Two blocks of rows and outputs: one per thread.
    const x = arena.alloc(2 * BLOCK * F * 8);
    const out = arena.alloc(2 * BLOCK * this.outWidth * 8);
    const leavesPtr = arena.alloc(4 * a.treeStart.length);
    this.compiled = { arena, nFeat: F, nodes, catBits, leafValues, treeStart, x, out, leavesPtr };
    return this.compiled;
  }

  /**
   * Adds one row's outputs (values in feature order: numbers, categorical codes, NaN missing)
   * into out, through the treePredictRow kernel on the batch kernel's packed nodes (one cache
   * line per node), eight trees at a time. No allocation per row. `levels` (rowLevels of the
   * features) bounds the codes: a code that is not one of a feature's levels is missing, as an
   * unseen level is in batch prediction; so is a feature the row lacks.
   */
  addRowInto(row: ArrayLike<number>, out: Float64Array, levels: Float64Array): void {
    const F = levels.length;
    const c = this.compile(Math.max(1, F));
    const x = c.arena.f64(c.x, F);
    for (let j = 0; j < F; j++) {
      const v = j < row.length ? row[j] : Number.NaN;
      x[j] =
        levels[j] === Number.POSITIVE_INFINITY || (Number.isInteger(v) && v >= 0 && v < levels[j])
          ? v
          : Number.NaN;
    }
    const o = c.arena.f64(c.out, this.outWidth);
    o.set(out.subarray(0, this.outWidth));
    c.arena.k.treePredictRow(
      c.nodes,
      c.catBits,
      c.leafValues,
      c.treeStart,
      this.nTrees,
      c.x,
      c.out,
      this.leafWidth,
      this.outWidth,
      c.leavesPtr,
    );
    out.set(o);
  }

  toArrays(): Record<string, SectionArray> {
    return { ...this.a };
  }

  /**
   * Rebuilds a forest from model-file arrays, checking everything a walk relies on: sizes,
   * child indices inside the tree and after their parent, feature indices, categorical bitset
   * ranges, leaf indices, finite values. A hostile file is a ModelFormatError.
   */
  static fromArrays(
    arrays: Readonly<Record<string, SectionArray>>,
    features: readonly FeatureSpec[],
    leafWidth: number,
    outWidth: number,
  ): Forest {
    const bad = (msg: string) => new ModelFormatError(`tree ensemble: ${msg}`);
    const get = <T extends SectionArray>(name: string, ctor: new (n: number) => T): T => {
      const v = arrays[name];
      if (!(v instanceof ctor)) throw bad(`array "${name}" is missing or of the wrong type`);
      return v as T;
    };
    const a: ForestArrays = {
      treeStart: get("treeStart", Int32Array),
      feature: get("feature", Int32Array),
      threshold: get("threshold", Float64Array),
      left: get("left", Int32Array),
      right: get("right", Int32Array),
      missingLeft: get("missingLeft", Uint8Array),
      catStart: get("catStart", Int32Array),
      catBits: get("catBits", Uint32Array),
      leafValues: get("leafValues", Float64Array),
    };
    if (!Number.isInteger(leafWidth) || leafWidth < 1 || !Number.isInteger(outWidth) || outWidth < 1)
      throw bad("bad output widths");
    if (leafWidth !== 1 && leafWidth !== outWidth) throw bad("leaf width must be 1 or the output width");
    const nNodes = a.feature.length;
    for (const name of ["threshold", "left", "right", "missingLeft", "catStart"] as const) {
      if (a[name].length !== nNodes)
        throw bad(`array "${name}" has ${a[name].length} entries, expected ${nNodes}`);
    }
    const ts = a.treeStart;
    if (ts.length < 2 || ts[0] !== 0 || ts[ts.length - 1] !== nNodes)
      throw bad("tree offsets do not cover the nodes");
    let nLeaves = 0;
    for (let i = 0; i < nNodes; i++) if (a.feature[i] === -1) nLeaves++;
    if (a.leafValues.length !== nLeaves * leafWidth)
      throw bad(`${a.leafValues.length} leaf values for ${nLeaves} leaves of width ${leafWidth}`);
    for (let i = 0; i < a.leafValues.length; i++) {
      if (!Number.isFinite(a.leafValues[i])) throw bad(`leaf value ${i} is not finite`);
    }
    const seenLeaf = new Uint8Array(nLeaves);
    for (let t = 0; t + 1 < ts.length; t++) {
      const s = ts[t];
      const e = ts[t + 1];
      if (!(e > s)) throw bad(`tree ${t} has no nodes`);
      for (let i = s; i < e; i++) {
        const f = a.feature[i];
        if (f === -1) {
          const l = a.left[i];
          if (!(l >= 0 && l < nLeaves) || seenLeaf[l]) throw bad(`node ${i}: bad leaf index ${l}`);
          seenLeaf[l] = 1;
          continue;
        }
        if (!(f >= 0 && f < features.length)) throw bad(`node ${i}: feature ${f} out of range`);
        const l = a.left[i];
        const r = a.right[i];
        if (!(l > i && l < e && r > i && r < e)) throw bad(`node ${i}: children ${l}, ${r} outside its tree`);
        if (a.missingLeft[i] > 1) throw bad(`node ${i}: bad missing direction`);
        const spec = features[f];
        const cs = a.catStart[i];
        if (spec.kind === "categorical") {
          const words = Math.ceil(spec.levels.length / 32);
          if (!(cs >= 0 && cs + words <= a.catBits.length)) throw bad(`node ${i}: category set out of range`);
        } else {
          if (cs !== -1) throw bad(`node ${i}: a category set on numeric feature "${spec.name}"`);
          if (Number.isNaN(a.threshold[i])) throw bad(`node ${i}: threshold is NaN`);
        }
      }
    }
    return new Forest(a, leafWidth, outWidth);
  }
}

/** Accumulates grown trees into flat arrays. */
export class ForestBuilder {
  /** Each tree's arrays, numbered within the tree; finish() offsets and concatenates them. */
  private readonly trees: ForestArrays[] = [];
  private nNodes = 0;
  private nLeaves = 0;
  private nCatBits = 0;

  constructor(
    readonly leafWidth: number,
    readonly outWidth: number,
  ) {}

  get nTrees(): number {
    return this.trees.length;
  }

  /** Appends a tree; `values` holds leafWidth values per leaf of the tree, in leaf order. */
  add(t: TreeNodes, values: ArrayLike<number>): void {
    const n = t.feature.length;
    // Nodes in pre-order (a left child right after its parent) for locality when walking.
    const order = new Int32Array(n);
    const pos = new Int32Array(n);
    const stack = [0];
    let k = 0;
    while (stack.length > 0) {
      const i = stack.pop() as number;
      pos[i] = k;
      order[k++] = i;
      if (t.feature[i] >= 0) stack.push(t.right[i], t.left[i]);
    }
    const a: ForestArrays = {
      treeStart: new Int32Array(0),
      feature: new Int32Array(n),
      threshold: new Float64Array(n),
      left: new Int32Array(n),
      right: new Int32Array(n).fill(-1),
      missingLeft: new Uint8Array(n),
      catStart: new Int32Array(n).fill(-1),
      catBits: new Uint32Array(0),
      leafValues: new Float64Array(0),
    };
    const bits: number[] = [];
    let nl = 0;
    for (let q = 0; q < n; q++) {
      const i = order[q];
      const f = t.feature[i];
      a.feature[q] = f;
      if (f < 0) {
        a.left[q] = t.left[i];
        nl++;
        continue;
      }
      a.left[q] = pos[t.left[i]];
      a.right[q] = pos[t.right[i]];
      a.missingLeft[q] = t.missingLeft[i] ? 1 : 0;
      const set = i < t.catSet.length ? t.catSet[i] : null;
      if (set) {
        a.catStart[q] = bits.length;
        for (let w = 0; w < set.length; w++) bits.push(set[w]);
      } else a.threshold[q] = t.threshold[i];
    }
    a.catBits = Uint32Array.from(bits);
    a.leafValues = Float64Array.from({ length: nl * this.leafWidth }, (_, i) => values[i]);
    this.trees.push(a);
    this.nNodes += n;
    this.nLeaves += nl;
    this.nCatBits += bits.length;
  }

  finish(): Forest {
    const N = this.nNodes;
    const out: ForestArrays = {
      treeStart: new Int32Array(this.trees.length + 1),
      feature: new Int32Array(N),
      threshold: new Float64Array(N),
      left: new Int32Array(N),
      right: new Int32Array(N),
      missingLeft: new Uint8Array(N),
      catStart: new Int32Array(N),
      catBits: new Uint32Array(this.nCatBits),
      leafValues: new Float64Array(this.nLeaves * this.leafWidth),
    };
    let node = 0;
    let leaf = 0;
    let bit = 0;
    this.trees.forEach((a, t) => {
      const n = a.feature.length;
      out.treeStart[t] = node;
      out.feature.set(a.feature, node);
      out.threshold.set(a.threshold, node);
      out.missingLeft.set(a.missingLeft, node);
      for (let q = 0; q < n; q++) {
        const isLeaf = a.feature[q] < 0;
        out.left[node + q] = a.left[q] + (isLeaf ? leaf : node);
        out.right[node + q] = isLeaf ? -1 : a.right[q] + node;
        out.catStart[node + q] = a.catStart[q] < 0 ? -1 : a.catStart[q] + bit;
      }
      out.catBits.set(a.catBits, bit);
      out.leafValues.set(a.leafValues, leaf * this.leafWidth);
      node += n;
      bit += a.catBits.length;
      leaf += a.leafValues.length / this.leafWidth;
    });
    out.treeStart[this.trees.length] = node;
    this.trees.length = 0;
    return new Forest(out, this.leafWidth, this.outWidth);
  }
}

/** Per feature, what Forest.addRowInto accepts: the number of levels of a categorical one, else +Infinity. */
export function rowLevels(features: readonly FeatureSpec[]): Float64Array {
  return Float64Array.from(features, (f) =>
    f.kind === "categorical" ? f.levels.length : Number.POSITIVE_INFINITY,
  );
}

/** The columns prediction walks on: numbers, categorical codes as numbers (-1 → NaN). */
export function predictColumns(M: FeatureMatrix): Float64Array[] {
  return M.features.map((f, j) => {
    if (f.kind === "numeric") return f.values;
    if (f.kind === "indicator") return M.numericColumn(j);
    const out = new Float64Array(f.codes.length);
    for (let i = 0; i < out.length; i++) out[i] = f.codes[i] < 0 ? Number.NaN : f.codes[i];
    return out;
  });
}

export { ARRAY_NAMES as FOREST_ARRAYS };
