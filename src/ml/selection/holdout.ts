import { Random } from "../../data/random.js";
import type { Table } from "../../data/table.js";
import { ParameterError } from "../errors.js";

/** Row indices of a holdout split. */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export interface TrainTestSplitOptions {
  /** A fraction in (0, 1) of the rows, or a whole count in [1, nRows). */
  testSize: number;
  seed: number;
  /** Default true. Without shuffling the last rows are the test set (and stratify is refused, as in scikit-learn). */
  shuffle?: boolean;
  /** Class code (≥ 0) per row: each class gets about its share of the test set. */
  stratify?: Int32Array;
  /** Names of the class codes, used only in error messages. */
  classNames?: readonly string[];
}

/**
 * Test and train sizes exactly as scikit-learn computes them: a fraction gives
 * n_test = ceil(testSize · n), a count is taken as is; n_train = n − n_test.
 */
export function holdoutSizes(nRows: number, testSize: number): { nTrain: number; nTest: number } {
  if (!Number.isInteger(nRows) || nRows < 2) throw new ParameterError("nRows", "an integer ≥ 2", nRows);
  const expected = `a fraction in (0, 1) or a whole count in [1, ${nRows})`;
  if (!Number.isFinite(testSize) || testSize <= 0) throw new ParameterError("testSize", expected, testSize);
  let nTest: number;
  if (testSize < 1) nTest = Math.ceil(testSize * nRows);
  else if (Number.isInteger(testSize) && testSize < nRows) nTest = testSize;
  else throw new ParameterError("testSize", expected, testSize);
  const nTrain = nRows - nTest;
  if (nTrain === 0) {
    throw new ParameterError("testSize", `small enough to leave a training row out of ${nRows}`, testSize);
  }
  return { nTrain, nTest };
}

/** A (shuffled, optionally stratified) holdout split; both index arrays are ascending. */
export function trainTestSplit(nRows: number, options: TrainTestSplitOptions): Split {
  const { nTrain, nTest } = holdoutSizes(nRows, options.testSize);
  const shuffle = options.shuffle ?? true;
  if (!shuffle) {
    if (options.stratify !== undefined) {
      throw new ParameterError(
        "shuffle",
        "true when stratify is given (a stratified split draws rows at random)",
      );
    }
    return { train: range(0, nTrain), test: range(nTrain, nRows) };
  }
  const rng = new Random(options.seed);
  if (options.stratify !== undefined) return stratifiedSplit(nRows, nTrain, nTest, options, rng);
  const perm = rng.permutation(nRows);
  // Test rows first, like scikit-learn's ShuffleSplit; sorted so that `take` reads memory in order.
  return { train: perm.slice(nTest).sort(), test: perm.slice(0, nTest).sort() };
}

function stratifiedSplit(
  nRows: number,
  nTrain: number,
  nTest: number,
  options: TrainTestSplitOptions,
  rng: Random,
): Split {
  const y = options.stratify as Int32Array;
  if (y.length !== nRows) throw new ParameterError("stratify", `one class code per row (${nRows})`, y.length);
  let nCodes = 0;
  for (let i = 0; i < nRows; i++) {
    if (!(y[i] >= 0)) throw new ParameterError("stratify", `a class code ≥ 0 for every row (row ${i})`, y[i]);
    if (y[i] >= nCodes) nCodes = y[i] + 1;
  }
  const codeCounts = new Int32Array(nCodes);
  for (let i = 0; i < nRows; i++) codeCounts[y[i]]++;
  const classes: number[] = [];
  for (let c = 0; c < nCodes; c++) if (codeCounts[c] > 0) classes.push(c);
  const counts = classes.map((c) => codeCounts[c]);
  const name = (c: number) =>
    options.classNames?.[c] !== undefined ? `"${options.classNames[c]}"` : `code ${c}`;
  classes.forEach((c, k) => {
    if (counts[k] < 2) {
      throw new ParameterError(
        "stratify",
        `at least 2 rows per class for a stratified split (class ${name(c)} has ${counts[k]})`,
      );
    }
  });
  if (nTest < classes.length || nTrain < classes.length) {
    throw new ParameterError(
      "testSize",
      `large enough for one row of each of the ${classes.length} classes in both sets (test ${nTest}, train ${nTrain})`,
      options.testSize,
    );
  }
  // scikit-learn's StratifiedShuffleSplit: allocate the training rows by largest remainder,
  // then the test rows from what is left; the test share of each class is then within one row of exact.
  const trainPer = approximateMode(counts, nTrain, rng);
  const testPer = approximateMode(
    counts.map((c, k) => c - trainPer[k]),
    nTest,
    rng,
  );
  const members = classes.map(() => [] as number[]);
  const slot = new Int32Array(nCodes);
  classes.forEach((c, k) => {
    slot[c] = k;
  });
  for (let i = 0; i < nRows; i++) members[slot[y[i]]].push(i);
  const train = new Int32Array(nTrain);
  const test = new Int32Array(nTest);
  let a = 0;
  let b = 0;
  members.forEach((rows, k) => {
    const perm = rng.shuffle(Int32Array.from(rows));
    for (let j = 0; j < trainPer[k]; j++) train[a++] = perm[j];
    for (let j = 0; j < testPer[k]; j++) test[b++] = perm[trainPer[k] + j];
  });
  return { train: train.sort(), test: test.sort() };
}

