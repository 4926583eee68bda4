import { InputError } from "../errors.js";
import { selectKth } from "../quickselect.js";

export { sortedPresent } from "../../data/schema.js";

import type { Feature } from "../features.js";

/**
 * Number helpers shared by the transformers, written to reproduce numpy's results (the
 * reference users compare against) to the last bits where the formula allows.
 */

/** A feature as numbers: numeric as is, an indicator densified to 0/1; a categorical one is an error naming it. */
export function numericValues(f: Feature, owner: string): Float64Array {
  if (f.kind === "numeric") return f.values;
  if (f.kind === "indicator") {
    const out = new Float64Array(f.codes.length);
    for (let i = 0; i < out.length; i++) out[i] = f.codes[i] === f.level ? 1 : 0;
    return out;
  }
  throw new InputError(
    `${owner} needs numbers, but feature "${f.name}" is categorical (encode it first, e.g. with OneHotEncoder)`,
    f.name,
  );
}

/** Throws, naming the feature, when it holds ±Infinity (numpy-based tools refuse it as well). */
export function checkFinite(values: Float64Array, name: string, owner: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
      throw new InputError(`${owner}: feature "${name}" holds ${v} at row ${i + 1}`, name);
    }
  }
}

/** Sum of the non-missing values, compensated (Neumaier) so that it is close to exact. */
export function nanSum(values: Float64Array): { sum: number; count: number } {
  let sum = 0;
  let comp = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    count++;
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return { sum: sum + comp, count };
}

/** Mean and population variance ignoring NaN, with scikit-learn's two-pass formula (var with a correction term). */
export function nanMeanVar(values: Float64Array): { mean: number; variance: number; count: number } {
  const { sum, count } = nanSum(values);
  if (count === 0) return { mean: Number.NaN, variance: Number.NaN, count };
  const mean = sum / count;
  let s1 = 0;
  let c1 = 0;
  let s2 = 0;
  let c2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const d = v - mean;
    let t = s1 + d;
    c1 += Math.abs(s1) >= Math.abs(d) ? s1 - t + d : d - t + s1;
    s1 = t;
    const d2 = d * d;
    t = s2 + d2;
    c2 += Math.abs(s2) >= Math.abs(d2) ? s2 - t + d2 : d2 - t + s2;
    s2 = t;
  }
  const correction = s1 + c1;
  const variance = (s2 + c2 - (correction * correction) / count) / count;
  return { mean, variance, count };
}

/** The non-missing values, copied (unsorted), for the order statistics below. */
export function presentValues(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[j++] = values[i];
  return out;
}

/** The smallest value of a[from..). */
function minFrom(a: Float64Array, from: number): number {
  let m = a[from];
  for (let i = from + 1; i < a.length; i++) if (a[i] < m) m = a[i];
  return m;
}

/** numpy's median ((a + b) / 2 for an even count) of present values, which it reorders; NaN when empty. */
export function median(present: Float64Array): number {
  const n = present.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  const upper = selectKth(present, n % 2 === 1 ? mid : mid - 1);
  return n % 2 === 1 ? upper : (upper + minFrom(present, mid)) / 2;
}

/** numpy's percentile (method "linear") of present values, which it reorders; `q` in [0, 100]; NaN when empty. */
export function percentile(present: Float64Array, q: number): number {
  const n = present.length;
  if (n === 0) return Number.NaN;
  const p = q / 100;
  // numpy's _compute_virtual_index with alpha = beta = 1, same operation order.
  const virtual = n * p + (1 + p * (1 - 1 - 1)) - 1;
  const prev = Math.floor(virtual);
  const gamma = virtual - prev;
  // numpy's _get_indexes: beyond either end both neighbours are the end value.
  const iLo = virtual >= n - 1 ? n - 1 : virtual < 0 ? 0 : prev;
  const lo = selectKth(present, iLo);
  const hi = virtual >= n - 1 || virtual < 0 ? lo : minFrom(present, iLo + 1);
  const diff = hi - lo;
  return gamma >= 0.5 ? hi - diff * (1 - gamma) : lo + diff * gamma;
}

/** scikit-learn's _handle_zeros_in_scale: a scale too close to 0 becomes 1. */
export function safeScale(scale: number): number {
  return scale < 10 * Number.EPSILON ? 1 : scale;
}

/** Compares strings by Unicode code point, as Python sorts them (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800–0xDFFF) encode code points above 0xFFFF: they sort after every BMP unit.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
