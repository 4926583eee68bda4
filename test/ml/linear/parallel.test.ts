import { describe, expect, it } from "vitest";
import { Random } from "../../../src/data/random.js";
import { type Feature, FeatureMatrix } from "../../../src/ml/features.js";
import { LinearDesign } from "../../../src/ml/linear/design.js";
import { logisticObjective } from "../../../src/ml/linear/logistic-loss.js";
import { parallelLogisticObjective } from "../../../src/ml/linear/logistic-parallel.js";

/** Numeric columns plus a one-hot group with missing codes, and 3-class labels. */
function data(n: number, seed: number): { X: FeatureMatrix; y: Int32Array } {
  const rng = new Random(seed);
  const features: Feature[] = Array.from({ length: 5 }, (_, j) => ({
    kind: "numeric",
    name: `x${j}`,
    values: Float64Array.from({ length: n }, () => rng.normal()),
  }));
  const codes = Int32Array.from({ length: n }, () => (rng.next() < 0.1 ? -1 : rng.int(6)));
  for (let l = 0; l < 5; l++) features.push({ kind: "indicator", name: `c_${l}`, codes, level: l });
  const y = Int32Array.from({ length: n }, () => rng.int(3));
  return { X: new FeatureMatrix(features, n), y };
}

describe("the logistic objective on worker threads", () => {
  it("equals the single-thread objective, binary and multinomial, once the workers are ready", async () => {
    const { X, y } = data(5000, 3);
    const design = new LinearDesign(X);
    const sw = Float64Array.from({ length: 5000 }, (_, i) => 0.5 + (i % 4));
    const rng = new Random(9);
    for (const k of [1, 3]) {
      const yk = k === 1 ? y.map((c) => (c === 2 ? 1 : 0)) : y;
      const serial = logisticObjective(design, yk, sw, k, true, 0.3);
      const parallel = parallelLogisticObjective(design, yk, sw, k, true, 0.3, 2);
      const nParams = k * design.nCols + k;
      // The first evaluations run on this thread while the worker starts; keep going until it has.
      for (let round = 0; round < 40; round++) {
        const x = Float64Array.from({ length: nParams }, () => rng.normal() * 0.3);
        const g1 = new Float64Array(nParams);
        const g2 = new Float64Array(nParams);
        const f1 = await serial(x, g1);
        const f2 = await parallel(x, g2);
        expect(Math.abs(f1 - f2)).toBeLessThan(1e-9 * Math.abs(f1));
        for (let j = 0; j < nParams; j++)
          expect(Math.abs(g1[j] - g2[j])).toBeLessThan(1e-9 * (1 + Math.abs(g1[j])));
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }, 30_000);
});
