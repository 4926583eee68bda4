import { InputError } from "../errors.js";
import { FeatureMatrix, type FeatureSpec, type Features } from "../features.js";

/** Rows of numbers, row-major (nRows × nCols), as the clustering code works on them. */
export interface DenseRows {
  readonly data: Float64Array;
  readonly nRows: number;
  readonly nCols: number;
  readonly names: readonly string[];
  /** The feature specs of the input (recorded at fit time). */
  readonly spec: FeatureSpec[];
}

/**
 * The input as dense numeric rows. A categorical feature, a missing value or an infinity is an
 * InputError naming the feature: clustering is distance-based, so encoding, imputing and scaling
 * are the user's choices (a pipeline), never silent ones here.
 */
export function denseRows(X: Features, spec?: readonly FeatureSpec[]): DenseRows {
  const fm = FeatureMatrix.from(X, spec);
  const { nRows, nCols } = fm;
  const data = new Float64Array(nRows * nCols);
  for (let j = 0; j < nCols; j++) {
    const col = fm.numericColumn(j);
    for (let i = 0; i < nRows; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) {
        const what = Number.isNaN(v) ? "a missing value" : "an infinite value";
        throw new InputError(
          `feature "${fm.names[j]}" has ${what} at row ${i}; clustering needs finite numbers (impute or drop it first)`,
          fm.names[j],
        );
      }
      data[i * nCols + j] = v;
    }
  }
  return { data, nRows, nCols, names: fm.names, spec: fm.spec() };
}

/** Labels as an Int32Array of length n, checked. */
export function labelArray(labels: ArrayLike<number>, n: number, what = "labels"): Int32Array {
  if (labels.length !== n) {
    throw new InputError(`${what} has ${labels.length} entries, expected one per row (${n})`, what);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!Number.isInteger(v)) throw new InputError(`${what}[${i}] is not an integer (${v})`, what);
    out[i] = v;
  }
  return out;
}

/** Sample weights checked: one finite non-negative weight per row, not all zero. */
export function checkWeights(w: Float64Array | undefined, n: number): Float64Array | undefined {
  if (w === undefined) return undefined;
  if (w.length !== n) {
    throw new InputError(`sampleWeight has ${w.length} entries, expected ${n}`, "sampleWeight");
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i] >= 0) || !Number.isFinite(w[i])) {
      throw new InputError(`sampleWeight[${i}] must be a finite number ≥ 0, got ${w[i]}`, "sampleWeight");
    }
    total += w[i];
  }
  if (!(total > 0)) throw new InputError("sampleWeight sums to 0", "sampleWeight");
  return w;
}
