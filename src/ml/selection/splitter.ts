import { Random } from "../../data/random.js";
import { ParameterError } from "../errors.js";
import { classTarget, type Target } from "../target.js";
import type { Split } from "./holdout.js";

export type { Split } from "./holdout.js";

/** What a splitter may need besides the row count. */
export interface SplitInput {
  readonly nRows: number;
  /** The target: StratifiedKFold balances its classes over the folds. */
  readonly y?: Target;
  /** A group label per row: GroupKFold keeps each group within one fold. */
  readonly groups?: ArrayLike<string | number>;
}

/**
 * A cross-validation splitter: seeded, index arrays out (train and test ascending, as in
 * scikit-learn), the same folds for the same seed and input.
 */
export interface Splitter {
  /** e.g. "KFold(5)", for trial histories and messages. */
  readonly name: string;
  /** How many splits `split` gives. */
  readonly nSplits: number;
  split(input: SplitInput): Split[];
}

/**
 * A random permutation of 0..n-1. The splitters draw every permutation through one of these, so
 * tests can inject numpy's permutations and compare folds with scikit-learn's exactly; by
 * default it is `Random(seed).permutation` (xoshiro128**, not numpy's Mersenne Twister, so
 * shuffled folds are sklearn's algorithm on different random draws).
 */
export type Permuter = (n: number) => Int32Array;

export function seededPermuter(seed: number): Permuter {
  const rng = new Random(seed);
  return (n) => rng.permutation(n);
}

export function checkNSplits(owner: string, nSplits: number): void {
  if (!Number.isInteger(nSplits) || nSplits < 2) {
    throw new ParameterError(`${owner}.nSplits`, "an integer ≥ 2", nSplits);
  }
}

export function checkRows(owner: string, nRows: number, nSplits: number): void {
  if (!Number.isInteger(nRows) || nRows < nSplits) {
    throw new ParameterError(`${owner}.nSplits`, `at most the number of rows (${nRows})`, nSplits);
  }
}

/** A seed is only meaningful with shuffle (scikit-learn refuses random_state without shuffle too). */
export function checkShuffleSeed(owner: string, shuffle: boolean, seed: number | undefined): void {
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) {
    throw new ParameterError(`${owner}.seed`, "an integer ≥ 0", seed);
  }
  if (!shuffle && seed !== undefined) {
    throw new ParameterError(
      `${owner}.seed`,
      "left out unless shuffle is true (it would have no effect)",
      seed,
    );
  }
}

/** Splits from a fold number per row: fold f is the test set of split f. */
export function splitsFromFolds(testFold: Int32Array, nSplits: number): Split[] {
  const n = testFold.length;
  const sizes = new Int32Array(nSplits);
  for (let i = 0; i < n; i++) sizes[testFold[i]]++;
  const out: Split[] = [];
  for (let f = 0; f < nSplits; f++) {
    const test = new Int32Array(sizes[f]);
    const train = new Int32Array(n - sizes[f]);
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      if (testFold[i] === f) test[b++] = i;
      else train[a++] = i;
    }
    out.push({ train, test });
  }
  return out;
}

/** Class codes of y for stratification (sorted-label codes, as np.unique). */
export function stratifyCodes(owner: string, input: SplitInput): Int32Array {
  if (input.y === undefined)
    throw new ParameterError(`${owner}.y`, "given (stratification needs the target)");
  const { codes } = classTarget(input.y);
  if (codes.length !== input.nRows) {
    throw new ParameterError(`${owner}.y`, `one label per row (${input.nRows})`, codes.length);
  }
  return codes;
}
