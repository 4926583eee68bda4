import type { Random } from "../../data/random.js";
import type { Arena } from "./arena.js";
import type { FeatureBins } from "./binning.js";
import type { HistPool } from "./hist-pool.js";
import type { GrownTree } from "./tree.js";

/** Bins per feature in a histogram (uint8 bins: 255 value bins + the missing bin). */
const BINS = 256;
/** Nodes with fewer rows are split by sorting their rows' bins instead of a histogram. */
const SMALL_NODE = 256;
/** Below this many (row, feature) updates a histogram is built on one thread (waking others costs more). */
const PARALLEL_MIN_WORK = 262_144;
/** Block buffer of the fixed-point histogram kernel (treeHistFixed: 256 rows). */
const scratchBytes = (nFeat: number): number => 256 * (16 * Math.ceil(nFeat / 16) + 16);
/** Bytes of treeBestSplitSmall's scratch for nodes of up to SMALL_NODE rows. */
const SMALL_SCRATCH = 4096 + 256 + 1040 + 16 * SMALL_NODE;
/** Nodes of at least this many rows are partitioned on every thread. */
const PARALLEL_MIN_PARTITION = 65_536;
/** Histogram buffers kept for subtraction are capped at this many bytes; beyond, nodes rebuild. */
const POOL_BYTES = 512 * 1024 * 1024;

/**
 * The training data of one fit, in the arena: the row-major uint8 binned matrix and, per row,
 * C float64 statistics (C even). Channels 0..m-1 are sums (gradient, or weighted target, or
 * weighted class indicators of classes 0..K-2) and channel m is the weight (hessian).
 */
export interface LearnerData {
  readonly arena: Arena;
  readonly nRows: number;
  readonly nFeat: number;
  readonly binsPtr: number;
  /** The same bins column-major (nRows bytes per feature). */
  readonly colsPtr: number;
  readonly bins: readonly FeatureBins[];
  readonly channels: number;
  readonly sums: number;
  readonly statsPtr: number;
}

/**
 * The binary exponent e that makes n values of magnitude up to `max` fixed-point integers
 * (treeStatsFix, treeHistFixed): a sum of them cannot overflow (n·max·2^e ≤ 2^62) and each
 * stays below 2^51, where the kernels round it exactly.
 */
export function fixedExponent(n: number, max: number): number {
  if (!(max < Number.POSITIVE_INFINITY)) throw new Error("trainyard: non-finite gradient statistics");
  if (max === 0) return 0;
  const e = Math.min(62 - Math.ceil(Math.log2(n * max)), 50 - Math.ceil(Math.log2(max)));
  return Math.max(-1000, Math.min(1000, e));
}

export interface GrowOptions {
  /** Leaf-wise growth stops at this many leaves (Infinity: grow until nothing splits). */
  readonly maxLeaves: number;
  readonly maxDepth: number;
  /** A split needs this many (estimated) rows on each side ... */
  readonly minLeafCount: number;
  /** ... and this much weight (hessian) on each side. */
  readonly minLeafWeight: number;
  /** A node needs this many rows to be split. */
  readonly minSplitCount: number;
  readonly minGain: number;
  /** L2 penalty on leaf values (λ in G²/(H+λ)). */
  readonly lambda: number;
  /** The features this tree may split on. */
  readonly features: Int32Array;
  /** Features drawn per node (features.length: no per-node sampling, histogram subtraction on). */
  readonly mtry: number;
  readonly rng: Random;
  /**
   * One (g, h) pair per row: the fixed-point statistics at fixedStatsPtr are already written,
   * with these exponents (treeGradLogistic); without it the learner makes them.
   */
  readonly fixedExp?: readonly [number, number];
  /** Smoothing of the gradient ratio that orders categories (LightGBM cat_smooth). */
  readonly catSmooth: number;
  /** At most this many categories on the smaller side of a categorical split. */
  readonly maxCatThreshold: number;
  /** With at most this many categories in a node, try each one against the rest. */
  readonly maxCatOneHot: number;
  /** Keep each split's bin table (GrownTree.goLeft) to route binned rows afterwards. */
  readonly keepGoLeft: boolean;
  /** The rows of this tree (distinct, ascending is best for speed); null: all rows. */
  readonly rows: Uint32Array | null;
  /** Sum channels are weighted class indicators: a node with a single class is a leaf. */
  readonly classIndicators: boolean;
}

