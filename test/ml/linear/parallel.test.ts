import { describe, expect, it } from "vitest";
import { Random } from "../../../src/data/random.js";
import { type Feature, FeatureMatrix } from "../../../src/ml/features.js";
import { LinearDesign } from "../../../src/ml/linear/design.js";
import { logisticObjective } from "../../../src/ml/linear/logistic-loss.js";
import { parallelLogisticObjective } from "../../../src/ml/linear/logistic-parallel.js";
import { wasmLogisticObjective } from "../../../src/ml/linear/logistic-wasm.js";

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

  it("the WebAssembly kernel (one thread, then two on one shared memory) equals the TypeScript objective", async () => {
    const { X: all, y } = data(3001, 4);
    const X = new FeatureMatrix(all.features.slice(0, 5), all.nRows);
    const design = new LinearDesign(X);
    const yb = y.map((c) => (c === 1 ? 1 : 0));
    const sw = Float64Array.from({ length: 3001 }, (_, i) => 0.25 + (i % 3));
    const rng = new Random(10);
    for (const fitIntercept of [true, false]) {
      const serial = logisticObjective(design, yb, sw, 1, fitIntercept, 0.7);
      const one = wasmLogisticObjective(design, yb, sw, fitIntercept, 0.7, 1);
      const two = wasmLogisticObjective(design, yb, sw, fitIntercept, 0.7, 2);
      if (!one || !two) throw new Error("the kernel should apply to numeric columns");
      const nParams = design.nCols + (fitIntercept ? 1 : 0);
      for (let round = 0; round < 30; round++) {
        const x = Float64Array.from({ length: nParams }, () => rng.normal() * 0.5);
        const gs = [new Float64Array(nParams), new Float64Array(nParams), new Float64Array(nParams)];
        const fs = [await serial(x, gs[0]), await one(x, gs[1]), await two(x, gs[2])];
        for (const t of [1, 2]) {
          expect(Math.abs(fs[t] - fs[0])).toBeLessThan(1e-9 * Math.abs(fs[0]));
          for (let j = 0; j < nParams; j++)
            expect(Math.abs(gs[t][j] - gs[0][j])).toBeLessThan(1e-9 * (1 + Math.abs(gs[0][j])));
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    // Indicator features stay on the TypeScript path.
    expect(wasmLogisticObjective(new LinearDesign(all), yb, sw, true, 0.7, 1)).toBeUndefined();
  }, 30_000);
});
