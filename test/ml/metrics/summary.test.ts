import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError, ParameterError } from "../../../src/ml/errors.js";
import {
  classificationMetrics,
  classificationReport,
  fbeta,
  getScorer,
  type ProbaPrediction,
  perClassMetrics,
  precision,
  recall,
  regressionMetrics,
  SCORERS,
} from "../../../src/ml/metrics/index.js";
import type { Label } from "../../../src/ml/target.js";

// Reference values from scikit-learn 1.2.1: test/fixtures/metrics/generate.py.
type Json = number | string | boolean | null | Json[] | { [k: string]: Json };
const ref = JSON.parse(readFileSync(new URL("../../fixtures/metrics/metrics.json", import.meta.url), "utf8"));

const close = (a: number | null | undefined, e: Json) => {
  expect(typeof a).toBe("number");
  expect(Math.abs((a as number) - (e as number))).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(e as number)),
  );
};

interface SummaryCase {
  name: string;
  yTrue: Label[];
  yPred: Label[];
  proba: number[];
  classes: Label[];
  results: Record<string, Json>;
}

describe("classificationMetrics", () => {
  for (const c of ref.summary as SummaryCase[]) {
    it(`matches scikit-learn: ${c.name}`, () => {
      const m = classificationMetrics(c.yTrue, c.yPred, {
        classes: c.classes,
        proba: Float64Array.from(c.proba),
      });
      for (const key of [
        "accuracy",
        "balancedAccuracy",
        "precisionMacro",
        "recallMacro",
        "f1Macro",
        "precisionWeighted",
        "recallWeighted",
        "f1Weighted",
        "rocAuc",
        "logLoss",
      ] as const) {
        close(m[key], c.results[key]);
      }
      expect(m.confusionMatrix.labels).toEqual(c.classes);
      expect(m.confusionMatrix.matrix).toEqual(c.results.confusionMatrix);
      expect(m.report.text).toBe(c.results.report);
      expect(m.perClass.map((p) => p.label)).toEqual(c.classes);
      for (const p of m.perClass) expect(p.accuracy).toBe(p.recall);
      // JSON-safe: a round trip keeps everything
      expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    });
  }

  it("gives null, not NaN, for what the test set cannot define", () => {
    const m = classificationMetrics(["a", "a", "a"], ["a", "b", "a"], {
      classes: ["a", "b"],
      proba: Float64Array.of(0.9, 0.1, 0.4, 0.6, 0.8, 0.2),
    });
    expect(m.rocAuc).toBeNull(); // one class in yTrue
    expect(m.logLoss).not.toBeNull();
    const b = m.perClass.find((p) => p.label === "b");
    expect(b?.support).toBe(0);
    expect(b?.accuracy).toBeNull();
    expect(JSON.stringify(m)).not.toContain("NaN");
    expect(classificationMetrics(["a", "b"], ["a", "a"], { classes: ["a", "b"] }).rocAuc).toBeNull();
  });

  it("keeps a test-set label the model never saw, after the model's classes", () => {
    const m = classificationMetrics(["a", "c", "b"], ["a", "a", "b"], {
      classes: ["a", "b"],
      proba: Float64Array.of(0.9, 0.1, 0.6, 0.4, 0.2, 0.8),
    });
    expect(m.confusionMatrix.labels).toEqual(["a", "b", "c"]);
    expect(m.confusionMatrix.matrix).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(m.logLoss).toBeNull();
    expect(m.rocAuc).toBeNull();
  });
});

describe("perClassMetrics", () => {
  it("gives each class's precision, recall, F1, support and accuracy (= recall), in label order", () => {
    for (const c of ref.classification as {
      yTrue: Label[];
      yPred: Label[];
      labels: Label[] | null;
      sampleWeight: number[] | null;
      results: Record<string, Json>;
    }[]) {
      const labels = c.labels ?? undefined;
      const sampleWeight = c.sampleWeight ?? undefined;
      const rows = perClassMetrics(c.yTrue, c.yPred, { labels, sampleWeight });
      const e = c.results.prfs as Record<string, Record<string, number[]>>;
      const per = e["None|warn|1.0"];
      expect(rows.map((r) => r.label)).toEqual(
        labels ?? classificationReport(c.yTrue, c.yPred).classes.map((r) => r.label),
      );
      rows.forEach((r, k) => {
        close(r.precision, per.precision[k]);
        close(r.recall, per.recall[k]);
        close(r.f1, per.fbeta[k]);
        close(r.support, per.support[k]);
        if (r.support === 0) expect(r.accuracy).toBeNull();
        else close(r.accuracy, per.recall[k]);
      });
    }
  });

  it("fbeta with beta = ∞ is recall, with beta = 0 precision", () => {
    const t = ["a", "b", "a", "c", "b", "a"];
    const p = ["a", "a", "a", "c", "b", "b"];
    expect(fbeta(t, p, Number.POSITIVE_INFINITY, { average: null })).toEqual(recall(t, p, { average: null }));
    expect(fbeta(t, p, 0, { average: null })).toEqual(precision(t, p, { average: null }));
  });
});

