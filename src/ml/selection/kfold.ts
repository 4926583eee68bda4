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

/** A seeded splitter that can draw its permutations from a given stream. */
interface ShuffledSplitter extends Splitter {
  readonly seed: number;
  split(input: SplitInput, permute?: Permuter): Split[];
}

/**
 * A shuffled splitter run nRepeats times with successive permutations of one random stream
 * (scikit-learn's _RepeatedSplits): the base of RepeatedKFold and RepeatedStratifiedKFold.
 */
export class RepeatedSplits<S extends ShuffledSplitter> implements Splitter {
  readonly nSplits: number;
  readonly name: string;
  private readonly folds: S;

  constructor(
    owner: string,
    readonly nRepeats: number,
    makeFolds: () => S,
  ) {
    checkRepeats(owner, nRepeats);
    this.folds = makeFolds();
    this.nSplits = this.folds.nSplits * nRepeats;
    this.name = `${owner}(${this.folds.nSplits}×${nRepeats}, seed ${this.folds.seed})`;
  }

  split(input: SplitInput, permute?: Permuter): Split[] {
    const p = permute ?? seededPermuter(this.folds.seed);
    const out: Split[] = [];
    for (let r = 0; r < this.nRepeats; r++) out.push(...this.folds.split(input, p));
    return out;
  }
}

/** KFold with shuffling, repeated (as scikit-learn). */
export class RepeatedKFold extends RepeatedSplits<KFold> {
  constructor(options: RepeatedOptions = {}) {
    super(
      "RepeatedKFold",
      options.nRepeats ?? 10,
      () => new KFold({ nSplits: options.nSplits, shuffle: true, seed: options.seed ?? 0 }, "RepeatedKFold"),
    );
  }
}
