import type { Random } from "../../data/random.js";

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
