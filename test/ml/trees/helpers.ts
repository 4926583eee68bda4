import { Random } from "../../../src/data/random.js";
import { type Feature, FeatureMatrix } from "../../../src/ml/features.js";

/** A deterministic classification set: numeric features, one with missing values, one categorical. */
export function synthetic(n: number, seed: number, classes = 2): { X: FeatureMatrix; y: number[] } {
  const rng = new Random(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const codes = new Int32Array(n);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    a[i] = rng.normal();
    b[i] = rng.normal();
    c[i] = rng.next() < 0.2 ? Number.NaN : rng.normal();
    codes[i] = rng.next() < 0.05 ? -1 : rng.int(5);
    const s =
      a[i] + 0.5 * b[i] + (codes[i] === 2 || codes[i] === 4 ? 1.5 : 0) + (Number.isNaN(c[i]) ? -1 : 0);
    const noisy = s + 0.3 * rng.normal();
    y.push(classes === 2 ? (noisy > 0.5 ? 1 : 0) : Math.min(classes - 1, Math.max(0, Math.floor(noisy + 1))));
  }
  const features: Feature[] = [
    { kind: "numeric", name: "a", values: a },
    { kind: "numeric", name: "b", values: b },
    { kind: "numeric", name: "c", values: c },
    { kind: "categorical", name: "cat", codes, levels: ["p", "q", "r", "s", "t"] },
  ];
  return { X: new FeatureMatrix(features, n), y };
}

export function accuracy(pred: readonly unknown[], truth: readonly unknown[]): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) ok++;
  return ok / pred.length;
}

export function numericMatrix(cols: Float64Array[]): FeatureMatrix {
  return new FeatureMatrix(
    cols.map((values, j) => ({ kind: "numeric" as const, name: `x${j}`, values })),
    cols[0].length,
  );
}