/**
 * Draws `nDraws` items from classes of sizes `counts` in proportion: floors of the exact
 * shares, then one more to the largest remainders, ties broken at random (scikit-learn's
 * `_approximate_mode`, same arithmetic order so the same sizes come out).
 */
export function approximateMode(counts: readonly number[], nDraws: number, rng: Random): number[] {
  let total = 0;
  for (const c of counts) total += c;
  const continuous = counts.map((c) => (c / total) * nDraws);
  const floored = continuous.map(Math.floor);
  let needToAdd = nDraws - floored.reduce((s, v) => s + v, 0);
  if (needToAdd > 0) {
    const remainder = continuous.map((v, k) => v - floored[k]);
    const values = [...new Set(remainder)].sort((p, q) => q - p);
    for (const value of values) {
      const inds: number[] = [];
      remainder.forEach((r, k) => {
        if (r === value) inds.push(k);
      });
      const addNow = Math.min(inds.length, needToAdd);
      // partial Fisher–Yates: a uniform choice of addNow classes among the tied ones
      for (let j = 0; j < addNow; j++) {
        const pick = j + rng.int(inds.length - j);
        [inds[j], inds[pick]] = [inds[pick], inds[j]];
        floored[inds[j]]++;
      }
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return floored;
}

export interface TimeOrderedSplitOptions {
  /** A fraction in (0, 1) of the rows, or a whole count in [1, nRows). */
  testSize: number;
}

/**
 * The most recent rows are the test set (no shuffling: the model is judged on the future).
 * Indices come back in time order (ties by row order); rows sharing the boundary time may
 * fall on both sides, since the sizes are kept exact.
 */
export function timeOrderedSplit(times: Float64Array, options: TimeOrderedSplitOptions): Split {
  const n = times.length;
  const { nTrain } = holdoutSizes(n, options.testSize);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(times[i])) {
      throw new ParameterError(
        "times",
        `present for every row of a time-ordered split (row ${i} is missing)`,
      );
    }
  }
  const order = range(0, n).sort((p, q) => times[p] - times[q] || p - q);
  return { train: order.slice(0, nTrain), test: order.slice(nTrain) };
}

/** The train and test rows of `table` (copied). */
export function splitTable(table: Table, split: Split): { train: Table; test: Table } {
  for (const [part, idx] of [
    ["train", split.train],
    ["test", split.test],
  ] as const) {
    for (let i = 0; i < idx.length; i++) {
      if (!(idx[i] >= 0 && idx[i] < table.nRows)) {
        throw new ParameterError(`split.${part}`, `row indices in [0, ${table.nRows})`, idx[i]);
      }
    }
  }
  return { train: table.take(split.train), test: table.take(split.test) };
}

function range(start: number, end: number): Int32Array {
  const out = new Int32Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
