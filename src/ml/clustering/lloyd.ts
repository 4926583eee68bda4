import { inertiaOf } from "./distance.js";
import { averageCenters, type RunInput, type RunResult, relocateEmpty, sameLabels } from "./step.js";

/**
 * Lloyd's k-means from `init`: label every row with its nearest center, move each center to its
 * rows' (weighted) mean, until the labels stop changing, the centers move less than `tol` in
 * total (Σ squared shifts), or `maxIter` iterations — scikit-learn's stopping rules, so that the
 * same start gives the same result.
 */
export async function lloyd(input: RunInput): Promise<RunResult> {
  const { data, n, d, k, weights, maxIter, tol } = input;
  let centers = Float64Array.from(input.init);
  let next = new Float64Array(k * d);
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  const shift = new Float64Array(k);
  let labels = new Int32Array(n).fill(-1);
  let old = new Int32Array(n).fill(-1);
  let strict = false;
  let converged = false;
  let iter = 0;
  for (; iter < maxIter; ) {
    await input.between?.(iter);
    assignAndSum(data, n, d, centers, k, labels, weights, sums, mass);
    relocateEmpty(data, n, d, k, centers, labels, weights, sums, mass);
    const total = averageCenters(sums, mass, centers, next, shift, k, d);
    [centers, next] = [next, centers];
    iter++;
    if (sameLabels(labels, old)) {
      strict = true;
      converged = true;
      break;
    }
    if (total <= tol) {
      converged = true;
      break;
    }
    [labels, old] = [old, labels];
  }
  if (!strict) {
    // The labels must belong to the final centers.
    assignAndSum(data, n, d, centers, k, labels, weights, sums, mass);
  }
  return {
    centers,
    labels,
    inertia: inertiaOf(data, n, d, centers, labels, weights),
    nIter: iter,
    converged,
  };
}

/** Labels each row with its nearest center and accumulates the clusters' weighted sums and masses. */
function assignAndSum(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  weights: Float64Array | undefined,
  sums: Float64Array,
  mass: Float64Array,
): void {
  sums.fill(0);
  mass.fill(0);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const co = c * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[off + t] - centers[co + t];
        s += diff * diff;
      }
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    labels[i] = best;
    const w = weights ? weights[i] : 1;
    mass[best] += w;
    const bo = best * d;
    for (let t = 0; t < d; t++) sums[bo + t] += data[off + t] * w;
  }
}
