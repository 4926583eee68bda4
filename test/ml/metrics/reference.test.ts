import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Average,
  accuracy,
  averagePrecision,
  balancedAccuracy,
  brierScore,
  calibrationCurve,
  classificationReport,
  cohenKappa,
  confusionMatrix,
  explainedVariance,
  f1,
  logLoss,
  matthewsCorrcoef,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  medianAbsoluteError,
  prAuc,
  precision,
  precisionRecallCurve,
  precisionRecallF1Support,
  r2,
  recall,
  rocAuc,
  rocCurve,
  rootMeanSquaredError,
  type ZeroDivision,
} from "../../../src/ml/metrics/index.js";
import type { Label } from "../../../src/ml/target.js";

// Reference values from scikit-learn 1.2.1: test/fixtures/metrics/generate.py.
const FIXTURE = new URL("../../fixtures/metrics/metrics.json", import.meta.url);
type Json = number | string | boolean | null | Json[] | { [k: string]: Json };
interface ClassCase {
  name: string;
  yTrue: Label[];
  yPred: Label[];
  sampleWeight: number[] | null;
  labels: Label[] | null;
  posLabel: Label | null;
  results: Record<string, Json>;
}
interface BinaryCase {
  name: string;
  yTrue: Label[];
  scores: number[];
  sampleWeight: number[] | null;
  posLabel: Label | null;
  results: Record<string, Json>;
}
interface MultiCase {
  name: string;
  yTrue: Label[];
  proba: number[];
  classes: Label[];
  sampleWeight: number[] | null;
  results: Record<string, number>;
}
interface RegCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  sampleWeight: number[] | null;
  results: Record<string, Json>;
}
const ref = JSON.parse(readFileSync(FIXTURE, "utf8")) as {
  classification: ClassCase[];
  binary: BinaryCase[];
  multiclass: MultiCase[];
  regression: RegCase[];
};

function num(v: Json): number {
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  if (typeof v !== "number") throw new Error(`not a number: ${JSON.stringify(v)}`);
  return v;
}

