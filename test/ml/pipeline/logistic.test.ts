import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CategoricalColumn } from "../../../src/data/column.js";
import type { Classifier } from "../../../src/ml/estimator.js";
import type { FeatureMatrix } from "../../../src/ml/features.js";
import { LogisticRegression } from "../../../src/ml/linear/index.js";
import { Pipeline } from "../../../src/ml/pipeline/index.js";
import { defaultPreprocessor } from "../../../src/ml/preprocessing/index.js";
import { admissionsHoles } from "../preprocessing/helpers.js";

interface PipelineReference {
  name: string;
  drop: string[];
  target: string;
  params: { C: number; maxIter: number; tol: number };
  names: string[];
  classes: string[];
  coef: number[];
  intercept: number[];
  proba: number[];
}

const reference: { pipelines: PipelineReference[] } = JSON.parse(
  readFileSync(new URL("../../fixtures/preprocessing/reference.json", import.meta.url), "utf8"),
);

describe("imputer + one-hot + scaler + LogisticRegression matches scikit-learn's Pipeline", () => {
  const ref = reference.pipelines.find((p) => p.name === "logistic_admissions") as PipelineReference;

  it("same expanded feature names, same optimum: objective no worse, coefficients and probabilities close", async () => {
    const adm = await admissionsHoles();
    const X = adm.drop(ref.drop);
    const pipe = new Pipeline([
      ["prep", defaultPreprocessor()],
      ["model", new LogisticRegression(ref.params)],
    ]);
    const model: Classifier = pipe;
    await model.fit(X, adm.column(ref.target));
    expect(pipe.featureNamesOut()).toEqual(ref.names);
    expect(pipe.classes).toEqual(ref.classes);
    const lr = pipe.namedSteps.model as LogisticRegression;

    // C · Σ log(1 + exp(-t·z)) + ½‖w‖², on the preprocessed training data.
    const M = pipe.transformInput(X) as FeatureMatrix;
    const rows = M.toRowMajor();
    const d = M.nCols;
    const y = adm.column(ref.target) as CategoricalColumn;
    const positive = y.levels.indexOf(ref.classes[1]);
    const objective = (w: ArrayLike<number>, b: number) => {
      let loss = 0;
      for (let i = 0; i < M.nRows; i++) {
        let z = b;
        for (let j = 0; j < d; j++) z += rows[i * d + j] * w[j];
        loss += Math.log1p(Math.exp(y.codes[i] === positive ? -z : z));
      }
      let r = 0;
      for (let j = 0; j < d; j++) r += w[j] * w[j];
      return ref.params.C * loss + 0.5 * r;
    };
    const ours = objective(lr.coef, lr.intercept[0]);
    const theirs = objective(ref.coef, ref.intercept[0]);
    expect(ours).toBeLessThanOrEqual(theirs * (1 + 1e-12));
    expect(theirs - ours).toBeLessThan(1e-6 * theirs);
    // scikit-learn's lbfgs stops a little short along the (one-hot, intercept) direction: close, not identical.
    const scale = Math.max(...ref.coef.map(Math.abs));
    [...lr.coef].forEach((c, j) => {
      expect(Math.abs(c - ref.coef[j]), ref.names[j]).toBeLessThanOrEqual(1e-3 * scale);
    });
    const proba = pipe.predictProba(X.slice(0, ref.proba.length / 2));
    proba.forEach((p, i) => {
      expect(Math.abs(p - ref.proba[i])).toBeLessThan(1e-4);
    });
  });
});
