/**
 * Small helpers shared by the example generators: typed columns from plain arrays,
 * rounding (so the CSVs stay short and readable), and a few distributions.
 */
import { encodeCategorical } from "../../src/data/builder.js";
import type { BooleanColumn, Column, DatetimeColumn, NumericColumn } from "../../src/data/column.js";
import type { Random } from "../../src/data/random.js";

/** A numeric column; NaN is missing. Values are rounded to `decimals` when given. */
export function numeric(name: string, values: readonly number[], decimals?: number): NumericColumn {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    out[i] = decimals === undefined ? values[i] : round(values[i], decimals);
  }
  return { kind: "numeric", name, values: out };
}

/** A text (categorical) column; null is missing. Levels in order of first appearance. */
export function text(name: string, values: readonly (string | null)[]): Column {
  return encodeCategorical(name, values);
}

/** A boolean column; null is missing. */
export function boolean(name: string, values: readonly (boolean | null)[]): BooleanColumn {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] === null ? 255 : values[i] ? 1 : 0;
  return { kind: "boolean", name, values: out };
}

/** A datetime column from epoch milliseconds. */
export function datetime(name: string, ms: readonly number[]): DatetimeColumn {
  return { kind: "datetime", name, values: Float64Array.from(ms) };
}

/** Rounds half away from zero to `decimals` places (negative: to tens, hundreds…); NaN stays NaN. */
export function round(x: number, decimals: number): number {
  if (Number.isNaN(x)) return x;
  // "+ 0" turns -0 into 0 so the CSV never says "-0".
  if (decimals < 0) {
    const step = 10 ** -decimals;
    return Math.sign(x) * Math.round(Math.abs(x) / step) * step + 0;
  }
  const f = 10 ** decimals;
  return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f + 0;
}

export function clip(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Normal with mean `mu` and standard deviation `sd`. */
export function gauss(rng: Random, mu: number, sd: number): number {
  return mu + sd * rng.normal();
}

/** Log-normal with the given median and log-scale spread (right-skewed, like incomes). */
export function logNormal(rng: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}

/** Poisson variate (Knuth's method; fine for the small means used here). */
export function poisson(rng: Random, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** An index drawn with probability proportional to `weights`. */
export function pickWeighted(rng: Random, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[rng.int(items.length)];
}

/**
 * The intercept b such that the mean of sigmoid(logit + b) equals `rate`, so that a
 * Bernoulli draw gives the intended positive share whatever the other coefficients are.
 */
export function calibrateIntercept(logits: readonly number[], rate: number): number {
  let lo = -30;
  let hi = 30;
  for (let iter = 0; iter < 100; iter++) {
    const mid = (lo + hi) / 2;
    let mean = 0;
    for (const z of logits) mean += sigmoid(z + mid);
    mean /= logits.length;
    if (mean < rate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean and (population) standard deviation of the values, for standardizing latents. */
export function standardize(values: readonly number[]): number[] {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let v2 = 0;
  for (const v of values) v2 += (v - mean) ** 2;
  const sd = Math.sqrt(v2 / values.length) || 1;
  return values.map((v) => (v - mean) / sd);
}

/** A seed for one dataset derived from the base seed and the dataset's name (FNV-1a). */
export function deriveSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Zero-padded identifier such as `U0042`. */
export function ident(prefix: string, n: number, width: number): string {
  return prefix + String(n).padStart(width, "0");
}