interface Split {
  gain: number;
  feature: number;
  /** numeric: the last value bin that goes left. */
  thr: number;
  missingLeft: boolean;
  /** categorical: goLeft per bin. */
  cat: Uint8Array | null;
  left: Float64Array;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  totals: Float64Array;
  hist: number;
  split: Split | null;
}

/** Grows histogram trees on LearnerData (one learner per fit; trees are grown one at a time). */
export class TreeLearner {
  private readonly rowsPtr: number;
  private readonly tmpPtr: number;
  private readonly featsPtr: number;
  private readonly goLeftPtr: number;
  /** Cuts and counts of a partition on every thread (HistPool.partition). */
  private readonly joinPtr: number;
  private readonly histBytes: number;
  private readonly freeHists: number[] = [];
  private H: Float64Array;
  private readonly rows: Uint32Array;

  private readonly partPtrs: number[] = [];
  /** Per thread, the fixed-point histogram kernel's block buffer. */
  private readonly scratchPtrs: number[] = [];
  /**
   * One (g, h) channel pair: the statistics as fixed-point i64 pairs (treeStatsFix), their
   * binary exponents for this tree, each helper thread's own histogram and their list, and
   * the counter the threads claim rows through. Integer histogram sums are exact, so threads
   * can share a node's rows and still give the result of one thread.
   */
  private readonly fixedPtr: number = 0;
  private fixedExp: readonly [number, number] = [0, 0];
  private readonly helperHists: number[] = [];
  private readonly helperListPtr: number = 0;
  private readonly nextPtr: number = 0;
  private perm = new Int32Array(0);
  /** nodeFeatures' output (valid until its next call). */
  private drawn = new Int32Array(0);
  /** Value bins per feature (i32), for the split-search kernel. */
  private readonly nbinsPtr: number;
  /** The split-search kernel's output (3 f64 + 3 i32). */
  private readonly splitOutPtr: number;
  private readonly splitOut: Float64Array;
  private readonly splitOutI: Int32Array;
  /** Scratch of the small-node split kernel (sparse sums, marks, touched bins, gathered statistics). */
  private readonly smallPtr: number;
  /** Whether any feature is categorical (the kernel handles numeric features only). */
  private readonly anyCategorical: boolean;

  /** Histogram buffers for `maxHeld` leaves kept for subtraction, plus two to build into, within the cap. */
  static histCount(nFeat: number, channels: number, maxHeld: number): number {
    return Math.max(3, Math.min(maxHeld + 2, Math.floor(POOL_BYTES / (nFeat * BINS * channels * 8))));
  }

  /** Arena bytes a learner allocates (rows, buffers, histograms), for Arena.reserve. */
  static bytes(nRows: number, nFeat: number, channels: number, threads: number, maxHeld: number): number {
    const hist = nFeat * BINS * channels * 8 + 16;
    return (
      8 * nRows +
      4 * nFeat * (threads + 1) +
      BINS +
      4 * nFeat +
      64 +
      SMALL_SCRATCH +
      16 +
      threads * (scratchBytes(nFeat) + 16) +
      16 * (threads + 10) +
      4 * (2 * threads + 1) +
      16 +
      (channels === 2 ? 16 * nRows + 48 + threads * (nFeat * BINS * 16 + 64) : 0) +
      TreeLearner.histCount(nFeat, channels, maxHeld) * hist
    );
  }