/** Deep comparison: numbers to 1e-9 (relative above 1), NaN equal to NaN, everything else exact. */
function expectClose(actual: unknown, expected: Json, path = ""): void {
  if (Array.isArray(expected)) {
    const a = ArrayBuffer.isView(actual) ? Array.from(actual as Float64Array) : (actual as unknown[]);
    expect(Array.isArray(a), `${path} is an array`).toBe(true);
    expect(a.length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => {
      expectClose(a[i], e, `${path}[${i}]`);
    });
    return;
  }
  if (
    typeof expected === "number" ||
    expected === "NaN" ||
    expected === "Infinity" ||
    expected === "-Infinity"
  ) {
    const e = num(expected);
    expect(typeof actual, path).toBe("number");
    const a = actual as number;
    if (Number.isNaN(e)) expect(a, path).toBeNaN();
    else if (!Number.isFinite(e)) expect(a, path).toBe(e);
    else
      expect(Math.abs(a - e), `${path}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
    return;
  }
  if (typeof expected === "object" && expected !== null) {
    expect(typeof actual, path).toBe("object");
    for (const [k, e] of Object.entries(expected))
      expectClose((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

const isError = (v: Json): v is { error: string } => typeof v === "object" && v !== null && "error" in v;
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

describe("classification metrics match scikit-learn 1.2.1", () => {
  for (const c of ref.classification) {
    const sampleWeight = opt(c.sampleWeight);
    const labels = opt(c.labels);
    const r = c.results;
    it(c.name, () => {
      expectClose(accuracy(c.yTrue, c.yPred, { sampleWeight }), r.accuracy, "accuracy");
      expectClose(balancedAccuracy(c.yTrue, c.yPred, { sampleWeight }), r.balanced_accuracy, "balanced");
      expectClose(
        balancedAccuracy(c.yTrue, c.yPred, { sampleWeight, adjusted: true }),
        r.balanced_accuracy_adjusted,
        "balanced adjusted",
      );
      expectClose(
        confusionMatrix(c.yTrue, c.yPred, { labels, sampleWeight }).matrix,
        r.confusion_matrix,
        "confusion",
      );
      for (const normalize of ["true", "pred", "all"] as const) {
        expectClose(
          confusionMatrix(c.yTrue, c.yPred, { labels, sampleWeight, normalize }).matrix,
          r[`confusion_matrix_${normalize}`],
          `confusion ${normalize}`,
        );
      }
      expectClose(matthewsCorrcoef(c.yTrue, c.yPred, { sampleWeight }), r.matthews, "mcc");
      for (const w of [undefined, "linear", "quadratic"] as const) {
        const expected = r[`kappa_${w === undefined ? "None" : w}`];
        const run = () => cohenKappa(c.yTrue, c.yPred, { labels, sampleWeight, weights: w });
        if (isError(expected)) expect(run).toThrow();
        else expectClose(run(), expected, `kappa ${w}`);
      }
      const prfs = r.prfs as Record<string, Json>;
      for (const [key, expected] of Object.entries(prfs)) {
        const [avg, zd, beta] = key.split("|");
        const average = avg === "None" ? null : (avg as Average);
        const zeroDivision = (zd === "warn" ? "warn" : Number(zd)) as ZeroDivision;
        const options = { labels, sampleWeight, zeroDivision, beta: Number(beta), posLabel: opt(c.posLabel) };
        const run = () =>
          average === null
            ? precisionRecallF1Support(c.yTrue, c.yPred, { ...options, average: null })
            : precisionRecallF1Support(c.yTrue, c.yPred, { ...options, average });
        if (isError(expected)) {
          expect(run, key).toThrow();
          continue;
        }
        const got = run();
        const e = expected as Record<string, Json>;
        expectClose(got.precision, e.precision, `${key} precision`);
        expectClose(got.recall, e.recall, `${key} recall`);
        expectClose(got.f1, e.fbeta, `${key} fbeta`);
        expectClose(got.support, e.support, `${key} support`);
      }
      expectClose(f1(c.yTrue, c.yPred, { average: "macro", labels, sampleWeight }), r.f1_macro, "f1");
      expectClose(
        precision(c.yTrue, c.yPred, { average: "weighted", labels, sampleWeight }),
        r.precision_weighted,
        "precision",
      );
      expectClose(
        recall(c.yTrue, c.yPred, { average: "micro", labels, sampleWeight }),
        r.recall_micro,
        "recall",
      );
      for (const digits of [2, 4]) {
        for (const zd of ["warn", 1] as const) {
          const text = r[`report_text_${digits}_${zd}`];
          if (text === undefined) continue;
          const rep = classificationReport(c.yTrue, c.yPred, {
            labels,
            sampleWeight,
            digits,
            zeroDivision: zd,
          });
          expect(rep.text, `report ${digits} ${zd}`).toBe(text);
        }
      }
      const rep = classificationReport(c.yTrue, c.yPred, { labels, sampleWeight });
      const dict = r.report_dict as Record<string, Json>;
      // Python's str() of a label: the dictionary's keys
      const pyStr = (l: Label) => (typeof l === "boolean" ? (l ? "True" : "False") : String(l));
      // (sorted: JavaScript objects list integer-like keys first, whatever Python's order)
      expect(rep.classes.map((row) => pyStr(row.label)).sort()).toEqual(
        Object.keys(dict)
          .filter((k) => !["accuracy", "micro avg", "macro avg", "weighted avg"].includes(k))
          .sort(),
      );
      rep.classes.forEach((row) => {
        const name = pyStr(row.label);
        const e = dict[name] as Record<string, Json>;
        expectClose(row.precision, e.precision, `report ${name} precision`);
        expectClose(row.recall, e.recall, `report ${name} recall`);
        expectClose(row.f1, e["f1-score"], `report ${name} f1`);
        expectClose(row.support, e.support, `report ${name} support`);
        expectClose(row.accuracy ?? Number.NaN, row.support === 0 ? "NaN" : e.recall, "per-class accuracy");
      });
      for (const [key, avg] of [
        ["macro avg", rep.macroAvg],
        ["weighted avg", rep.weightedAvg],
        ["micro avg", rep.microAvg],
      ] as const) {
        const e = dict[key] as Record<string, Json> | undefined;
        if (e === undefined) {
          expect(avg, key).toBeNull();
          continue;
        }
        expect(avg, key).not.toBeNull();
        expectClose(avg?.precision, e.precision, `${key} precision`);
        expectClose(avg?.recall, e.recall, `${key} recall`);
        expectClose(avg?.f1, e["f1-score"], `${key} f1`);
        expectClose(avg?.support, e.support, `${key} support`);
      }
      if (dict.accuracy === undefined) expect(rep.accuracy).toBeNull();
      else expectClose(rep.accuracy, dict.accuracy, "report accuracy");
    });
  }
});

describe("binary score metrics and curves match scikit-learn 1.2.1", () => {
  for (const c of ref.binary) {
    const sampleWeight = opt(c.sampleWeight);
    const posLabel = opt(c.posLabel);
    const r = c.results;
    it(c.name, () => {
      for (const drop of [true, false]) {
        const got = rocCurve(c.yTrue, c.scores, { posLabel, sampleWeight, dropIntermediate: drop });
        expectClose(got, r[`roc_curve_${drop ? "True" : "False"}`], `roc ${drop}`);
      }
      expectClose(
        precisionRecallCurve(c.yTrue, c.scores, { posLabel, sampleWeight }),
        r.pr_curve,
        "pr curve",
      );
      expectClose(prAuc(c.yTrue, c.scores, { posLabel, sampleWeight }), r.pr_auc, "pr auc");
      expectClose(
        averagePrecision(c.yTrue, c.scores, { posLabel, sampleWeight }),
        r.average_precision,
        "average precision",
      );
      if (isError(r.roc_auc)) expect(() => rocAuc(c.yTrue, c.scores, { posLabel, sampleWeight })).toThrow();
      else expectClose(rocAuc(c.yTrue, c.scores, { posLabel, sampleWeight }), r.roc_auc, "roc auc");
      if (r.log_loss === undefined) return;
      const pos = posLabel ?? 1;
      const yb = c.yTrue.map((v) => (v === pos ? 1 : 0));
      expectClose(logLoss(yb, c.scores, { sampleWeight, classes: [0, 1] }), r.log_loss, "log loss");
      expectClose(brierScore(c.yTrue, c.scores, { posLabel, sampleWeight }), r.brier, "brier");
      for (const strategy of ["uniform", "quantile"] as const) {
        for (const nBins of [5, 10]) {
          const got = calibrationCurve(c.yTrue, c.scores, { posLabel, nBins, strategy });
          const e = r[`calibration_${strategy}_${nBins}`] as Record<string, Json>;
          expectClose(got.probTrue, e.probTrue, `calibration ${strategy} ${nBins} true`);
          expectClose(got.probPred, e.probPred, `calibration ${strategy} ${nBins} pred`);
        }
      }
    });
  }

  it("takes a two-column probability matrix with its classes", () => {
    const c = ref.binary.find((b) => b.name === "strings with posLabel") as BinaryCase;
    const proba = new Float64Array(c.scores.length * 2);
    c.scores.forEach((s, i) => {
      proba[2 * i] = 1 - s;
      proba[2 * i + 1] = s;
    });
    const classes = ["no", "yes"];
    expectClose(rocAuc(c.yTrue, proba, { classes }), c.results.roc_auc, "auc");
    expectClose(averagePrecision(c.yTrue, proba, { classes }), c.results.average_precision, "ap");
    expectClose(rocCurve(c.yTrue, proba, { classes }), c.results.roc_curve_True, "roc");
    expectClose(brierScore(c.yTrue, proba, { classes }), c.results.brier, "brier");
    expectClose(logLoss(c.yTrue, proba, { classes }), c.results.log_loss, "log loss");
  });
});

describe("multiclass score metrics match scikit-learn 1.2.1 (one-vs-rest)", () => {
  for (const c of ref.multiclass) {
    const sampleWeight = opt(c.sampleWeight);
    const r = c.results;
    it(c.name, () => {
      for (const average of ["macro", "weighted", "micro"] as const) {
        const o = { classes: c.classes, sampleWeight, average };
        expectClose(rocAuc(c.yTrue, c.proba, o), r[`roc_auc_${average}`], `auc ${average}`);
        expectClose(
          averagePrecision(c.yTrue, c.proba, o),
          r[`average_precision_${average}`],
          `ap ${average}`,
        );
      }
      expectClose(logLoss(c.yTrue, c.proba, { classes: c.classes, sampleWeight }), r.log_loss, "log loss");
      expectClose(brierScore(c.yTrue, c.proba, { classes: c.classes, sampleWeight }), r.brier, "brier");
    });
  }
});

describe("regression metrics match scikit-learn 1.2.1", () => {
  for (const c of ref.regression) {
    const o = { sampleWeight: opt(c.sampleWeight) };
    it(c.name, () => {
      const r = c.results;
      expectClose(r2(c.yTrue, c.yPred, o), r.r2, "r2");
      expectClose(meanAbsoluteError(c.yTrue, c.yPred, o), r.mae, "mae");
      expectClose(meanSquaredError(c.yTrue, c.yPred, o), r.mse, "mse");
      expectClose(rootMeanSquaredError(c.yTrue, c.yPred, o), r.rmse, "rmse");
      expectClose(meanAbsolutePercentageError(c.yTrue, c.yPred, o), r.mape, "mape");
      expectClose(medianAbsoluteError(c.yTrue, c.yPred, o), r.medianAe, "median ae");
      expectClose(explainedVariance(c.yTrue, c.yPred, o), r.explainedVariance, "explained variance");
    });
  }
});
