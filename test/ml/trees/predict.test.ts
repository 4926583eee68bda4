import { describe, expect, it } from "vitest";
import { Random } from "../../../src/data/random.js";
import { FeatureMatrix } from "../../../src/ml/features.js";
import { Forest, predictColumns, rowLevels } from "../../../src/ml/trees/forest.js";
import {
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
} from "../../../src/ml/trees/index.js";
import { numericMatrix, synthetic } from "./helpers.js";

describe("batch prediction", () => {
  it("gives every row the single-row path's numbers, on one thread or two", async () => {
    const rng = new Random(9);
    const n = 12_000;
    const X = numericMatrix([0, 1, 2].map(() => Float64Array.from({ length: n }, () => rng.normal())));
    const cols = predictColumns(X);
    for (let i = 0; i < n; i += 17) cols[1][i] = Number.NaN;
    const y = Float64Array.from({ length: n }, (_, i) => cols[0][i] * cols[2][i] + rng.normal());
    const small = (
      await new GradientBoostingRegressor({ nEstimators: 10 }).fit(
        X.take(Int32Array.from({ length: 3000 }, (_, i) => i)),
        y.subarray(0, 3000),
      )
    ).toParts();
    const arr = small.arrays;
    const a = {
      treeStart: arr.treeStart as Int32Array,
      feature: arr.feature as Int32Array,
      threshold: arr.threshold as Float64Array,
      left: arr.left as Int32Array,
      right: arr.right as Int32Array,
      missingLeft: arr.missingLeft as Uint8Array,
      catStart: arr.catStart as Int32Array,
      catBits: arr.catBits as Uint32Array,
      leafValues: arr.leafValues as Float64Array,
    };
    // The same ten trees repeated 200 times: 2,000 trees × 12,000 rows is enough for two threads.
    const copies = 200;
    const nodes = a.feature.length;
    const leaves = a.leafValues.length;
    const rep = <T extends Int32Array | Float64Array | Uint8Array>(
      v: T,
      shift: (x: number, k: number) => number,
    ): T => {
      const out = new (v.constructor as new (n: number) => T)(v.length * copies);
      for (let k = 0; k < copies; k++)
        for (let i = 0; i < v.length; i++) out[k * v.length + i] = shift(v[i], k);
      return out;
    };
    const treeStart = new Int32Array(10 * copies + 1);
    for (let t = 0; t <= 10 * copies; t++) treeStart[t] = Math.floor(t / 10) * nodes + a.treeStart[t % 10];
    treeStart[10 * copies] = nodes * copies;
    const feature = rep(a.feature, (x) => x);
    const forest = Forest.fromArrays(
      {
        treeStart,
        feature,
        threshold: rep(a.threshold, (x) => x),
        left: Int32Array.from(
          rep(a.left, (x) => x),
          (x, i) => (feature[i] < 0 ? x + Math.floor(i / nodes) * leaves : x + Math.floor(i / nodes) * nodes),
        ),
        right: Int32Array.from(
          rep(a.right, (x) => x),
          (x, i) => (feature[i] < 0 ? x : x + Math.floor(i / nodes) * nodes),
        ),
        missingLeft: rep(a.missingLeft, (x) => x),
        catStart: rep(a.catStart, (x) => x),
        catBits: a.catBits,
        leafValues: rep(a.leafValues, (x) => x),
      },
      small.features,
      1,
      1,
    );
    const batch = new Float64Array(n);
    forest.addInto(cols, n, batch);
    const row = new Float64Array(3);
    const one = new Float64Array(1);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 3; j++) row[j] = cols[j][i];
      one[0] = 0;
      forest.addRowInto(row, one, rowLevels(small.features));
      expect(batch[i]).toBe(one[0]);
    }
  });

  it("predicts one row as the batch does: categoricals, missing values, codes the trees never saw", async () => {
    const { X, y } = synthetic(3000, 21, 3);
    const rng = new Random(4);
    // 13 trees (not a multiple of the eight walked together) and 3 × 7 boosted trees.
    const models = [
      await new RandomForestClassifier({ nEstimators: 13, randomState: 1 }).fit(X, y),
      await new GradientBoostingClassifier({ nEstimators: 7, randomState: 1 }).fit(X, y),
    ];
    const n = 400;
    const a = Float64Array.from({ length: n }, () => rng.normal());
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const c = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? Number.NaN : rng.normal()));
    // Codes past the five levels, negative, fractional or huge are unseen levels: missing.
    const odd = [-1, 5, 31, 32, 1000, 1e300, -1e300, 2.5, Number.NaN];
    const raw = Float64Array.from({ length: n }, (_, i) =>
      i % 3 === 0 ? odd[(i / 3) % odd.length] : rng.int(5),
    );
    const codes = Int32Array.from(raw, (v) => (Number.isInteger(v) && v >= 0 && v < 5 ? v : -1));
    const M = new FeatureMatrix(
      [
        { kind: "numeric", name: "a", values: a },
        { kind: "numeric", name: "b", values: b },
        { kind: "numeric", name: "c", values: c },
        { kind: "categorical", name: "cat", codes, levels: ["p", "q", "r", "s", "t"] },
      ],
      n,
    );
    for (const m of models) {
      const batch = m.predictProba(M);
      const out = new Float64Array(3);
      for (let i = 0; i < n; i++) {
        m.predictProbaRow([a[i], b[i], c[i], raw[i]], out);
        expect(Array.from(out), `row ${i}, code ${raw[i]}`).toEqual(
          Array.from(batch.subarray(3 * i, 3 * i + 3)),
        );
      }
    }
  });
});