  constructor(
    readonly d: LearnerData,
    private readonly pool: HistPool | null = null,
    /** How many leaves may hold a histogram for subtraction at once. */
    maxHeld = 32,
  ) {
    const a = d.arena;
    if (pool) for (let t = 0; t < pool.nThreads; t++) this.partPtrs.push(a.alloc(d.nFeat * 4));
    for (let t = 0; t < (pool?.nThreads ?? 1); t++) this.scratchPtrs.push(a.alloc(scratchBytes(d.nFeat)));
    this.rowsPtr = a.alloc(d.nRows * 4);
    this.tmpPtr = a.alloc(d.nRows * 4);
    this.featsPtr = a.alloc(d.nFeat * 4);
    this.goLeftPtr = a.alloc(BINS);
    this.joinPtr = a.alloc(4 * (2 * (pool?.nThreads ?? 1) + 1));
    this.nbinsPtr = a.alloc(d.nFeat * 4);
    a.i32(this.nbinsPtr, d.nFeat).set(d.bins.map((b) => b.nBins));
    this.splitOutPtr = a.alloc(48);
    this.smallPtr = a.alloc(SMALL_SCRATCH);
    a.u8(this.smallPtr, SMALL_SCRATCH).fill(0);
    this.splitOut = a.f64(this.splitOutPtr, 3);
    this.splitOutI = a.i32(this.splitOutPtr + 24, 3);
    this.anyCategorical = d.bins.some((b) => b.categorical);
    this.histBytes = d.nFeat * BINS * d.channels * 8;
    if (d.channels === 2) {
      this.fixedPtr = a.alloc(16 * d.nRows);
      this.nextPtr = a.alloc(16 * (1 + (pool?.nThreads ?? 1)));
      for (let t = 1; t < (pool?.nThreads ?? 1); t++) this.helperHists.push(a.alloc(this.histBytes));
      this.helperListPtr = a.alloc(4 * Math.max(1, this.helperHists.length));
      a.i32(this.helperListPtr, this.helperHists.length).set(this.helperHists);
    }
    // Every buffer up front: the arena must not grow once helper threads run on it.
    const count = TreeLearner.histCount(d.nFeat, d.channels, maxHeld);
    for (let i = 0; i < count; i++) this.freeHists.push(a.alloc(this.histBytes));
    this.rows = a.u32(this.rowsPtr, d.nRows);
    this.H = new Float64Array(a.memory.buffer);
  }

  /** Arena offset of the fixed-point statistics (one (g, h) channel pair; else 0). */
  get fixedStatsPtr(): number {
    return this.fixedPtr;
  }

  /** The learner's row order after the last grow: leaf ranges index into it. */
  get rowOrder(): Uint32Array {
    return this.rows;
  }

  /** Arena offset of rowOrder. */
  get rowOrderPtr(): number {
    return this.rowsPtr;
  }

  private takeHist(): number {
    return this.freeHists.pop() ?? -1;
  }

  private releaseHist(leaf: Leaf): void {
    if (leaf.hist >= 0) this.freeHists.push(leaf.hist);
    leaf.hist = -1;
  }

  /** Zeroes and fills the histogram at `hist` for the listed features over a leaf's rows. */
  private build(leaf: Leaf, feats: Int32Array, hist: number): void {
    const d = this.d;
    const a = d.arena;
    const c2 = d.channels >> 1;
    const pool = this.pool;
    const parallel = pool !== null && (leaf.end - leaf.start) * feats.length >= PARALLEL_MIN_WORK;
    let contiguous = feats.length > 0;
    for (let j = 1; j < feats.length; j++) if (feats[j] !== feats[0] + j) contiguous = false;
    if (c2 === 1 && contiguous) {
      // Fixed-point: every thread takes runs of the rows into its own histogram, then the sums.
      const f0 = feats[0];
      const nf = feats.length;
      const args = [d.binsPtr, d.nFeat, this.rowsPtr, leaf.start, leaf.end, this.fixedPtr, f0, nf] as const;
      a.i32(this.nextPtr, 1)[0] = 0;
      if (parallel && pool) pool.histFixed(args, [hist, ...this.helperHists], this.scratchPtrs, this.nextPtr);
      else a.k.treeHistFixed(...args, hist, this.scratchPtrs[0], this.nextPtr);
      const helpers = parallel ? this.helperHists.length : 0;
      a.k.treeHistFixedSum(hist, this.helperListPtr, helpers, f0, nf, this.fixedExp[0], this.fixedExp[1]);
      return;
    }
    if (parallel && pool && feats.length >= 2) {
      // Whole features per thread, in contiguous runs of nearly equal size.
      const T = Math.min(pool.nThreads, feats.length);
      const parts: { ptr: number; n: number }[] = [];
      for (let t = 0; t < pool.nThreads; t++) {
        const lo = t < T ? Math.floor((t * feats.length) / T) : 0;
        const hi = t < T ? Math.floor(((t + 1) * feats.length) / T) : 0;
        a.i32(this.partPtrs[t], hi - lo).set(feats.subarray(lo, hi));
        parts.push({ ptr: this.partPtrs[t], n: hi - lo });
      }
      pool.hist(d.binsPtr, d.nFeat, this.rowsPtr, leaf.start, leaf.end, d.statsPtr, c2, parts, hist);
      return;
    }
    a.i32(this.featsPtr, feats.length).set(feats);
    a.k.treeHistClear(this.featsPtr, feats.length, c2, hist);
    a.k.treeHist(
      d.binsPtr,
      d.nFeat,
      this.rowsPtr,
      leaf.start,
      leaf.end,
      d.statsPtr,
      c2,
      this.featsPtr,
      feats.length,
      hist,
    );
  }

