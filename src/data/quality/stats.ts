import { columnMoments } from "../../kernels/column-stats.js";
import type { CategoricalColumn, Column } from "../column.js";
import { levelCounts, sortedPresent } from "../schema.js";

/** Quantiles reported for numeric columns. */
export const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

export interface Quantiles {
  p1: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
}

export interface NumericSummary {
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (n − 1); null with fewer than 2 values. */
  std: number | null;
  quantiles: Quantiles;
  zeros: number;
}

export interface TopValue {
  value: string;
  count: number;
  /** count / present rows. */
  share: number;
}

export interface CategoricalSummary {
  top: TopValue[];
  /** Mean length of the present values, per row. */
  meanLength: number;
}

export interface DatetimeSummary {
  min: string;
  max: string;
}

/**
 * The p-quantile of sorted values with linear interpolation between order statistics
 * (numpy's default "linear" method): position (n − 1)·p.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Share of present values taken by the most frequent one, from sorted values. */
export function topShareSorted(sorted: Float64Array): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < sorted.length; i++) {
    run = i > 0 && sorted[i] === sorted[i - 1] ? run + 1 : 1;
    if (run > best) best = run;
  }
  return sorted.length > 0 ? best / sorted.length : 0;
}

/** Summary of a numeric column whose sorted present values are `sorted`. */
export function numericSummary(values: Float64Array, sorted: Float64Array): NumericSummary | null {
  if (sorted.length === 0) return null;
  // The WebAssembly kernel gives count/min/max/mean/m2 in one SIMD pass.
  const m = columnMoments(values);
  let zeros = 0;
  for (let i = 0; i < sorted.length; i++) if (sorted[i] === 0) zeros++;
  const q = (p: number) => quantileSorted(sorted, p);
  return {
    min: m.min,
    max: m.max,
    mean: m.mean,
    std: m.count > 1 ? Math.sqrt(m.m2 / (m.count - 1)) : null,
    quantiles: {
      p1: q(0.01),
      p5: q(0.05),
      p25: q(0.25),
      p50: q(0.5),
      p75: q(0.75),
      p95: q(0.95),
      p99: q(0.99),
    },
    zeros,
  };
}

/** Top values (most frequent first, ties by first appearance) and mean length per present row. */
export function categoricalSummary(
  c: CategoricalColumn,
  limit = 5,
): CategoricalSummary & { topShare: number } {
  const counts = levelCounts(c.codes, c.levels.length);
  let present = 0;
  let length = 0;
  for (let l = 0; l < counts.length; l++) {
    present += counts[l];
    length += counts[l] * c.levels[l].length;
  }
  const order = [...counts.keys()]
    .filter((l) => counts[l] > 0)
    .sort((a, b) => counts[b] - counts[a] || a - b);
  const top = order.slice(0, limit).map((l) => ({
    value: c.levels[l],
    count: counts[l],
    share: counts[l] / present,
  }));
  return { top, meanLength: present > 0 ? length / present : 0, topShare: top.length > 0 ? top[0].share : 0 };
}

/** Boolean columns summarised like categoricals ("true"/"false"). */
export function booleanSummary(values: Uint8Array): CategoricalSummary & { topShare: number } {
  let t = 0;
  let f = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 1) t++;
    else if (values[i] === 0) f++;
  }
  const present = t + f;
  const top = (
    [
      { value: "true", count: t },
      { value: "false", count: f },
    ] as const
  )
    .filter((x) => x.count > 0)
    .sort((a, b) => b.count - a.count)
    .map((x) => ({ ...x, share: x.count / present }));
  return { top, meanLength: 0, topShare: top.length > 0 ? top[0].share : 0 };
}

/** Sorted present values of numeric and datetime columns; undefined for the others. */
export function sortedOf(c: Column): Float64Array | undefined {
  return c.kind === "numeric" || c.kind === "datetime" ? sortedPresent(c.values) : undefined;
}
