import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Random } from "../../../src/data/random.js";
import { estimatorFromParts, loadModel, saveModel } from "../../../src/ml/catalog.js";
import { InputError, ModelFormatError } from "../../../src/ml/errors.js";
import type { AnyEstimator, JsonObject, ModelParts, SectionArray } from "../../../src/ml/estimator.js";
import { type Feature, FeatureMatrix } from "../../../src/ml/features.js";
import { decodeModel, encodeModel } from "../../../src/ml/model-file.js";
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../../src/ml/trees/index.js";

/** Numeric features (one with missing values) and a categorical one (with missing codes). */
function data(n: number, seed: number) {
  const rng = new Random(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const codes = new Int32Array(n);
  const y3: string[] = [];
  const yr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.normal();
    b[i] = rng.next() < 0.15 ? Number.NaN : rng.normal();
    codes[i] = rng.next() < 0.05 ? -1 : rng.int(6);
    const s =
      a[i] + (Number.isNaN(b[i]) ? 1 : b[i] * 0.5) + (codes[i] % 2 === 0 ? 0.8 : 0) + 0.4 * rng.normal();
    y3.push(s < 0 ? "low" : s < 1 ? "mid" : "high");
    yr[i] = 3 * s + rng.normal();
  }
  const features: Feature[] = [
    { kind: "numeric", name: "a", values: a },
    { kind: "numeric", name: "b", values: b },
    { kind: "categorical", name: "c", codes, levels: ["u", "v", "w", "x", "y", "z"] },
  ];
  const X = new FeatureMatrix(features, n);
  return { X, y3, y2: y3.map((v) => v === "high"), yr };
}

const train = data(400, 1);
const test = data(300, 2);

type Fitted = { name: string; model: AnyEstimator; predict: (m: AnyEstimator) => Float64Array };
const proba = (m: AnyEstimator) => (m as RandomForestClassifier).predictProba(test.X);
const regress = (m: AnyEstimator) => (m as RandomForestRegressor).predict(test.X);

let fitted: Fitted[] = [];
let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trainyard-trees-file-"));
  const small = { nEstimators: 8, randomState: 3 };
  fitted = [
    {
      name: "DecisionTreeClassifier",
      model: await new DecisionTreeClassifier({ randomState: 1 }).fit(train.X, train.y3),
      predict: proba,
    },
    {
      name: "DecisionTreeRegressor",
      model: await new DecisionTreeRegressor({ randomState: 1 }).fit(train.X, train.yr),
      predict: regress,
    },
    {
      name: "RandomForestClassifier",
      model: await new RandomForestClassifier(small).fit(train.X, train.y3),
      predict: proba,
    },
    {
      name: "RandomForestRegressor",
      model: await new RandomForestRegressor(small).fit(train.X, train.yr),
      predict: regress,
    },
    {
      name: "GradientBoostingClassifier (binary)",
      model: await new GradientBoostingClassifier({ nEstimators: 10 }).fit(train.X, train.y2),
      predict: proba,
    },
    {
      name: "GradientBoostingClassifier (3 classes)",
      model: await new GradientBoostingClassifier({ nEstimators: 6 }).fit(train.X, train.y3),
      predict: proba,
    },
    {
      name: "GradientBoostingRegressor",
      model: await new GradientBoostingRegressor({ nEstimators: 10, loss: "huber" }).fit(train.X, train.yr),
      predict: regress,
    },
  ];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytesOf = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const fromBytes = (b: Uint8Array): AnyEstimator => estimatorFromParts(decodeModel(b).parts);
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest();

/** The same bytes with the trailing checksum recomputed: what a deliberate attacker writes. */
function resealed(b: Uint8Array): Uint8Array {
  const out = Uint8Array.from(b);
  out.set(sha(out.subarray(0, out.length - 32)), out.length - 32);
  return out;
}

/** Parts with some arrays or state replaced (arrays copied so the fitted model is untouched). */
function tampered(
  parts: ModelParts,
  arrays: Record<string, SectionArray> = {},
  state: JsonObject = {},
  params: JsonObject = {},
): ModelParts {
  return {
    ...parts,
    params: { ...parts.params, ...params },
    state: { ...parts.state, ...state },
    arrays: { ...parts.arrays, ...arrays },
  };
}