  /**
   * The statistics (one (g, h) pair per row) as fixed-point pairs for treeHistFixed, scaled by
   * powers of two so that no sum over the rows can overflow: n·max|g|·2^eg ≤ 2^62. A maximum
   * does not depend on the order it is taken in, so neither do the scales.
   */
  private fixStats(): void {
    const d = this.d;
    const k = d.arena.k;
    const n = d.nRows;
    const out = this.nextPtr + 16;
    if (this.pool) this.pool.statsMax(d.statsPtr, n, out);
    else k.treeStatsMax(d.statsPtr, 0, n, out);
    const [maxG, maxH] = d.arena.f64(out, 2);
    this.fixedExp = [fixedExponent(n, maxG), fixedExponent(n, maxH)];
    if (this.pool) this.pool.statsFix(d.statsPtr, this.fixedPtr, n, this.fixedExp[0], this.fixedExp[1]);
    else k.treeStatsFix(d.statsPtr, this.fixedPtr, 0, n, this.fixedExp[0], this.fixedExp[1]);
  }

  /** hist[big] = hist[parent] - hist[small], in place over the parent's buffer. */
  /** parent −= small over the given features' histograms (kernel calls over runs of consecutive features). */
  private subtract(parent: number, small: number, feats: Int32Array): void {
    const k = this.d.arena.k;
    const c2 = this.d.channels >> 1;
    for (let j = 0; j < feats.length; ) {
      let e = j + 1;
      while (e < feats.length && feats[e] === feats[j] + (e - j)) e++;
      k.treeHistSub(parent, small, feats[j], e - j, c2);
      j = e;
    }
  }

  private splittable(l: Leaf, o: GrowOptions): boolean {
    const count = l.end - l.start;
    const w = l.totals[this.d.sums];
    return (
      l.depth < o.maxDepth &&
      count >= o.minSplitCount &&
      count >= 2 * o.minLeafCount &&
      count >= 2 &&
      w >= 2 * o.minLeafWeight &&
      w > 0
    );
  }