describe("regressionMetrics", () => {
  for (const c of ref.regression as {
    name: string;
    yTrue: number[];
    yPred: number[];
    sampleWeight: number[] | null;
    results: Record<string, Json>;
  }[]) {
    it(`matches scikit-learn: ${c.name}`, () => {
      const m = regressionMetrics(c.yTrue, c.yPred, { sampleWeight: c.sampleWeight ?? undefined });
      for (const key of ["mae", "mse", "rmse", "mape", "medianAe", "explainedVariance", "r2"] as const) {
        const e = c.results[key];
        if (e === "NaN") expect(m[key]).toBeNull();
        else close(m[key], e);
      }
      expect(JSON.stringify(m)).not.toContain("NaN");
    });
  }
});

describe("SCORERS", () => {
  const cls = ref.classification[0];
  const bin = ref.classification.find((c: { name: string }) => c.name === "binary strings");
  const mc = ref.multiclass[0];
  const bs = ref.binary.find((c: { name: string }) => c.name === "strings with posLabel");
  const reg = ref.regression[0];
  const twoCol: ProbaPrediction = {
    classes: ["no", "yes"],
    proba: Float64Array.from((bs.scores as number[]).flatMap((s) => [1 - s, s])),
  };
  const mcProba: ProbaPrediction = { classes: mc.classes, proba: Float64Array.from(mc.proba) };

  it("scores like scikit-learn's scorers (losses negated)", () => {
    const s = (name: string, yTrue: Label[], p: Label[] | ProbaPrediction) => getScorer(name).score(yTrue, p);
    close(s("accuracy", cls.yTrue, cls.yPred), cls.results.accuracy);
    close(s("balanced_accuracy", cls.yTrue, cls.yPred), cls.results.balanced_accuracy);
    close(s("f1_macro", cls.yTrue, cls.yPred), cls.results.prfs["macro|warn|1.0"].fbeta);
    close(s("f1_micro", cls.yTrue, cls.yPred), cls.results.prfs["micro|warn|1.0"].fbeta);
    close(s("f1_weighted", cls.yTrue, cls.yPred), cls.results.prfs["weighted|warn|1.0"].fbeta);
    close(s("precision_macro", cls.yTrue, cls.yPred), cls.results.prfs["macro|warn|1.0"].precision);
    close(s("recall_macro", cls.yTrue, cls.yPred), cls.results.prfs["macro|warn|1.0"].recall);
    // "f1" on "no"/"yes": the greater label is positive (scikit-learn would need pos_label="yes")
    close(s("f1", bin.yTrue, bin.yPred), bin.results.prfs["binary|warn|1.0"].fbeta);
    close(s("roc_auc", bs.yTrue, twoCol), bs.results.roc_auc);
    close(s("average_precision", bs.yTrue, twoCol), bs.results.average_precision);
    close(s("neg_brier_score", bs.yTrue, twoCol), -bs.results.brier);
    close(s("neg_log_loss", bs.yTrue, twoCol), -bs.results.log_loss);
    close(s("roc_auc_ovr", mc.yTrue, mcProba), mc.results.roc_auc_macro);
    close(s("roc_auc_ovr_weighted", mc.yTrue, mcProba), mc.results.roc_auc_weighted);
    close(s("neg_log_loss", mc.yTrue, mcProba), -mc.results.log_loss);
    close(s("r2", reg.yTrue, reg.yPred), reg.results.r2);
    close(s("explained_variance", reg.yTrue, reg.yPred), reg.results.explainedVariance);
    close(s("neg_mean_absolute_error", reg.yTrue, reg.yPred), -reg.results.mae);
    close(s("neg_mean_squared_error", reg.yTrue, reg.yPred), -reg.results.mse);
    close(s("neg_root_mean_squared_error", reg.yTrue, reg.yPred), -reg.results.rmse);
    close(s("neg_median_absolute_error", reg.yTrue, reg.yPred), -reg.results.medianAe);
  });

  it("describes each scorer", () => {
    expect(Object.keys(SCORERS).sort()).toEqual(
      [
        "accuracy",
        "balanced_accuracy",
        "f1",
        "f1_macro",
        "f1_micro",
        "f1_weighted",
        "precision_macro",
        "recall_macro",
        "roc_auc",
        "roc_auc_ovr",
        "roc_auc_ovr_weighted",
        "average_precision",
        "neg_log_loss",
        "neg_brier_score",
        "r2",
        "neg_mean_absolute_error",
        "neg_mean_squared_error",
        "neg_root_mean_squared_error",
        "neg_median_absolute_error",
        "explained_variance",
      ].sort(),
    );
    for (const [name, s] of Object.entries(SCORERS)) {
      expect(s.name).toBe(name);
      expect(s.greaterIsBetter).toBe(!name.startsWith("neg_"));
      expect(s.needsProba).toBe(/roc_auc|average_precision|log_loss|brier/.test(name));
      expect(s.task).toBe(/r2|error|variance/.test(name) ? "regression" : "classification");
    }
  });

  it("refuses unknown names and the wrong kind of prediction", () => {
    expect(() => getScorer("f2_macro")).toThrow(ParameterError);
    expect(() => getScorer("f2_macro")).toThrow(/accuracy, balanced_accuracy/);
    expect(() => getScorer("toString")).toThrow(ParameterError);
    expect(() => getScorer("roc_auc").score(mc.yTrue, mcProba)).toThrow(/roc_auc_ovr/);
    expect(() => getScorer("accuracy").score(bs.yTrue, twoCol)).toThrow(InputError);
    expect(() => getScorer("neg_log_loss").score(bs.yTrue, bs.yTrue)).toThrow(InputError);
    expect(() => getScorer("r2").score(["a", "b"], [1, 2])).toThrow(InputError);
  });
});
