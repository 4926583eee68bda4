import type { Column } from "./column.js";
import { DataLoadError } from "./errors.js";
import { Random } from "./random.js";
import type { Table } from "./table.js";

export interface SampleOptions {
  /** Rows to draw; give this or `fraction`. */
  n?: number;
  /** Share of the rows to draw (n = round(fraction · rows)); above 1 only with `replace`. */
  fraction?: number;
  seed: number;
  /** Column whose class proportions the sample keeps (missing values form their own stratum). */
  stratify?: string;
  /** Draw with replacement (a bootstrap sample); default false. */
  replace?: boolean;
  /** Return rows in random order; default false (original order, duplicates adjacent). */
  shuffle?: boolean;
}

/** A seeded random sample of rows: the same seed gives the same rows. */
export function sampleRows(table: Table, options: SampleOptions): Table {
  return table.take(sampleIndices(table, options));
}

/** The row indices `sampleRows` takes. */
export function sampleIndices(table: Table, options: SampleOptions): Int32Array {
  const N = table.nRows;
  const replace = options.replace ?? false;
  const n = sampleSize(N, options, replace);
  const rng = new Random(options.seed);
  let out: Int32Array;
  if (options.stratify === undefined) {
    out = drawFrom(
      Int32Array.from({ length: N }, (_, i) => i),
      n,
      replace,
      rng,
    );
  } else {
    const strata = strataOf(table.column(options.stratify));
    const sizes = largestRemainder(
      strata.map((s) => s.length),
      n,
    );
    out = new Int32Array(n);
    let k = 0;
    strata.forEach((rows, s) => {
      out.set(drawFrom(rows, sizes[s], replace, rng), k);
      k += sizes[s];
    });
  }
  return options.shuffle ? rng.shuffle(out) : out.sort();
}

function sampleSize(N: number, options: SampleOptions, replace: boolean): number {
  const { n, fraction } = options;
  if ((n === undefined) === (fraction === undefined)) {
    throw new DataLoadError("sampling needs exactly one of n and fraction", { field: "n" });
  }
  let size: number;
  if (n !== undefined) {
    if (!Number.isInteger(n) || n < 0)
      throw new DataLoadError(`n must be a whole number ≥ 0, got ${n}`, { field: "n" });
    size = n;
  } else {
    const f = fraction as number;
    if (!(f >= 0) || !Number.isFinite(f) || (!replace && f > 1)) {
      throw new DataLoadError(
        `fraction must be in [0, 1]${replace ? " or above with replace" : ""}, got ${f}`,
        {
          field: "fraction",
        },
      );
    }
    size = Math.round(f * N);
  }
  if (!replace && size > N) {
    throw new DataLoadError(`cannot draw ${size} rows from ${N} without replacement`, { field: "n" });
  }
  if (replace && size > 0 && N === 0)
    throw new DataLoadError("cannot sample from an empty table", { field: "n" });
  return size;
}

/** `k` of `rows`: a partial Fisher–Yates shuffle, or uniform draws with replacement. */
function drawFrom(rows: Int32Array, k: number, replace: boolean, rng: Random): Int32Array {
  if (replace) {
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) out[i] = rows[rng.int(rows.length)];
    return out;
  }
  const a = rows.slice();
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a.subarray(0, k);
}

/** Row indices per distinct value, strata in order of first appearance; missing rows last. */
function strataOf(col: Column): Int32Array[] {
  const groups = new Map<number, number[]>();
  const missing: number[] = [];
  const n = col.kind === "categorical" ? col.codes.length : col.values.length;
  for (let i = 0; i < n; i++) {
    const key = col.kind === "categorical" ? col.codes[i] : col.values[i];
    if (col.kind === "categorical" ? key < 0 : col.kind === "boolean" ? key > 1 : Number.isNaN(key)) {
      missing.push(i);
      continue;
    }
    let g = groups.get(key);
    if (g === undefined) {
      g = [];
      groups.set(key, g);
    }
    g.push(i);
  }
  const out = [...groups.values()].map((g) => Int32Array.from(g));
  if (missing.length > 0) out.push(Int32Array.from(missing));
  return out;
}

/**
 * Splits `n` among groups in proportion to `sizes` (largest remainder / Hamilton): floors of
 * the exact shares, then one more each to the largest remainders (ties: the larger group,
 * then the earlier one), so every group is within one row of its exact share.
 */
export function largestRemainder(sizes: readonly number[], n: number): number[] {
  const total = sizes.reduce((s, v) => s + v, 0);
  if (total === 0) return sizes.map(() => 0);
  const exact = sizes.map((s) => (s * n) / total);
  const out = exact.map(Math.floor);
  let left = n - out.reduce((s, v) => s + v, 0);
  const order = sizes
    .map((_, i) => i)
    .sort((a, b) => exact[b] - out[b] - (exact[a] - out[a]) || sizes[b] - sizes[a] || a - b);
  for (const i of order) {
    if (left === 0) break;
    out[i]++;
    left--;
  }
  return out;
}
