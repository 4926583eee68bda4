import { describe, expect, it } from "vitest";
import { InputError, ParameterError } from "../../../src/ml/errors.js";
import {
  accuracy,
  calibrationCurve,
  classificationReport,
  cohenKappa,
  confusionMatrix,
  f1,
  logLoss,
  meanSquaredError,
  precision,
  r2,
  rocAuc,
  rocCurve,
} from "../../../src/ml/metrics/index.js";

/** Runs f and returns what it threw (or fails when it did not throw). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("bad input is a typed error naming the parameter", () => {
  it("label arrays of different lengths", () => {
    const e = thrown(() => accuracy([1, 2, 3], [1, 2]));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).field).toBe("yPred");
  });

  it("missing labels and mixed label types", () => {
    expect(thrown(() => f1([1, Number.NaN], [1, 0]))).toBeInstanceOf(InputError);
    expect(thrown(() => precision(["a", 1], ["a", "a"], { average: "macro" }))).toBeInstanceOf(InputError);
  });

  it("average='binary' on a multiclass target, and a posLabel that is not a label", () => {
    const e = thrown(() => f1([1, 2, 3], [1, 2, 2]));
    expect(e).toBeInstanceOf(ParameterError);
    expect((e as ParameterError).param).toBe("average");
    const p = thrown(() => f1(["no", "yes"], ["no", "no"]));
    expect((p as ParameterError).param).toBe("posLabel");
    expect(f1(["no", "yes"], ["no", "yes"], { posLabel: "yes" })).toBe(1);
  });

  it("options out of range", () => {
    const cases: [() => unknown, string][] = [
      [() => f1([0, 1], [0, 1], { zeroDivision: 2 as 0 }), "zeroDivision"],
      [() => f1([0, 1], [0, 1], { average: "samples" as "macro" }), "average"],
      [() => f1([0, 1], [0, 1], { labels: [] as number[], average: "macro" }), "labels"],
      [() => confusionMatrix([0, 1], [0, 1], { normalize: "rows" as "true" }), "normalize"],
      [() => cohenKappa([0, 1], [0, 1], { weights: "cubic" as "linear" }), "weights"],
      [() => classificationReport([0, 1], [0, 1], { digits: -1 }), "digits"],
      [() => classificationReport([0, 1], [0, 1], { targetNames: ["a"] }), "targetNames"],
      [() => calibrationCurve([0, 1], [0.2, 0.8], { nBins: 0 }), "nBins"],
      [() => logLoss([0, 1], [0.2, 0.8], { eps: 0 }), "eps"],
    ];
    for (const [f, param] of cases) {
      const e = thrown(f);
      expect(e, param).toBeInstanceOf(ParameterError);
      expect((e as ParameterError).param).toBe(param);
    }
  });

  it("confusion matrix labels none of which occur in yTrue", () => {
    expect(thrown(() => confusionMatrix([0, 1], [0, 1], { labels: [5] }))).toBeInstanceOf(InputError);
  });

  it("score metrics: one class, NaN scores, wrong shapes, labels outside the classes", () => {
    expect(thrown(() => rocAuc([1, 1, 1], [0.1, 0.5, 0.9]))).toBeInstanceOf(InputError);
    expect(thrown(() => rocAuc([0, 1], [0.1, Number.NaN]))).toBeInstanceOf(InputError);
    expect(thrown(() => rocAuc([0, 1], [0.1, 0.2, 0.3]))).toBeInstanceOf(InputError);
    expect(
      thrown(() => rocAuc(["a", "b", "x"], new Float64Array(9).fill(1 / 3), { classes: ["a", "b", "c"] })),
    ).toBeInstanceOf(InputError);
    expect(
      thrown(() => rocAuc(["a", "b", "c"], new Float64Array(9).fill(0.5), { classes: ["a", "b", "c"] })),
    ).toBeInstanceOf(InputError); // rows do not sum to 1
    expect(thrown(() => logLoss(["a", "a"], [0.5, 0.5]))).toBeInstanceOf(InputError);
    expect(thrown(() => rocCurve(["a", "b", "c"], [0.1, 0.2, 0.3]))).toBeInstanceOf(ParameterError);
    expect(thrown(() => calibrationCurve([0, 1], [0.2, 1.5]))).toBeInstanceOf(InputError);
  });

  it("regression: non-finite values and bad weights name their input", () => {
    expect((thrown(() => r2([1, 2], [1, Number.POSITIVE_INFINITY])) as InputError).field).toBe("yPred");
    expect((thrown(() => meanSquaredError([1, 2], [1, 2], { sampleWeight: [1] })) as InputError).field).toBe(
      "sampleWeight",
    );
    expect(
      (thrown(() => meanSquaredError([1, 2], [1, 2], { sampleWeight: [1, -1] })) as InputError).field,
    ).toBe("sampleWeight");
    expect(thrown(() => meanSquaredError([], []))).toBeInstanceOf(InputError);
  });
});
