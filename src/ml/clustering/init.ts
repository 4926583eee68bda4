import type { Random } from "../../data/random.js";
import { sqDist } from "./distance.js";

/**
 * Greedy k-means++ (Arthur & Vassilvitskii, with the greedy variant scikit-learn uses): each
 * new center is the best of 2 + ⌊ln k⌋ candidates drawn with probability ∝ weight × D², the one
 * that lowers the potential most. Returns k × d centers.
 */
export function kmeansPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Random,
  weights?: Float64Array,
): Float64Array {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const w = (i: number): number => (weights ? weights[i] : 1);
  const first = weightedIndex(rng, n, weights);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(data, i, centers, 0, d);
  }
  const cumsum = new Float64Array(n);
  const cand = new Float64Array(n);
  const best = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += w(i) * closest[i];
      cumsum[i] = acc;
    }
    let bestPot = Number.POSITIVE_INFINITY;
    let bestId = -1;
    for (let t = 0; t < trials; t++) {
      // All points coincide with the centers so far (pot 0): any row will do.
      const id = acc > 0 ? searchSorted(cumsum, rng.next() * acc) : rng.int(n);
      let p = 0;
      for (let i = 0; i < n; i++) {
        const dd = sqDist(data, i, data, id, d);
        const m = dd < closest[i] ? dd : closest[i];
        cand[i] = m;
        p += w(i) * m;
      }
      if (p < bestPot) {
        bestPot = p;
        bestId = id;
        best.set(cand);
      }
    }
    centers.set(data.subarray(bestId * d, bestId * d + d), c * d);
    closest.set(best);
  }
  return centers;
}

/** k distinct rows drawn uniformly (weighted rows: proportionally to weight, like scikit-learn). */
export function randomRows(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Random,
  weights?: Float64Array,
): Float64Array {
  const centers = new Float64Array(k * d);
  let picks: ArrayLike<number>;
  if (!weights) {
    picks = rng.permutation(n).subarray(0, k);
  } else {
    // Weighted sampling without replacement (Efraimidis–Spirakis keys); zero weights last.
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      keys[i] = weights[i] > 0 ? Math.log(rng.next() || Number.MIN_VALUE) / weights[i] : -Infinity;
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
    picks = order.slice(0, k);
  }
  for (let c = 0; c < k; c++) centers.set(data.subarray(picks[c] * d, picks[c] * d + d), c * d);
  return centers;
}

function weightedIndex(rng: Random, n: number, weights?: Float64Array): number {
  if (!weights) return rng.int(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const target = rng.next() * total;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += weights[i];
    if (acc > target && weights[i] > 0) return i;
  }
  for (let i = n - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return 0;
}

/** The first index whose cumulative sum exceeds `x` (clipped to the last index). */
function searchSorted(cumsum: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumsum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumsum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
