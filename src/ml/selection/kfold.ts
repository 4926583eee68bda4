import { ParameterError } from "../errors.js";
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
} from "./splitter.js";

export interface KFoldOptions {
  /** Default 5. */
  readonly nSplits?: number;
  /** Default false: fold 1 is the first rows, as in scikit-learn. */
  readonly shuffle?: boolean;
  /** Only with shuffle (default seed 0 then). */
  readonly seed?: number;
}

/**
 * K consecutive folds of (optionally shuffled) rows; the first n % k folds get one row more.
 * scikit-learn's KFold exactly, given the same permutation.
 */
export class KFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly name: string;

  constructor(options: KFoldOptions = {}, owner = "KFold") {
    this.nSplits = options.nSplits ?? 5;
    this.shuffle = options.shuffle ?? false;
    checkNSplits(owner, this.nSplits);
    checkShuffleSeed(owner, this.shuffle, options.seed);
    this.seed = options.seed ?? 0;
    this.name = `KFold(${this.nSplits}${this.shuffle ? `, shuffle, seed ${this.seed}` : ""})`;
  }

  split(input: SplitInput, permute?: Permuter): Split[] {
    const n = input.nRows;
    checkRows("KFold", n, this.nSplits);
    const order = this.shuffle ? (permute ?? seededPermuter(this.seed))(n) : null;
    return kfoldSplits(n, this.nSplits, order);
  }
}

/** The KFold splits of n rows taken in `order` (null: row order). */
export function kfoldSplits(n: number, k: number, order: Int32Array | null): Split[] {
  const fold = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let j = start; j < start + size; j++) fold[order ? order[j] : j] = f;
    start += size;
  }
  return splitsFromFolds(fold, k);
}

export interface RepeatedOptions {
  /** Default 5. */
  readonly nSplits?: number;
  /** Default 10, as scikit-learn. */
  readonly nRepeats?: number;
  /** Default 0. */
  readonly seed?: number;
}

export function checkRepeats(owner: string, nRepeats: number): void {
  if (!Number.isInteger(nRepeats) || nRepeats < 1) {
    throw new ParameterError(`${owner}.nRepeats`, "an integer ≥ 1", nRepeats);
  }
}

/** KFold with shuffling, repeated with successive permutations of one random stream (as scikit-learn). */
export class RepeatedKFold implements Splitter {
  readonly nSplits: number;
  readonly name: string;
  readonly nRepeats: number;
  private readonly folds: KFold;

  constructor(options: RepeatedOptions = {}) {
    this.nRepeats = options.nRepeats ?? 10;
    checkRepeats("RepeatedKFold", this.nRepeats);
    this.folds = new KFold(
      { nSplits: options.nSplits, shuffle: true, seed: options.seed ?? 0 },
      "RepeatedKFold",
    );
    this.nSplits = this.folds.nSplits * this.nRepeats;
    this.name = `RepeatedKFold(${this.folds.nSplits}×${this.nRepeats}, seed ${this.folds.seed})`;
  }

  split(input: SplitInput, permute?: Permuter): Split[] {
    const p = permute ?? seededPermuter(this.folds.seed);
    const out: Split[] = [];
    for (let r = 0; r < this.nRepeats; r++) out.push(...this.folds.split(input, p));
    return out;
  }
}