function expectRefused(parts: ModelParts, message?: RegExp): void {
  const bytes = encodeModel(parts);
  let caught: unknown;
  try {
    fromBytes(bytes);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ModelFormatError);
  if (message) expect((caught as Error).message).toMatch(message);
}

/**
 * Bytes an attacker sealed with a valid checksum: either refused with ModelFormatError, or a
 * valid model (a changed threshold or leaf value, padding) that predicts — every walk ends,
 * every index is in range — and gives finite numbers (or refuses an input it no longer fits).
 */
function mustRefuseOrWork(b: Uint8Array, predict: (m: AnyEstimator) => Float64Array): void {
  let m: AnyEstimator;
  try {
    m = fromBytes(b);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFormatError);
    return;
  }
  let p: Float64Array;
  try {
    p = predict(m);
  } catch (e) {
    // A flipped bit in a feature's name or kind gives a valid model of other inputs: predict
    // then refuses our table with an InputError naming the column, which is right.
    expect(e).toBeInstanceOf(InputError);
    return;
  }
  expect(p.length).toBeGreaterThan(0);
  for (const v of p) expect(Number.isFinite(v)).toBe(true);
}

/** A copy of a node array with one entry changed. */
function withEntry<T extends Int32Array | Float64Array | Uint8Array>(a: T, i: number, v: number): T {
  const c = a.slice() as T;
  c[i] = v;
  return c;
}

/** Indices of the internal (split) nodes. */
function internalNodes(parts: ModelParts): number[] {
  const f = parts.arrays.feature as Int32Array;
  const out: number[] = [];
  for (let i = 0; i < f.length; i++) if (f[i] >= 0) out.push(i);
  return out;
}

describe("tree model files: save/load", () => {
  it("every tree estimator predicts bit-for-bit the same after save and load", async () => {
    for (const { name, model, predict } of fitted) {
      const path = join(dir, `${name.replace(/\W+/g, "_")}.tymodel`);
      const size = await saveModel(path, model, { note: name });
      expect(size).toBe((await readFile(path)).length);
      const loaded = await loadModel(path);
      expect(loaded.estimator.kind, name).toBe(model.kind);
      expect(loaded.header.metadata).toEqual({ note: name });
      const before = predict(model);
      const after = predict(loaded.estimator);
      expect(after.length, name).toBe(before.length);
      expect(bytesOf(after).equals(bytesOf(before)), name).toBe(true);
      if ("classes" in model) {
        expect((loaded.estimator as RandomForestClassifier).classes).toEqual(model.classes);
        expect((loaded.estimator as RandomForestClassifier).predict(test.X)).toEqual(
          (model as RandomForestClassifier).predict(test.X),
        );
      }
      // Importances and names travel with the model.
      const m = model as RandomForestClassifier;
      const l = loaded.estimator as RandomForestClassifier;
      expect([...l.featureImportances()]).toEqual([...m.featureImportances()]);
      expect(l.featureNames).toEqual(["a", "b", "c"]);
      // Saving the loaded model again gives the same model bytes (the header's date aside).
      const again = decodeModel(encodeModel(l.toParts())).parts;
      expect(again.arrays).toEqual(decodeModel(encodeModel(m.toParts())).parts.arrays);
    }
  });

  it("the loaded model is a real estimator: it can be cloned and refitted", async () => {
    const rf = fitted[2].model as RandomForestClassifier;
    const loaded = fromBytes(encodeModel(rf.toParts())) as RandomForestClassifier;
    expect(loaded.params).toEqual(rf.params);
    const refit = await loaded.clone({ nEstimators: 3 }).fit(train.X, train.y3);
    expect(refit.nTrees).toBe(3);
  });
});

