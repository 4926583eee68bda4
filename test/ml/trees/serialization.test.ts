import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimatorFromParts } from "../../../src/ml/catalog.js";
import { ModelFormatError } from "../../../src/ml/errors.js";
import type { AnyEstimator, ModelParts, SectionArray } from "../../../src/ml/estimator.js";
import { decodeModel, encodeModel } from "../../../src/ml/model-file.js";
import {
  DecisionTreeRegressor,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../../src/ml/trees/index.js";
import { synthetic } from "./helpers.js";

const data = synthetic(800, 11, 3);
const binary = synthetic(800, 12, 2);

async function fitted(): Promise<AnyEstimator[]> {
  const yr = Float64Array.from(data.y, (v, i) => v + (i % 5) * 0.1);
  return [
    await new RandomForestClassifier({ nEstimators: 8 }).fit(data.X, data.y),
    await new GradientBoostingClassifier({ nEstimators: 8 }).fit(data.X, data.y),
    await new GradientBoostingClassifier({ nEstimators: 8, earlyStoppingRounds: 3 }).fit(binary.X, binary.y),
    await new RandomForestRegressor({ nEstimators: 5, oobScore: true }).fit(data.X, yr),
    await new GradientBoostingRegressor({ nEstimators: 8, loss: "huber" }).fit(data.X, yr),
    await new DecisionTreeRegressor({ maxDepth: 6 }).fit(data.X, yr),
  ];
}

function outputs(m: AnyEstimator): Float64Array {
  if (m.task === "classification") return m.predictProba(data.X);
  if (m.task === "regression") return m.predict(data.X);
  throw new Error("unexpected");
}

function put(a: SectionArray, i: number, v: number): SectionArray {
  a[i] = v;
  return a;
}

describe("tree model files", () => {
  it("load(save(m)) predicts bit for bit as m, on batches and single rows", async () => {
    for (const m of await fitted()) {
      const decoded = decodeModel(encodeModel(m.toParts()));
      const back = estimatorFromParts(decoded.parts);
      expect(back.kind).toBe(m.kind);
      expect(Array.from(outputs(back))).toEqual(Array.from(outputs(m)));
      // Single-row path: the same numbers as the batch for every row.
      const cols = data.X.features.map((f) =>
        f.kind === "numeric" ? f.values : Float64Array.from(f.codes, (c) => (c < 0 ? Number.NaN : c)),
      );
      const batch = outputs(back);
      const row = new Float64Array(cols.length);
      const k = back.task === "classification" ? back.classes.length : 1;
      const out = new Float64Array(k);
      for (let i = 0; i < 50; i++) {
        for (let j = 0; j < cols.length; j++) row[j] = cols[j][i];
        if (back.task === "classification") {
          (
            back as unknown as { predictProbaRow(r: Float64Array, o: Float64Array): Float64Array }
          ).predictProbaRow(row, out);
          for (let c = 0; c < k; c++) expect(out[c], `${back.kind} row ${i}`).toBe(batch[i * k + c]);
        } else {
          const v = (back as unknown as { predictRow(r: Float64Array): number }).predictRow(row);
          expect(v).toBe(batch[i]);
        }
      }
    }
  });

  it("refuses hostile node arrays with a ModelFormatError", async () => {
    const [rf] = await fitted();
    const parts = rf.toParts();
    const withArray = (name: string, edit: (a: SectionArray) => SectionArray): ModelParts => ({
      ...parts,
      arrays: { ...parts.arrays, [name]: edit(parts.arrays[name].slice()) },
    });
    const firstInternal = Array.from(parts.arrays.feature).findIndex((f) => f >= 0);
    const cases: ModelParts[] = [
      withArray("left", (a) => put(a, firstInternal, firstInternal)), // a cycle
      withArray("right", (a) => put(a, firstInternal, 10_000_000)),
      withArray("feature", (a) => put(a, firstInternal, 99)),
      withArray("leafValues", (a) => a.subarray(1)),
      withArray("leafValues", (a) => put(a, 0, Number.NaN)),
      withArray("treeStart", (a) => put(a, 1, a[1] + 1_000_000)),
      withArray("threshold", (a) => a.subarray(0, 3)),
      withArray("missingLeft", (a) => put(a, firstInternal, 7)),
      withArray("importanceGain", (a) => a.subarray(1)),
      { ...parts, arrays: { ...parts.arrays, left: new Float64Array(parts.arrays.left.length) } },
      { ...parts, state: { ...parts.state, classes: ["x"] } },
      { ...parts, state: { ...parts.state, leafWidth: 0 } },
      { ...parts, params: { ...parts.params, nEstimators: -3 } },
      { ...parts, features: [] },
    ];
    for (const c of cases) expect(() => estimatorFromParts(c)).toThrow(ModelFormatError);
  });

  it("never crashes or loops on randomly corrupted node arrays", async () => {
    const models = await fitted();
    const names = ["feature", "left", "right", "catStart", "treeStart"];
    await fc.assert(
      fc.property(
        fc.integer({ min: 0, max: models.length - 1 }),
        fc.constantFrom(...names),
        fc.nat(),
        fc.integer({ min: -5, max: 3000 }),
        (mi, name, pos, value) => {
          const parts = models[mi].toParts();
          const a = parts.arrays[name].slice() as Int32Array;
          a[pos % a.length] = value;
          let m: AnyEstimator;
          try {
            m = estimatorFromParts({ ...parts, arrays: { ...parts.arrays, [name]: a } });
          } catch (e) {
            expect(e).toBeInstanceOf(ModelFormatError);
            return;
          }
          // Accepted: then it must still predict finite numbers.
          for (const v of outputs(m)) expect(Number.isFinite(v)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
