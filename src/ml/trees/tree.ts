/**
 * One grown tree, before it joins a Forest. Nodes are numbered so that children come after
 * their parent. A leaf has feature -1 and `left` = its leaf index; an internal node sends a
 * row left when its bin b has goLeft[b] (kept for prediction on binned rows during fit) or,
 * on raw values, when x <= threshold (numeric) or the level's bit is set in `catBits`
 * (categorical); missing values follow `missingLeft`.
 */
export interface GrownTree {
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly missingLeft: boolean[];
  /** For categorical splits: the level bitset (32 levels per word); numeric splits: null. */
  readonly catSet: (Uint32Array | null)[];
  /** Per internal node: which bins go left (256 entries); dropped by callers that do not need it. */
  goLeft: (Uint8Array | null)[];
  /** Per leaf: its rows as a range of the learner's row order, and the summed statistics. */
  readonly leafStart: number[];
  readonly leafEnd: number[];
  readonly leafTotals: Float64Array[];
  /** Per split: gain (for importances). */
  readonly gain: number[];
}

/** A grown tree's nodes as the forest stores them (typed arrays when sent between threads). */
export interface TreeNodes {
  readonly feature: ArrayLike<number>;
  readonly threshold: ArrayLike<number>;
  readonly left: ArrayLike<number>;
  readonly right: ArrayLike<number>;
  readonly missingLeft: ArrayLike<boolean | number>;
  /** Category sets by node; may be shorter than the node arrays (missing: numeric split). */
  readonly catSet: ArrayLike<Uint32Array | null>;
  readonly gain: ArrayLike<number>;
}

/** Compact typed-array copy of a tree's nodes (cheap to post to another thread). */
export function packTree(t: TreeNodes): TreeNodes {
  const hasCat = Array.from(t.catSet).some((c) => c !== null);
  return {
    feature: Int32Array.from(t.feature),
    threshold: Float64Array.from(t.threshold),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    missingLeft: Uint8Array.from(t.missingLeft, (v) => (v ? 1 : 0)),
    catSet: hasCat ? Array.from(t.catSet) : [],
    gain: Float64Array.from(t.gain),
  };
}

/** The leaf index a binned row (row-major bytes at `offset`) reaches. */
export function leafOfBinned(t: GrownTree, bins: Uint8Array, offset: number): number {
  let i = 0;
  while (t.feature[i] >= 0) {
    const g = t.goLeft[i] as Uint8Array;
    i = g[bins[offset + t.feature[i]]] ? t.left[i] : t.right[i];
  }
  return t.left[i];
}

/** The leaf index a row of raw columns (as Forest walks them) reaches. */
export function leafOfRaw(t: GrownTree, cols: readonly Float64Array[], row: number): number {
  let i = 0;
  for (;;) {
    const f = t.feature[i];
    if (f < 0) return t.left[i];
    const x = cols[f][row];
    const set = t.catSet[i];
    let goLeft: boolean;
    if (Number.isNaN(x)) goLeft = t.missingLeft[i];
    else if (set) goLeft = ((set[x >>> 5] >>> (x & 31)) & 1) === 1;
    else goLeft = x <= t.threshold[i];
    i = goLeft ? t.left[i] : t.right[i];
  }
}
