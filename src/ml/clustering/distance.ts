/**
 * Distance loops over row-major data (n × d) and centers (k × d). Plain differences, not the
 * ‖x‖² − 2x·c + ‖c‖² expansion: as fast here, and exact for near-duplicate points.
 */

/** Squared distance between row `i` of `a` and row `j` of `b` (both with `d` columns). */
export function sqDist(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  const ai = i * d;
  const bj = j * d;
  for (let t = 0; t < d; t++) {
    const diff = a[ai + t] - b[bj + t];
    s += diff * diff;
  }
  return s;
}

/**
 * Labels each row with its nearest center (the lowest index on a tie) and returns the
 * (weighted) sum of squared distances to it. `minDist`, when given, receives each row's one.
 */
export function assignNearest(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  weights?: Float64Array,
  minDist?: Float64Array,
): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    const off = i * d;
    for (let c = 0; c < k; c++) {
      let s = 0;
      const co = c * d;
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
    if (minDist) minDist[i] = bestD;
    inertia += weights ? weights[i] * bestD : bestD;
  }
  return inertia;
}