describe("tree model files: corrupt input is refused with ModelFormatError", () => {
  it("a truncated file, at any length", () => {
    const bytes = encodeModel(fitted[4].model.toParts());
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (len) => {
        expect(() => fromBytes(bytes.subarray(0, len))).toThrow(ModelFormatError);
      }),
      { numRuns: 300 },
    );
  });

  it("a file with one bit flipped anywhere (the checksum catches it)", () => {
    const bytes = encodeModel(fitted[2].model.toParts());
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 0, max: 7 }),
        (pos, bit) => {
          const b = Uint8Array.from(bytes);
          b[pos] ^= 1 << bit;
          expect(() => fromBytes(b)).toThrow(ModelFormatError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a flipped bit with the checksum recomputed: refused, or a model whose predictions are still finite", () => {
    for (const k of [2, 5, 6]) {
      const { model, predict } = fitted[k];
      const bytes = encodeModel(model.toParts());
      fc.assert(
        fc.property(
          fc.integer({ min: 16, max: bytes.length - 33 }),
          fc.integer({ min: 0, max: 7 }),
          (pos, bit) => {
            const b = Uint8Array.from(bytes);
            b[pos] ^= 1 << bit;
            mustRefuseOrWork(resealed(b), predict);
          },
        ),
        { numRuns: 80 },
      );
    }
  });

  it("a child pointing back to its ancestor or to itself (a loop)", () => {
    for (const k of [0, 2, 4]) {
      const parts = fitted[k].model.toParts();
      const left = parts.arrays.left as Int32Array;
      const right = parts.arrays.right as Int32Array;
      const nodes = internalNodes(parts);
      const child = nodes[1]; // the second split node of the first tree: the root is its ancestor
      expect(child).toBeLessThan((parts.arrays.treeStart as Int32Array)[1]);
      expectRefused(tampered(parts, { left: withEntry(left, child, 0) }), /node/); // to the root
      expectRefused(tampered(parts, { right: withEntry(right, child, child) }), /node/); // to itself
      expectRefused(tampered(parts, { right: withEntry(right, 0, 0) }), /node/);
    }
  });

  it("node and leaf indices out of range", () => {
    const parts = fitted[3].model.toParts();
    const left = parts.arrays.left as Int32Array;
    const right = parts.arrays.right as Int32Array;
    const feature = parts.arrays.feature as Int32Array;
    const treeStart = parts.arrays.treeStart as Int32Array;
    expectRefused(tampered(parts, { right: withEntry(right, 0, 2 ** 31 - 1) }));
    expectRefused(tampered(parts, { left: withEntry(left, 0, -5) }));
    // A child inside the next tree, not its own.
    expectRefused(tampered(parts, { right: withEntry(right, 0, treeStart[1]) }));
    // A leaf whose leaf index is out of range, and two leaves sharing one.
    const leaf = feature.indexOf(-1);
    expectRefused(tampered(parts, { left: withEntry(left, leaf, 1e9) }));
    const leaf2 = feature.indexOf(-1, leaf + 1);
    expectRefused(tampered(parts, { left: withEntry(left, leaf2, left[leaf]) }));
    // A split on a feature the model does not have.
    expectRefused(tampered(parts, { feature: withEntry(feature, 0, 3) }), /feature/);
    expectRefused(tampered(parts, { feature: withEntry(feature, 0, -7) }));
    // Tree offsets that do not cover the nodes, or go backwards.
    expectRefused(
      tampered(parts, { treeStart: withEntry(treeStart, treeStart.length - 1, feature.length + 1) }),
    );
    expectRefused(tampered(parts, { treeStart: withEntry(treeStart, 1, 0) }));
    expectRefused(tampered(parts, { treeStart: Int32Array.of(0) }));
  });

  it("wrong sizes, types and values of arrays", () => {
    const parts = fitted[4].model.toParts();
    const a = parts.arrays;
    expectRefused(tampered(parts, { threshold: (a.threshold as Float64Array).subarray(1) }));
    expectRefused(tampered(parts, { left: Float64Array.from(a.left as Int32Array) }), /type/);
    expectRefused(tampered(parts, { leafValues: (a.leafValues as Float64Array).subarray(1) }));
    expectRefused(tampered(parts, { leafValues: withEntry(a.leafValues as Float64Array, 0, Number.NaN) }));
    expectRefused(
      tampered(parts, { leafValues: withEntry(a.leafValues as Float64Array, 0, Number.POSITIVE_INFINITY) }),
    );
    expectRefused(tampered(parts, { missingLeft: withEntry(a.missingLeft as Uint8Array, 0, 7) }));
    expectRefused(tampered(parts, { importanceGain: new Float64Array(1) }));
    const { feature: _drop, ...noFeature } = a;
    expectRefused({ ...parts, arrays: noFeature });
  });

  it("a categorical split whose category set lies outside the bitset", () => {
    const parts = fitted[2].model.toParts();
    const feature = parts.arrays.feature as Int32Array;
    const catStart = parts.arrays.catStart as Int32Array;
    const cat = [...feature].findIndex((f, i) => f === 2 && catStart[i] >= 0);
    expect(cat).toBeGreaterThanOrEqual(0); // the forest does split on the categorical feature
    expectRefused(tampered(parts, { catStart: withEntry(catStart, cat, 1e6) }), /categor/);
    expectRefused(tampered(parts, { catStart: withEntry(catStart, cat, -3) }));
    expectRefused(tampered(parts, { catBits: new Uint32Array(0) }));
    // A category set on a numeric feature.
    const num = [...feature].indexOf(0);
    expectRefused(tampered(parts, { catStart: withEntry(catStart, num, 0) }));
  });

  it("bad state, params, feature specs and kinds", () => {
    const rf = fitted[2].model.toParts();
    const gb = fitted[5].model.toParts();
    expectRefused(tampered(rf, {}, { classes: ["only-one"] }));
    expectRefused(tampered(rf, {}, { classes: null }));
    expectRefused(tampered(rf, {}, { leafWidth: 2 ** 40 }));
    expectRefused(tampered(rf, {}, { outWidth: -1 }));
    expectRefused(tampered(gb, {}, { init: [1] }));
    expectRefused(tampered(gb, {}, { init: [1, 2, "x"] }));
    expectRefused(tampered(rf, {}, {}, { nEstimators: -4 }), /nEstimators/);
    expectRefused(tampered(gb, {}, {}, { learningRate: "fast" }), /learningRate/);
    expectRefused(tampered(rf, {}, {}, { noSuchParam: 1 }));
    expectRefused({ ...rf, features: [] });
    expectRefused({ ...rf, features: [rf.features[0], rf.features[1]] }); // feature 2 is split on
    expectRefused({ ...rf, kind: "random_forest_classifier_v9" }, /unknown estimator kind/);
    // A regressor file relabelled as a classifier.
    expectRefused({ ...fitted[3].model.toParts(), kind: "random_forest_classifier" });
  });

  it("absurd sizes in the header are refused before anything is allocated", () => {
    const parts = fitted[0].model.toParts();
    const bytes = encodeModel(parts);
    const headerLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
    const header = JSON.parse(Buffer.from(bytes.subarray(16, 16 + headerLen)).toString("utf8"));
    const rewrite = (edit: (h: typeof header) => void): Uint8Array => {
      const h = structuredClone(header);
      edit(h);
      const hb = Buffer.from(JSON.stringify(h), "utf8");
      const dataStart = (16 + headerLen + 7) & ~7;
      const data = bytes.subarray(dataStart, bytes.length - 32);
      const start = (16 + hb.length + 7) & ~7;
      const out = new Uint8Array(start + data.length + 32);
      out.set(bytes.subarray(0, 16));
      new DataView(out.buffer).setUint32(8, hb.length, true);
      out.set(hb, 16);
      out.set(data, start);
      return resealed(out);
    };
    const huge = [2 ** 31, 2 ** 40, 2 ** 53 - 1, 1e300, -1, 1.5];
    for (const length of huge) {
      const b = rewrite((h) => {
        h.model.arrays.feature.length = length;
      });
      expect(() => fromBytes(b)).toThrow(ModelFormatError);
      const c = rewrite((h) => {
        h.model.arrays.threshold.offset = length;
      });
      expect(() => fromBytes(c)).toThrow(ModelFormatError);
    }
    // A header length far beyond the file.
    const d = Uint8Array.from(bytes);
    new DataView(d.buffer).setUint32(8, 0xffffffff, true);
    expect(() => fromBytes(resealed(d))).toThrow(/header length/);
    // Sections that overlap the same bytes with another type make no valid forest.
    const e = rewrite((h) => {
      h.model.arrays.left.dtype = "f32";
    });
    expect(() => fromBytes(e)).toThrow(ModelFormatError);
  });

  it("random garbage after a valid prefix (checksum recomputed): refused, or still a working model", () => {
    const { model, predict } = fitted[1];
    const bytes = encodeModel(model.toParts());
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 256 }), fc.nat(bytes.length - 1), (junk, at) => {
        const b = new Uint8Array(at + junk.length + 32);
        b.set(bytes.subarray(0, at));
        b.set(junk, at);
        mustRefuseOrWork(resealed(b), predict);
      }),
      { numRuns: 200 },
    );
  });
});
