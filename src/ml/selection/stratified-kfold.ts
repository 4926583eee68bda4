import { ParameterError } from "../errors.js";
import { type KFoldOptions, type RepeatedOptions, RepeatedSplits } from "./kfold.js";
import {
  checkNSplits,
  checkRows,
  checkShuffleSeed,
  type Permuter,
  type Split,
  type SplitInput,
  type Splitter,
  seededPermuter,
  splitsFromFolds,
  stratifyCodes,
} from "./splitter.js";

/**
 * K folds that keep each class's share: scikit-learn 1.2's StratifiedKFold exactly (given the
 * same permutations). Classes are numbered by first appearance; the sorted labels are dealt
 * round-robin to the folds to get each fold's count per class; each class's rows then get
 * their fold numbers in blocks, in row order (shuffled per class when `shuffle`).
 */
export class StratifiedKFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly name: string;

  constructor(options: KFoldOptions = {}, owner = "StratifiedKFold") {
    this.nSplits = options.nSplits ?? 5;
    this.shuffle = options.shuffle ?? false;
    checkNSplits(owner, this.nSplits);
    checkShuffleSeed(owner, this.shuffle, options.seed);
    this.seed = options.seed ?? 0;
    this.name = `StratifiedKFold(${this.nSplits}${this.shuffle ? `, shuffle, seed ${this.seed}` : ""})`;
  }

  split(input: SplitInput, permute?: Permuter): Split[] {
    const codes = stratifyCodes("StratifiedKFold", input);
    checkRows("StratifiedKFold", input.nRows, this.nSplits);
    const p = this.shuffle ? (permute ?? seededPermuter(this.seed)) : null;
    return splitsFromFolds(stratifiedTestFolds(codes, this.nSplits, p), this.nSplits);
  }
}

/** The test fold of each row (see StratifiedKFold). */
export function stratifiedTestFolds(codes: Int32Array, k: number, permute: Permuter | null): Int32Array {
  const n = codes.length;
  // classes in order of first appearance
  let maxCode = -1;
  for (let i = 0; i < n; i++) if (codes[i] > maxCode) maxCode = codes[i];
  const byCode = new Int32Array(maxCode + 1).fill(-1);
  let nClasses = 0;
  for (let i = 0; i < n; i++) if (byCode[codes[i]] < 0) byCode[codes[i]] = nClasses++;
  const enc = new Int32Array(n);
  const counts = new Int32Array(nClasses);
  for (let i = 0; i < n; i++) {
    enc[i] = byCode[codes[i]];
    counts[enc[i]]++;
  }
  let allBelow = true;
  for (let c = 0; c < nClasses; c++) if (counts[c] >= k) allBelow = false;
  if (allBelow) {
    throw new ParameterError(
      "StratifiedKFold.nSplits",
      `at most the number of rows of some class (largest class: ${Math.max(...counts)})`,
      k,
    );
  }
  // allocation[f][c]: rows of class c in fold f, dealing the class-sorted rows round-robin
  const allocation = new Int32Array(k * nClasses);
  let pos = 0;
  for (let c = 0; c < nClasses; c++) {
    for (let j = 0; j < counts[c]; j++, pos++) allocation[(pos % k) * nClasses + c]++;
  }
  const members: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < n; i++) members[enc[i]].push(i);
  const testFold = new Int32Array(n);
  for (let c = 0; c < nClasses; c++) {
    const folds = new Int32Array(counts[c]);
    let at = 0;
    for (let f = 0; f < k; f++) for (let j = 0; j < allocation[f * nClasses + c]; j++) folds[at++] = f;
    // numpy's shuffle of `folds` equals indexing it by the permutation drawn from the same state
    const perm = permute ? permute(counts[c]) : null;
    const rows = members[c];
    for (let j = 0; j < rows.length; j++) testFold[rows[j]] = folds[perm ? perm[j] : j];
  }
  return testFold;
}

/** StratifiedKFold with shuffling, repeated (as scikit-learn). */
export class RepeatedStratifiedKFold extends RepeatedSplits<StratifiedKFold> {
  constructor(options: RepeatedOptions = {}) {
    super(
      "RepeatedStratifiedKFold",
      options.nRepeats ?? 10,
      () =>
        new StratifiedKFold(
          { nSplits: options.nSplits, shuffle: true, seed: options.seed ?? 0 },
          "RepeatedStratifiedKFold",
        ),
    );
  }
}