  private nodeFeatures(o: GrowOptions): Int32Array {
    if (o.mtry >= o.features.length) return o.features;
    // Partial Fisher–Yates over a kept permutation: the first mtry, in feature order.
    const p = this.perm;
    for (let i = 0; i < o.mtry; i++) {
      const j = i + o.rng.int(p.length - i);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    // The draw in feature order (insertion sort when mtry is small), in a reused buffer.
    if (this.drawn.length < o.mtry) this.drawn = new Int32Array(o.mtry);
    const out = this.drawn;
    if (o.mtry > 32) {
      out.set(p.subarray(0, o.mtry));
      return out.subarray(0, o.mtry).sort();
    }
    for (let i = 0; i < o.mtry; i++) {
      const v = p[i];
      let q = i;
      while (q > 0 && out[q - 1] > v) {
        out[q] = out[q - 1];
        q--;
      }
      out[q] = v;
    }
    return out.subarray(0, o.mtry);
  }

  grow(o: GrowOptions): GrownTree {
    const d = this.d;
    const C = d.channels;
    const m = d.sums;
    const rows = this.rows;
    let n = d.nRows;
    if (o.rows) {
      n = o.rows.length;
      rows.set(o.rows);
    }
    // Feature draws depend on this tree's generator only, not on earlier trees.
    this.perm = Int32Array.from(o.features);
    const rootTotals = new Float64Array(C);
    if (C === 2) {
      if (o.fixedExp) this.fixedExp = o.fixedExp;
      else this.fixStats();
      d.arena.k.treeRowTotals(this.rowsPtr, n, d.statsPtr, o.rows ? 0 : 1, this.splitOutPtr);
      rootTotals[0] = this.splitOut[0];
      rootTotals[1] = this.splitOut[1];
    } else {
      if (!o.rows) for (let i = 0; i < n; i++) rows[i] = i;
      const stats = d.arena.f64(d.statsPtr, d.nRows * C);
      for (let i = 0; i < n; i++) {
        const s = rows[i] * C;
        for (let c = 0; c <= m; c++) rootTotals[c] += stats[s + c];
      }
    }
    const t: GrownTree = {
      feature: [-1],
      threshold: [0],
      left: [-1],
      right: [-1],
      missingLeft: [false],
      catSet: [null],
      goLeft: [null],
      leafStart: [],
      leafEnd: [],
      leafTotals: [],
      gain: [0],
    };
    const subtract = o.mtry >= o.features.length;
    const root: Leaf = { node: 0, start: 0, end: n, depth: 0, totals: rootTotals, hist: -1, split: null };
    const open: Leaf[] = [];
    const done: Leaf[] = [];
    const pure = (leaf: Leaf): boolean => {
      if (!o.classIndicators) return false;
      // Summed in the same order as the weight, a class's sum equals it exactly when pure.
      const w = leaf.totals[m];
      let rest = w;
      for (let c = 0; c < m; c++) {
        const v = leaf.totals[c];
        if (v === w) return true;
        if (v !== 0) rest = -1;
      }
      return rest === w;
    };
    const prepare = (leaf: Leaf, hist: number, built: boolean, feats: Int32Array) => {
      if (pure(leaf)) {
        if (hist >= 0) this.freeHists.push(hist);
        done.push(leaf);
        return;
      }
      if (
        !built &&
        leaf.end - leaf.start < SMALL_NODE &&
        m === 1 &&
        !feats.some((f) => d.bins[f].categorical)
      ) {
        if (hist >= 0) this.freeHists.push(hist);
        leaf.split = this.findBestSmall(leaf, feats, o);
        if (leaf.split) open.push(leaf);
        else done.push(leaf);
        return;
      }
      // `hist` holds the leaf's histogram when built; otherwise build it now.
      let h = hist;
      if (h < 0) h = this.takeHist();
      if (h < 0) throw new Error("tree learner: no histogram buffer");
      if (!built) this.build(leaf, feats, h);
      leaf.split = this.findBest(leaf, h, feats, o);
      leaf.hist = h;
      if (!subtract || !leaf.split || this.freeHists.length < 2) this.releaseHist(leaf);
      if (leaf.split) open.push(leaf);
      else done.push(leaf);
    };
    if (this.splittable(root, o)) prepare(root, -1, false, this.nodeFeatures(o));
    else done.push(root);
    let nLeaves = 1;
    const goLeft = d.arena.u8(this.goLeftPtr, BINS);
    while (open.length > 0 && nLeaves < o.maxLeaves) {
      // Leaf-wise: the open leaf of highest gain (first on ties); unbounded growth: depth-first.
      let pick = open.length - 1;
      if (Number.isFinite(o.maxLeaves)) {
        pick = 0;
        for (let i = 1; i < open.length; i++) {
          if ((open[i].split as Split).gain > (open[pick].split as Split).gain) pick = i;
        }
      }
      const leaf = open[pick];
      open.splice(pick, 1);
      const s = leaf.split as Split;
      // The node becomes internal.
      const node = leaf.node;
      if (s.cat) goLeft.set(s.cat);
      else {
        goLeft[0] = s.missingLeft ? 1 : 0;
        goLeft.fill(1, 1, s.thr + 1);
        goLeft.fill(0, s.thr + 1);
      }
      const col = d.colsPtr + s.feature * d.nRows;
      const nl =
        this.pool && leaf.end - leaf.start >= PARALLEL_MIN_PARTITION
          ? this.pool.partition(
              col,
              this.rowsPtr,
              leaf.start,
              leaf.end,
              this.goLeftPtr,
              this.tmpPtr,
              this.joinPtr,
            )
          : d.arena.k.treePartition(col, this.rowsPtr, leaf.start, leaf.end, this.goLeftPtr, this.tmpPtr);
      const li = t.feature.length;
      const ri = li + 1;
      for (let c = 0; c < 2; c++) {
        t.feature.push(-1);
        t.threshold.push(0);
        t.left.push(-1);
        t.right.push(-1);
        t.missingLeft.push(false);
        t.catSet.push(null);
        t.goLeft.push(null);
        t.gain.push(0);
      }
      t.feature[node] = s.feature;
      t.left[node] = li;
      t.right[node] = ri;
      t.missingLeft[node] = s.missingLeft;
      if (o.keepGoLeft) t.goLeft[node] = Uint8Array.from(goLeft);
      t.gain[node] = s.gain;
      const fb = d.bins[s.feature];
      if (s.cat) {
        const set = new Uint32Array(Math.ceil(fb.codeBin.length / 32));
        for (let c = 0; c < fb.codeBin.length; c++) if (s.cat[fb.codeBin[c]]) set[c >>> 5] |= 1 << (c & 31);
        t.catSet[node] = set;
      } else t.threshold[node] = fb.upper[s.thr - 1];
      const rightTotals = new Float64Array(C);
      for (let c = 0; c < C; c++) rightTotals[c] = leaf.totals[c] - s.left[c];
      const L: Leaf = {
        node: li,
        start: leaf.start,
        end: leaf.start + nl,
        depth: leaf.depth + 1,
        totals: s.left,
        hist: -1,
        split: null,
      };
      const R: Leaf = {
        node: ri,
        start: leaf.start + nl,
        end: leaf.end,
        depth: leaf.depth + 1,
        totals: rightTotals,
        hist: -1,
        split: null,
      };
      nLeaves++;
      const okL = this.splittable(L, o);
      const okR = this.splittable(R, o);
      if (subtract && leaf.hist >= 0 && (okL || okR)) {
        const [small, big] = nl <= leaf.end - leaf.start - nl ? [L, R] : [R, L];
        const okBig = big === L ? okL : okR;
        const okSmall = small === L ? okL : okR;
        if (okBig) {
          const h = this.takeHist();
          if (h >= 0) {
            this.build(small, o.features, h);
            this.subtract(leaf.hist, h, o.features);
            const ph = leaf.hist;
            leaf.hist = -1;
            if (okSmall) prepare(small, h, true, o.features);
            else {
              this.freeHists.push(h);
              done.push(small);
            }
            prepare(big, ph, true, o.features);
          } else {
            this.releaseHist(leaf);
            if (okSmall) prepare(small, -1, false, o.features);
            else done.push(small);
            prepare(big, -1, false, o.features);
          }
        } else {
          const ph = leaf.hist;
          leaf.hist = -1;
          prepare(small, ph, false, o.features);
          done.push(big);
        }
      } else {
        this.releaseHist(leaf);
        // Depth-first order for unbounded growth: push right first so that left is split next.
        for (const c of [R, L]) {
          if (c === L ? okL : okR) prepare(c, -1, false, this.nodeFeatures(o));
          else done.push(c);
        }
      }
    }
    for (const l of open) {
      this.releaseHist(l);
      done.push(l);
    }
    done.sort((a, b) => a.node - b.node);
    for (const l of done) {
      t.left[l.node] = t.leafStart.length;
      t.leafStart.push(l.start);
      t.leafEnd.push(l.end);
      t.leafTotals.push(l.totals);
    }
    return t;
  }

  /**
   * The best split of a small leaf (one sum channel, numeric features): per feature, a sparse
   * histogram of the bins its rows touch, scanned in bin order like a full one.
   */
  private findBestSmall(leaf: Leaf, feats: Int32Array, o: GrowOptions): Split | null {
    const d = this.d;
    const a = d.arena;
    const cnt = leaf.end - leaf.start;
    const P = leaf.totals;
    const Pg = P[0];
    const Pw = P[1];
    const parent = (Pg * Pg) / (Pw + o.lambda);
    a.i32(this.featsPtr, feats.length).set(feats);
    const f = a.k.treeBestSplitSmall(
      d.colsPtr,
      d.nRows,
      this.rowsPtr + 4 * leaf.start,
      cnt,
      d.statsPtr,
      this.featsPtr,
      feats.length,
      Pg,
      Pw,
      cnt / Pw,
      o.lambda,
      o.minLeafWeight,
      Math.max(1, o.minLeafCount) * (1 - 1e-9),
      parent,
      Math.max(o.minGain, 1e-10 * Math.abs(parent), 1e-300),
      this.splitOutPtr,
      this.smallPtr,
    );
    if (f < 0) return null;
    const out = this.splitOut;
    const left = new Float64Array(d.channels);
    left[0] = out[1];
    left[1] = out[2];
    const oi = this.splitOutI;
    return { gain: out[0], feature: f, thr: oi[1], missingLeft: oi[2] === 1, cat: null, left };
  }

  /** The best split of a leaf over the given features, or null when none gains. */
  private findBest(leaf: Leaf, hist: number, feats: Int32Array, o: GrowOptions): Split | null {
    const d = this.d;
    const C = d.channels;
    const m = d.sums;
    const H = this.H;
    const P = leaf.totals;
    const Pw = P[m];
    const count = leaf.end - leaf.start;
    const cf = count / Pw;
    const lam = o.lambda;
    const minW = o.minLeafWeight;
    const minN = Math.max(1, o.minLeafCount) * (1 - 1e-9);
    const score = (v: ArrayLike<number>, off: number): number => {
      const w = v[off + m];
      if (m === 1) return (v[off] * v[off]) / (w + lam);
      let rest = w;
      let s = 0;
      for (let c = 0; c < m; c++) {
        s += v[off + c] * v[off + c];
        rest -= v[off + c];
      }
      return (s + rest * rest) / w;
    };
    const parent = score(P, 0);
    // Gains within rounding of zero (e.g. a constant target) are no split.
    const floor = Math.max(o.minGain, 1e-10 * Math.abs(parent), 1e-300);
    if (m === 1 && !this.anyCategorical) {
      // The hot path, in the kernel: one sum channel and a weight, numeric features.
      const a = d.arena;
      a.i32(this.featsPtr, feats.length).set(feats);
      const f = a.k.treeBestSplit(
        hist,
        this.featsPtr,
        feats.length,
        this.nbinsPtr,
        P[0],
        Pw,
        cf,
        lam,
        minW,
        minN,
        parent,
        floor,
        this.splitOutPtr,
      );
      if (f < 0) return null;
      const out = this.splitOut;
      const left = new Float64Array(C);
      left[0] = out[1];
      left[1] = out[2];
      const oi = this.splitOutI;
      return { gain: out[0], feature: f, thr: oi[1], missingLeft: oi[2] === 1, cat: null, left };
    }
    let best: Split | null = null;
    let hot: Split | null = null;
    let bestGain = floor;
    const Lv = new Float64Array(C);
    const Rv = new Float64Array(C);
    const offer = (f: number, thr: number, missingLeft: boolean, cat: Uint8Array | null): void => {
      const lw = Lv[m];
      const rw = Rv[m];
      if (lw < minW || rw < minW || lw * cf < minN || rw * cf < minN || !(lw > 0) || !(rw > 0)) return;
      const g = score(Lv, 0) + score(Rv, 0) - parent;
      if (g > bestGain) {
        bestGain = g;
        best = { gain: g, feature: f, thr, missingLeft, cat, left: Float64Array.from(Lv) };
      }
    };
    for (let j = 0; j < feats.length; j++) {
      const f = feats[j];
      const fb = d.bins[f];
      const base = (hist >> 3) + f * BINS * C;
      const nb = fb.nBins;
      if (!fb.categorical && m === 1) {
        // The hot path: one sum channel and a weight, scalar accumulators.
        const Mg = H[base];
        const Mw = H[base + 1];
        const Pg = P[0];
        let Lg = 0;
        let Lw = 0;
        for (let b = 1; b <= nb; b++) {
          const o2 = base + 2 * b;
          const bw = H[o2 + 1];
          if (bw === 0) continue;
          Lg += H[o2];
          Lw += bw;
          for (let miss = 0; miss < (Mw > 0 ? 2 : 1); miss++) {
            const lg = miss ? Lg + Mg : Lg;
            const lw = miss ? Lw + Mw : Lw;
            const rg = Pg - lg;
            const rw = Pw - lw;
            if (lw < minW || rw < minW || lw * cf < minN || rw * cf < minN || !(lw > 0) || !(rw > 0))
              continue;
            const g = (lg * lg) / (lw + lam) + (rg * rg) / (rw + lam) - parent;
            if (g > bestGain) {
              bestGain = g;
              if (!hot)
                hot = {
                  gain: 0,
                  feature: 0,
                  thr: 0,
                  missingLeft: false,
                  cat: null,
                  left: new Float64Array(C),
                };
              hot.gain = g;
              hot.feature = f;
              hot.thr = b;
              hot.missingLeft = miss === 1 || (Mw === 0 && lw >= rw);
              hot.left[0] = lg;
              hot.left[1] = lw;
              best = hot;
            }
          }
        }
        continue;
      }
      if (!fb.categorical) {
        const Acc = new Float64Array(C);
        for (let b = 1; b <= nb; b++) {
          const o2 = base + C * b;
          if (H[o2 + m] === 0) continue;
          for (let c = 0; c <= m; c++) Acc[c] += H[o2 + c];
          const Mw = H[base + m];
          for (let miss = 0; miss < (Mw > 0 ? 2 : 1); miss++) {
            for (let c = 0; c <= m; c++) {
              Lv[c] = Acc[c] + (miss ? H[base + c] : 0);
              Rv[c] = P[c] - Lv[c];
            }
            offer(f, b, miss === 1 || (Mw === 0 && Lv[m] >= Rv[m]), null);
          }
        }
        continue;
      }
      // Categorical: the categories present (the missing bin 0 counts as one), ordered by
      // their (smoothed) mean of the first channel; the best prefix of that order goes left.
      const cats: number[] = [];
      for (let b = 0; b <= nb; b++) if (H[base + C * b + m] > 0) cats.push(b);
      if (cats.length < 2) continue;
      const sets: number[][] = [];
      if (cats.length <= o.maxCatOneHot) for (const b of cats) sets.push([b]);
      else {
        const key = (b: number) => H[base + C * b] / (H[base + C * b + m] + o.catSmooth);
        cats.sort((a, b) => key(a) - key(b) || a - b);
        const kmax = Math.min(o.maxCatThreshold, cats.length - 1);
        for (let k = 1; k <= kmax; k++) sets.push(cats.slice(0, k));
        for (let k = 1; k <= kmax; k++) sets.push(cats.slice(cats.length - k));
      }
      for (const set of sets) {
        Lv.fill(0);
        for (const b of set) for (let c = 0; c <= m; c++) Lv[c] += H[base + C * b + c];
        for (let c = 0; c <= m; c++) Rv[c] = P[c] - Lv[c];
        const table = new Uint8Array(BINS);
        for (const b of set) table[b] = 1;
        // Missing (bin 0) unseen here goes to the heavier side.
        if (H[base + m] <= 0) table[0] = Lv[m] >= Rv[m] ? 1 : 0;
        offer(f, 0, table[0] === 1, table);
      }
    }
    return best;
  }
}
