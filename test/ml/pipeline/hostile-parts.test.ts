import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { estimatorFromParts } from "../../../src/ml/catalog.js";
import { ModelFormatError } from "../../../src/ml/errors.js";
import type { ModelParts, Transformer } from "../../../src/ml/estimator.js";
import { decodeModel, encodeModel } from "../../../src/ml/model-file.js";
import { Pipeline } from "../../../src/ml/pipeline/index.js";
import {
  defaultPreprocessor,
  OrdinalEncoder,
  RobustScaler,
  SimpleImputer,
} from "../../../src/ml/preprocessing/index.js";
import { admissionsHoles } from "../preprocessing/helpers.js";

type Node = Record<string, unknown> | unknown[];

/** Every (container, key) in the JSON part of the parts (typed arrays left alone). */
function slots(root: unknown): [Node, string | number][] {
  const out: [Node, string | number][] = [];
  const walk = (v: unknown) => {
    if (ArrayBuffer.isView(v) || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push([v, i]);
        walk(x);
      });
    } else {
      for (const [k, x] of Object.entries(v)) {
        out.push([v as Record<string, unknown>, k]);
        walk(x);
      }
    }
  };
  walk(root);
  return out;
}

describe("a hostile or corrupt pipeline file never crashes the loader", () => {
  let parts: ModelParts;
  let X: Awaited<ReturnType<typeof admissionsHoles>>;
  beforeAll(async () => {
    X = (await admissionsHoles()).drop(["admitted"]);
    const pipe = new Pipeline([
      ["prep", defaultPreprocessor()],
      ["impute", new SimpleImputer({ addIndicator: true })],
      ["robust", new RobustScaler()],
      ["ord", new OrdinalEncoder({ handleUnknown: "use_encoded_value", unknownValue: -1 })],
    ]);
    await pipe.fit(X);
    parts = decodeModel(encodeModel(pipe.toParts())).parts;
  });

  it("each JSON value replaced by random JSON: loads as ModelFormatError, or loads and transforms or throws a typed error", () => {
    const count = slots(parts).length;
    fc.assert(
      fc.property(fc.nat(count - 1), fc.jsonValue({ maxDepth: 2 }), (at, value) => {
        const copy = structuredClone(parts);
        const [node, key] = slots(copy)[at];
        (node as Record<string | number, unknown>)[key] = value;
        let loaded: Transformer;
        try {
          loaded = estimatorFromParts(copy) as Transformer;
        } catch (e) {
          expect(e).toBeInstanceOf(ModelFormatError);
          return;
        }
        // Loaded anyway (a harmless change): using it fails, if at all, with one of trainyard's errors.
        try {
          loaded.transform(X.slice(0, 20));
        } catch (e) {
          expect((e as Error).name).toMatch(
            /InputError|ModelFormatError|ParameterError|NotFittedError|DataLoadError/,
          );
        }
      }),
      { numRuns: 600 },
    );
  });

  it("wrong typed arrays are refused", () => {
    const copy = structuredClone(parts);
    const robust = copy.children?.robust as { arrays: Record<string, unknown> };
    robust.arrays.scale = new Float64Array(1);
    expect(() => estimatorFromParts(copy)).toThrow(ModelFormatError);
    const copy2 = structuredClone(parts);
    const imp = copy2.children?.impute as { arrays: Record<string, unknown> };
    imp.arrays.numericFill = new Uint8Array(3);
    expect(() => estimatorFromParts(copy2)).toThrow(ModelFormatError);
  });
});
