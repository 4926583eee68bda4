import { ParameterError } from "../errors.js";
import { checkNSplits, type Split, type SplitInput, type Splitter } from "./splitter.js";

export interface TimeSeriesSplitOptions {
  /** Default 5. */
  readonly nSplits?: number;
  /** Rows of each test set; default ⌊n / (nSplits + 1)⌋. */
  readonly testSize?: number;
  /** Rows left out between the end of training and the test set (default 0). */
  readonly gap?: number;
  /** Keep only the latest rows of training when there are more (default: all). */
  readonly maxTrainSize?: number;
}

/**
 * Forward-chaining splits of rows already in time order: each test set follows its training
 * rows (after `gap` rows), the training set grows (or slides, with maxTrainSize). Not random;
 * scikit-learn 1.2's TimeSeriesSplit exactly.
 */
export class TimeSeriesSplit implements Splitter {
  readonly nSplits: number;
  readonly gap: number;
  readonly testSize: number | undefined;
  readonly maxTrainSize: number | undefined;
  readonly name: string;

  constructor(options: TimeSeriesSplitOptions = {}) {
    this.nSplits = options.nSplits ?? 5;
    checkNSplits("TimeSeriesSplit", this.nSplits);
    this.gap = options.gap ?? 0;
    if (!Number.isInteger(this.gap) || this.gap < 0) {
      throw new ParameterError("TimeSeriesSplit.gap", "an integer ≥ 0", this.gap);
    }
    this.testSize = options.testSize;
    if (this.testSize !== undefined && (!Number.isInteger(this.testSize) || this.testSize < 1)) {
      throw new ParameterError("TimeSeriesSplit.testSize", "an integer ≥ 1", this.testSize);
    }
    this.maxTrainSize = options.maxTrainSize;
    if (this.maxTrainSize !== undefined && (!Number.isInteger(this.maxTrainSize) || this.maxTrainSize < 1)) {
      throw new ParameterError("TimeSeriesSplit.maxTrainSize", "an integer ≥ 1", this.maxTrainSize);
    }
    this.name = `TimeSeriesSplit(${this.nSplits}${this.gap ? `, gap ${this.gap}` : ""}${this.maxTrainSize ? `, max train ${this.maxTrainSize}` : ""})`;
  }

  split(input: SplitInput): Split[] {
    const n = input.nRows;
    const k = this.nSplits;
    if (n < k + 1) {
      throw new ParameterError("TimeSeriesSplit.nSplits", `less than the number of rows (${n})`, k);
    }
    const testSize = this.testSize ?? Math.floor(n / (k + 1));
    if (n - this.gap - testSize * k <= 0) {
      throw new ParameterError(
        "TimeSeriesSplit.nSplits",
        `small enough that ${k} test sets of ${testSize} rows and a gap of ${this.gap} leave training rows out of ${n}`,
        k,
      );
    }
    const out: Split[] = [];
    for (let testStart = n - k * testSize; testStart < n; testStart += testSize) {
      const trainEnd = testStart - this.gap;
      const trainStart =
        this.maxTrainSize !== undefined && this.maxTrainSize < trainEnd ? trainEnd - this.maxTrainSize : 0;
      out.push({
        train: range(trainStart, trainEnd),
        test: range(testStart, Math.min(n, testStart + testSize)),
      });
    }
    return out;
  }
}

function range(start: number, end: number): Int32Array {
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
