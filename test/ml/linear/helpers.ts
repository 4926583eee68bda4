import { Random } from "../../../src/data/random.js";
import { type Feature, FeatureMatrix } from "../../../src/ml/features.js";

/** A seeded numeric FeatureMatrix n × d of standard normals and its row-major copy. */
export function randomMatrix(seed: number, n: number, d: number): { X: FeatureMatrix; rows: number[][] } {
  const rng = new Random(seed);
  const cols = Array.from({ length: d }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) cols[j][i] = rng.normal();
  const features: Feature[] = cols.map((values, j) => ({ kind: "numeric", name: `x${j}`, values }));
  const rows = Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
  return { X: new FeatureMatrix(features, n), rows };
}

/** y = X·w + noise for w = (1, −2, 3, …). */
export function linearTarget(rows: number[][], seed: number, noise = 0.5): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from(
    rows,
    (r) => r.reduce((s, v, j) => s + v * (j % 2 ? -(j + 1) : j + 1), 0) + noise * rng.normal(),
  );
}

/** Labels 0..k−1 from a noisy linear score per class. */
export function classTarget(rows: number[][], k: number, seed: number): number[] {
  const rng = new Random(seed);
  return rows.map((r) => {
    let best = 0;
    let bestS = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const s = r.reduce((a, v, j) => a + v * Math.sin(1 + c * 3 + j), 0) + rng.normal();
      if (s > bestS) {
        bestS = s;
        best = c;
      }
    }
    return best;
  });
}

/** Rows repeated: each row twice (for the "duplicate with half weight" invariant). */
export function doubled(X: FeatureMatrix): FeatureMatrix {
  const idx = Int32Array.from({ length: 2 * X.nRows }, (_, i) => i % X.nRows);
  return X.take(idx);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
