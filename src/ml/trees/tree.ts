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
