import { sqDist } from "./distance.js";

/**
 * Gives each empty cluster the row farthest from its own (old) center, as scikit-learn does, so
 * that k clusters stay k: the row's weighted coordinates move from its cluster's sum to the empty
 * one's. `sums` are weighted coordinate sums per cluster, `mass` their weights.
 */
export function relocateEmpty(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  oldCenters: Float64Array,
  labels: Int32Array,
  weights: Float64Array | undefined,
  sums: Float64Array,
  mass: Float64Array,
): void {
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (mass[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const far = farthestRows(data, n, d, oldCenters, labels, empty.length);
  for (let e = 0; e < empty.length && e < far.length; e++) {
    const row = far[e];
    const to = empty[e];
    const from = labels[row];
    const w = weights ? weights[row] : 1;
    for (let t = 0; t < d; t++) {
      sums[from * d + t] -= data[row * d + t] * w;
      sums[to * d + t] = data[row * d + t] * w;
    }
    mass[to] = w;
    mass[from] -= w;
  }
}

/** The `m` rows farthest from their labelled center, farthest first. */
function farthestRows(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  labels: Int32Array,
  m: number,
): number[] {
  const top: { i: number; v: number }[] = [];
  for (let i = 0; i < n; i++) {
    const v = sqDist(data, i, centers, labels[i], d);
    if (top.length < m || v > top[top.length - 1].v) {
      top.push({ i, v });
      top.sort((a, b) => b.v - a.v || a.i - b.i);
      if (top.length > m) top.pop();
    }
  }
  return top.map((t) => t.i);
}

/**
 * Divides the sums by the masses into `next` (a cluster with no mass keeps its old center) and
 * writes each center's shift (Euclidean distance moved) into `shift`. Returns Σ shift².
 */
export function averageCenters(
  sums: Float64Array,
  mass: Float64Array,
  old: Float64Array,
  next: Float64Array,
  shift: Float64Array,
  k: number,
  d: number,
): number {
  let total = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = mass[c] > 0 ? sums[c * d + t] / mass[c] : old[c * d + t];
      next[c * d + t] = v;
      const diff = v - old[c * d + t];
      s += diff * diff;
    }
    shift[c] = Math.sqrt(s);
    total += s;
  }
  return total;
}

export function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
