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

/** The input's features as finite numeric columns (numeric features are not copied). */
export interface NumericColumns {
  readonly columns: readonly Float64Array[];
  readonly nRows: number;
  readonly names: readonly string[];
  readonly spec: FeatureSpec[];
}

/**
 * The input's features as numeric columns. A categorical feature, a missing value or an
 * infinity (unless `checkFinite` is false: the caller checks) is an InputError naming the feature: clustering is distance-based, so encoding,
 * imputing and scaling are the user's choices (a pipeline), never silent ones here.
 */
export function numericColumns(
  X: Features,
  spec?: readonly FeatureSpec[],
  checkFinite = true,
): NumericColumns {
  const fm = FeatureMatrix.from(X, spec);
  const columns = fm.features.map((_, j) => {
    const col = fm.numericColumn(j);
    if (checkFinite) {
      for (let i = 0; i < col.length; i++) if (col[i] - col[i] !== 0) throw notFinite(fm.names[j], i, col[i]);
    }
    return col;
  });
  return { columns, nRows: fm.nRows, names: fm.names, spec: fm.spec() };
}

/** The InputError for a missing or infinite value of feature `name` at row `row`. */
export function notFinite(name: string, row: number, v: number): InputError {
  const what = Number.isNaN(v) ? "a missing value" : "an infinite value";
  return new InputError(
    `feature "${name}" has ${what} at row ${row}; clustering needs finite numbers (impute or drop it first)`,
    name,
  );
}

/** Columns written row-major into `out` (nRows × nCols; a new array by default). */
export function toRowMajor(
  c: NumericColumns,
  out: Float64Array<ArrayBufferLike> = new Float64Array(c.nRows * c.columns.length),
): Float64Array<ArrayBufferLike> {
  const d = c.columns.length;
  const n = c.nRows;
  // Blocks of rows keep the destination in cache while each column is read sequentially.
  const B = 1024;
  for (let start = 0; start < n; start += B) {
    const end = Math.min(n, start + B);
    for (let j = 0; j < d; j++) {
      const col = c.columns[j];
      for (let i = start; i < end; i++) out[i * d + j] = col[i];
    }
  }
  return out;
}

/** The input as dense numeric rows (see `numericColumns` for what is refused). */
export function denseRows(X: Features, spec?: readonly FeatureSpec[]): DenseRows {
  const c = numericColumns(X, spec);
  const data = new Float64Array(c.nRows * c.columns.length);
  toRowMajor(c, data);
  return { data, nRows: c.nRows, nCols: c.columns.length, names: c.names, spec: c.spec };
}

/** The mean over columns of each column's variance (scikit-learn's scale for `tol`). */
export function meanColumnVariance(c: NumericColumns): number {
  const n = c.nRows;
  if (n === 0 || c.columns.length === 0) return 0;
  let total = 0;
  for (const col of c.columns) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += col[i];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const diff = col[i] - mean;
      v += diff * diff;
    }
    total += v / n;
  }
  return total / c.columns.length;
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
