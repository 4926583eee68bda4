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
