import { describe, expect, it } from "vitest";
import { estimatorFromParts } from "../../../src/ml/catalog.js";
import type { AnyEstimator, Classifier, ModelParts } from "../../../src/ml/estimator.js";
import { decodeModel, encodeModel } from "../../../src/ml/model-file.js";
import { Pipeline } from "../../../src/ml/pipeline/index.js";
import { ColumnTransformer, defaultPreprocessor } from "../../../src/ml/preprocessing/index.js";
import { RandomForestClassifier } from "../../../src/ml/trees/index.js";
import { futureSkills } from "../preprocessing/helpers.js";

function load(parts: ModelParts): AnyEstimator {
  if (parts.kind === "random_forest_classifier") return RandomForestClassifier.fromParts(parts);
  if (parts.kind === "pipeline") return Pipeline.fromParts(parts, load);
  if (parts.kind === "column_transformer") return ColumnTransformer.fromParts(parts, load);
  return estimatorFromParts(parts);
}

describe("S1: defaultPreprocessor + RandomForestClassifier on future_skills.csv", () => {
  it("fits, maps importances to expanded one-hot names, and round-trips", async () => {
    const skills = await futureSkills();
    const y = skills.column("future_skill_priority");
    const X = skills.drop(["future_skill_priority"]);
    const pipe = new Pipeline([
      ["prep", defaultPreprocessor()],
      ["model", new RandomForestClassifier({ nEstimators: 30, randomState: 42 })],
    ]);
    const model: Classifier = pipe;
    await model.fit(X, y);

    const names = pipe.featureNamesOut();
    const forest = pipe.namedSteps.model as RandomForestClassifier;
    expect(forest.featureNames).toEqual(names);
    const importances = forest.featureImportances();
    expect(importances.length).toBe(names.length);
    expect(names).toContain("skill_category_Soft Skill");
    const ranked = names.map((n, j) => [n, importances[j]] as const).sort((a, b) => b[1] - a[1]);
    expect(ranked[0][1]).toBeGreaterThan(0);

    // Learns real signal: training accuracy well above the majority class (212 / 500).
    const pred = pipe.predict(X);
    const labels = skills.toRecords().map((r) => r.future_skill_priority);
    const accuracy = pred.filter((p, i) => p === labels[i]).length / pred.length;
    expect(accuracy).toBeGreaterThan(0.6);

    const loaded = Pipeline.fromParts(
      decodeModel(encodeModel(pipe.toParts())).parts,
      load,
    ) as Pipeline<Classifier>;
    expect(loaded.predictProba(X)).toEqual(pipe.predictProba(X));
    expect(loaded.featureNamesOut()).toEqual(names);
  });
});
