import { inertiaOf } from "./distance.js";
import { averageCenters, type RunInput, type RunResult, relocateEmpty, sameLabels } from "./step.js";

/**
 * Elkan's k-means: the same iterations (and result) as Lloyd's, but the triangle inequality
 * skips most distance computations. Each row keeps an upper bound on the distance to its center
 * and a lower bound on the distance to every other center (n × k); a center is examined only
 * when the bounds cannot rule it out.
 */
export async function elkan(input: RunInput): Promise<RunResult> {
  const { data, n, d, k, weights, maxIter, tol } = input;
  let centers = Float64Array.from(input.init);
  let next = new Float64Array(k * d);
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  const shift = new Float64Array(k);
  const half = new Float64Array(k * k);
  const nextHalf = new Float64Array(k);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  const labels = new Int32Array(n);
  const old = new Int32Array(n);
  halfDistances(centers, k, d, half, nextHalf);
  initBounds(data, n, d, centers, k, half, labels, upper, lower);
  let strict = false;
  let converged = false;
  let iter = 0;
  for (; iter < maxIter; ) {
    await input.between?.(iter);
    old.set(labels);
    elkanStep(data, n, d, centers, k, weights, half, nextHalf, labels, upper, lower, sums, mass);
    relocateEmpty(data, n, d, k, centers, labels, weights, sums, mass);
    const total = averageCenters(sums, mass, centers, next, shift, k, d);
    // Moving centers loosen the bounds by at most their shifts.
    for (let i = 0; i < n; i++) {
      upper[i] += shift[labels[i]];
      const lo = i * k;
      for (let c = 0; c < k; c++) {
        const v = lower[lo + c] - shift[c];
        lower[lo + c] = v > 0 ? v : 0;
      }
    }
    halfDistances(next, k, d, half, nextHalf);
    [centers, next] = [next, centers];
    iter++;
    // The first step compares with the labels of the initial bounds pass (scikit-learn compares
    // with "no labels" there, so it never stops at once; neither does this: see `old` below).
    if (iter > 1 && sameLabels(labels, old)) {
      strict = true;
      converged = true;
      break;
    }
    if (total <= tol) {
      converged = true;
      break;
    }
  }
  if (!strict) {
    elkanStep(data, n, d, centers, k, weights, half, nextHalf, labels, upper, lower, sums, mass);
  }
  return {
    centers,
    labels,
    inertia: inertiaOf(data, n, d, centers, labels, weights),
    nIter: iter,
    converged,
  };
}

function dist(data: Float64Array, off: number, centers: Float64Array, co: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = data[off + t] - centers[co + t];
    s += diff * diff;
  }
  return Math.sqrt(s);
}

/** Half the distance between every two centers, and each center's nearest such half distance. */
function halfDistances(
  centers: Float64Array,
  k: number,
  d: number,
  half: Float64Array,
  nextHalf: Float64Array,
) {
  nextHalf.fill(Number.POSITIVE_INFINITY);
  for (let a = 0; a < k; a++) {
    half[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      const h = dist(centers, a * d, centers, b * d, d) / 2;
      half[a * k + b] = h;
      half[b * k + a] = h;
      if (h < nextHalf[a]) nextHalf[a] = h;
      if (h < nextHalf[b]) nextHalf[b] = h;
    }
  }
  if (k === 1) nextHalf[0] = Number.POSITIVE_INFINITY;
}

/** First labels and bounds: a center is measured only when it could be nearer than the best so far. */
function initBounds(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  half: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const off = i * d;
    let best = 0;
    let min = dist(data, off, centers, 0, d);
    lower[i * k] = min;
    for (let c = 1; c < k; c++) {
      if (min > half[best * k + c]) {
        const v = dist(data, off, centers, c * d, d);
        lower[i * k + c] = v;
        if (v < min) {
          min = v;
          best = c;
        }
      }
    }
    labels[i] = best;
    upper[i] = min;
  }
}

/** One labelling pass under the bounds, accumulating the clusters' weighted sums and masses. */
function elkanStep(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  weights: Float64Array | undefined,
  half: Float64Array,
  nextHalf: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  mass: Float64Array,
): void {
  sums.fill(0);
  mass.fill(0);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    const lo = i * k;
    let label = labels[i];
    let ub = upper[i];
    if (ub > nextHalf[label]) {
      let tight = false;
      for (let c = 0; c < k; c++) {
        if (c === label || ub <= lower[lo + c] || ub <= half[label * k + c]) continue;
        if (!tight) {
          ub = dist(data, off, centers, label * d, d);
          lower[lo + label] = ub;
          tight = true;
          if (ub <= lower[lo + c] || ub <= half[label * k + c]) continue;
        }
        const v = dist(data, off, centers, c * d, d);
        lower[lo + c] = v;
        if (v < ub) {
          label = c;
          ub = v;
        }
      }
      labels[i] = label;
      upper[i] = ub;
    }
    const w = weights ? weights[i] : 1;
    mass[label] += w;
    const bo = label * d;
    for (let t = 0; t < d; t++) sums[bo + t] += data[off + t] * w;
  }
}
