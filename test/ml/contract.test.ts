import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Table } from "../../src/data/table.js";
import { InputError, ParameterError } from "../../src/ml/errors.js";
import { FeatureMatrix, remapCodes } from "../../src/ml/features.js";
import { choice, int, nullable, num, oneOf, resolveParams } from "../../src/ml/params.js";
import { argmaxRows, classTarget, regressionTarget } from "../../src/ml/target.js";

const SPEC = {
  nEstimators: int(1, 100),
  learningRate: num(0.1, { min: 0, minExclusive: true }),
  maxDepth: nullable(int(1, 3, 6)),
  loss: choice(["a", "b"] as const, "a"),
  maxFeatures: oneOf<number | "sqrt">(
    [choice(["sqrt"] as const, "sqrt"), num(1, { min: 0, max: 1 })],
    "sqrt",
  ),
};

describe("resolveParams", () => {
  it("fills defaults and keeps given values", () => {
    expect(resolveParams("M", SPEC, { nEstimators: 5, maxDepth: 3 })).toEqual({
      nEstimators: 5,
      learningRate: 0.1,
      maxDepth: 3,
      loss: "a",
      maxFeatures: "sqrt",
    });
  });

  it("names the bad parameter and what is allowed", () => {
    expect(() => resolveParams("M", SPEC, { nEstimators: 0 })).toThrow(
      /M\.nEstimators must be an integer ≥ 1, got 0/,
    );
    expect(() => resolveParams("M", SPEC, { learningRate: 0 })).toThrow(
      /M\.learningRate must be a finite number > 0/,
    );
    expect(() => resolveParams("M", SPEC, { loss: "c" as "a" })).toThrow(/M\.loss must be one of "a", "b"/);
    expect(() => resolveParams("M", SPEC, { maxFeatures: 2 })).toThrow(ParameterError);
    expect(() => resolveParams("M", SPEC, { maxDepth: 7 })).toThrow(/or null/);
  });

  it("refuses an unknown parameter, listing the known ones", () => {
    expect(() => resolveParams("M", SPEC, { nEstimator: 3 } as never)).toThrow(
      /M\.nEstimator must be a known parameter \(nEstimators, learningRate/,
    );
  });
});

describe("FeatureMatrix", () => {
  const table = new Table([
    { kind: "numeric", name: "x", values: Float64Array.of(1, Number.NaN, 3) },
    { kind: "boolean", name: "b", values: Uint8Array.of(1, 0, 255) },
    { kind: "categorical", name: "c", codes: Int32Array.of(0, 1, -1), levels: ["u", "v"] },
  ]);

  it("takes a table's columns: booleans as 0/1/NaN, categoricals kept", () => {
    const m = FeatureMatrix.from(table);
    expect(m.names).toEqual(["x", "b", "c"]);
    expect([...m.numericColumn(1)]).toEqual([1, 0, Number.NaN]);
    expect(() => m.toRowMajor()).toThrow(InputError);
    expect(() => m.toRowMajor()).toThrow(/"c" is categorical/);
  });

  it("aligns new data to the fitted spec by name and re-maps levels", () => {
    const spec = FeatureMatrix.from(table).spec();
    const later = new Table([
      { kind: "categorical", name: "c", codes: Int32Array.of(0, 1, 2), levels: ["v", "w", "u"] },
      { kind: "numeric", name: "extra", values: Float64Array.of(0, 0, 0) },
      { kind: "numeric", name: "x", values: Float64Array.of(7, 8, 9) },
      { kind: "boolean", name: "b", values: Uint8Array.of(0, 0, 1) },
    ]);
    const m = FeatureMatrix.from(later, spec);
    expect(m.names).toEqual(["x", "b", "c"]);
    const c = m.features[2];
    expect(c.kind === "categorical" && [...c.codes]).toEqual([1, -1, 0]);
    expect(() => FeatureMatrix.from(later.drop(["x"]), spec)).toThrow(/missing feature "x"/);
  });

  it("indicators share their source codes and densify to 0/1", () => {
    const codes = Int32Array.of(2, 0, 1, 2);
    const m = new FeatureMatrix(
      [
        { kind: "indicator", name: "c_a", codes, level: 0 },
        { kind: "indicator", name: "c_c", codes, level: 2 },
      ],
      4,
    );
    expect([...m.toRowMajor()]).toEqual([0, 1, 1, 0, 0, 0, 0, 1]);
    const t = m.take([3, 1]);
    const [f0, f1] = t.features;
    expect(f0.kind === "indicator" && f1.kind === "indicator" && f0.codes === f1.codes).toBe(true);
    expect([...t.toRowMajor()]).toEqual([0, 1, 1, 0]);
  });

  it("re-mapping codes keeps every level's name (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.integer(),
        (levels, raw, seed) => {
          const to = [...levels]
            .sort((a, b) => (a + seed < b + seed ? -1 : 1))
            .slice(0, Math.max(1, levels.length - 1));
          const codes = Int32Array.from(raw, (r) => (r % (levels.length + 1)) - 1);
          const out = remapCodes(codes, levels, to);
          codes.forEach((c, i) => {
            const want = c < 0 ? -1 : to.indexOf(levels[c]);
            expect(out[i]).toBe(want);
          });
        },
      ),
    );
  });
});

describe("targets", () => {
  it("encodes labels in scikit-learn's order", () => {
    expect(classTarget(["b", "a", "C", "a"])).toEqual({
      codes: Int32Array.of(2, 1, 0, 1),
      classes: ["C", "a", "b"],
    });
    expect(classTarget([3, 1, 10])).toEqual({ codes: Int32Array.of(1, 0, 2), classes: [1, 3, 10] });
    const bool = classTarget({ kind: "boolean", name: "y", values: Uint8Array.of(1, 0) });
    expect(bool.classes).toEqual([false, true]);
    expect([...bool.codes]).toEqual([1, 0]);
  });

  it("names a missing label and a non-numeric regression target", () => {
    expect(() =>
      classTarget({ kind: "categorical", name: "grade", codes: Int32Array.of(0, -1), levels: ["A"] }),
    ).toThrow(/target "grade" is missing at row 2/);
    expect(() => regressionTarget(Float64Array.of(1, Number.NaN))).toThrow(/row 2/);
    expect(() => regressionTarget(["x"])).toThrow(/must be numeric/);
  });

  it("argmax takes the first maximum", () => {
    expect([...argmaxRows(Float64Array.of(0.5, 0.5, 0.2, 0.8), 2)]).toEqual([0, 1]);
  });
});
