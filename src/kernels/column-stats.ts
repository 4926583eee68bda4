import { kernels, Scratch } from "./loader.js";

/** Moments of a float64 column where NaN marks a missing value. */
export interface ColumnMoments {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
}

/** Column moments on the WebAssembly SIMD kernel. */
export function columnMoments(values: Float64Array): ColumnMoments {
  const k = kernels();
  const scratch = new Scratch(k);
  const ptr = scratch.alloc(values.length * 8);
  const out = scratch.alloc(5 * 8);
  scratch.f64(ptr, values.length).set(values);
  k.exports.columnStats(ptr, values.length, out);
  const [count, min, max, mean, m2] = scratch.f64(out, 5);
  return { count, min, max, mean, m2 };
}

/** The same moments in plain TypeScript: the reference the kernel is tested against. */
export function columnMomentsTs(values: Float64Array): ColumnMoments {
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of values) {
    if (Number.isNaN(x)) continue;
    count++;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = count > 0 ? sum / count : Number.NaN;
  let m2 = 0;
  for (const x of values) if (!Number.isNaN(x)) m2 += (x - mean) * (x - mean);
  if (count === 0) return { count, min: Number.NaN, max: Number.NaN, mean, m2: Number.NaN };
  return { count, min, max, mean, m2 };
}
