import { ParameterError } from "../errors.js";
import { numpyArgsort } from "./numpy-argsort.js";
import { checkNSplits, type Split, type SplitInput, type Splitter, splitsFromFolds } from "./splitter.js";

export interface GroupKFoldOptions {
  /** Default 5. */
  readonly nSplits?: number;
}

/**
 * K folds that never split a group (e.g. all rows of one customer go to the same fold), with
 * fold sizes balanced greedily: largest groups first, each to the fold with the fewest rows.
 * Deterministic; scikit-learn 1.2's GroupKFold exactly (groups sorted as np.unique, ties in
 * group size ordered as numpy's argsort orders them).
 */
export class GroupKFold implements Splitter {
  readonly nSplits: number;
  readonly name: string;

  constructor(options: GroupKFoldOptions = {}) {
    this.nSplits = options.nSplits ?? 5;
    checkNSplits("GroupKFold", this.nSplits);
    this.name = `GroupKFold(${this.nSplits})`;
  }

  split(input: SplitInput): Split[] {
    const { groups, nRows } = input;
    if (groups === undefined) throw new ParameterError("GroupKFold.groups", "given (a group label per row)");
    if (groups.length !== nRows) {
      throw new ParameterError("GroupKFold.groups", `one group label per row (${nRows})`, groups.length);
    }
    const codes = groupCodes(groups);
    const nGroups = codes.nGroups;
    if (this.nSplits > nGroups) {
      throw new ParameterError(
        "GroupKFold.nSplits",
        `at most the number of groups (${nGroups})`,
        this.nSplits,
      );
    }
    const sizes = new Float64Array(nGroups);
    for (let i = 0; i < nRows; i++) sizes[codes.codes[i]]++;
    const order = numpyArgsort(sizes).reverse();
    const foldRows = new Float64Array(this.nSplits);
    const groupFold = new Int32Array(nGroups);
    for (const g of order) {
      let lightest = 0;
      for (let f = 1; f < this.nSplits; f++) if (foldRows[f] < foldRows[lightest]) lightest = f;
      foldRows[lightest] += sizes[g];
      groupFold[g] = lightest;
    }
    const testFold = new Int32Array(nRows);
    for (let i = 0; i < nRows; i++) testFold[i] = groupFold[codes.codes[i]];
    return splitsFromFolds(testFold, this.nSplits);
  }
}

/** Group labels as codes into their sorted distinct values (np.unique's return_inverse). */
function groupCodes(groups: ArrayLike<string | number>): { codes: Int32Array; nGroups: number } {
  const n = groups.length;
  const distinct = new Set<string | number>();
  let kind: string | undefined;
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    if (g === null || g === undefined || (typeof g === "number" && Number.isNaN(g))) {
      throw new ParameterError("GroupKFold.groups", `a group label for every row (row ${i + 1} is missing)`);
    }
    if (kind === undefined) kind = typeof g;
    else if (typeof g !== kind) {
      throw new ParameterError("GroupKFold.groups", "labels of one type (all numbers or all strings)");
    }
    distinct.add(g);
  }
  const sorted = [...distinct].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(sorted.map((g, k) => [g, k]));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = index.get(groups[i]) as number;
  return { codes, nGroups: sorted.length };
}
