import { beforeAll, describe, expect, it } from "vitest";
import type { Table } from "../../../src/data/table.js";
import { createEstimator, estimatorFromParts, loadModel, saveModel } from "../../../src/ml/catalog.js";
import { InputError, NotFittedError, ParameterError } from "../../../src/ml/errors.js";
import type {
  AnyEstimator,
  Classifier,
  Clusterer,
  ModelParts,
  Regressor,
  Transformer,
} from "../../../src/ml/estimator.js";
import { Ridge } from "../../../src/ml/linear/index.js";
import { decodeModel, encodeModel } from "../../../src/ml/model-file.js";
import { Pipeline } from "../../../src/ml/pipeline/index.js";
import {
  ColumnTransformer,
  defaultPreprocessor,
  MinMaxScaler,
  OneHotEncoder,
  SimpleImputer,
  StandardScaler,
} from "../../../src/ml/preprocessing/index.js";
import { admissionsHoles, futureSkills } from "../preprocessing/helpers.js";
import { NearestCentroid, SplitAtMean } from "./stand-in.js";

const TARGET = "future_skill_priority";

/** The catalog's loader, plus the test stand-in. */
function load(parts: ModelParts): AnyEstimator {
  if (parts.kind === "nearest_centroid") return NearestCentroid.fromParts(parts);
  if (parts.kind === "pipeline") return Pipeline.fromParts(parts, load);
  if (parts.kind === "column_transformer") return ColumnTransformer.fromParts(parts, load);
  return estimatorFromParts(parts);
}

function roundTrip(parts: ModelParts): ModelParts {
  return decodeModel(encodeModel(parts)).parts;
}

describe("Pipeline", () => {
  let skills: Table;
  let X: Table;
  beforeAll(async () => {
    skills = await futureSkills();
    X = skills.drop([TARGET]);
  });

  it("is a classifier when its last step is one, and predicts as its steps do by hand", async () => {
    const pipe = new Pipeline([
      ["prep", defaultPreprocessor()],
      ["model", new NearestCentroid()],
    ]);
    const asClassifier: Classifier = pipe; // compile-time: the pipeline satisfies the contract
    expect(asClassifier.task).toBe("classification");
    expect(pipe.isFitted).toBe(false);
    await pipe.fit(X, skills.column(TARGET));
    expect(pipe.isFitted).toBe(true);
    expect(pipe.classes).toEqual(["HIGH", "LOW", "MEDIUM"]);

    const prep = defaultPreprocessor();
    await prep.fit(X);
    const model = await new NearestCentroid().fit(prep.transform(X), skills.column(TARGET));
    expect(pipe.predictProba(X)).toEqual(model.predictProba(prep.transform(X)));
    expect(pipe.predict(X)).toEqual(model.predict(prep.transform(X)));

    // Names at the end of the transformers are what the model saw: importances map to them.
    const names = pipe.featureNamesOut();
    expect(names).toContain("skill_category_Soft Skill");
    expect(names).toEqual((pipe.namedSteps.model as NearestCentroid).spec?.map((s) => s.name));
    expect(Object.keys(pipe.namedSteps)).toEqual(["prep", "model"]);
    expect(pipe.finalEstimator).toBe(pipe.namedSteps.model);
  });

  it("routes sampleWeight and progress to the final step, the abort signal to every step", async () => {
    const weights = new Float64Array(X.nRows).fill(1);
    const onProgress = () => {};
    const pipe = new Pipeline([
      ["prep", defaultPreprocessor()],
      ["model", new NearestCentroid()],
    ]);
    await pipe.fit(X, skills.column(TARGET), { sampleWeight: weights, onProgress });
    const model = pipe.namedSteps.model as NearestCentroid;
    expect(model.lastOptions?.sampleWeight).toBe(weights);
    expect(model.lastOptions?.onProgress).toBe(onProgress);
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(pipe.fit(X, skills.column(TARGET), { signal: controller.signal })).rejects.toThrow("stop");
    expect(pipe.isFitted).toBe(false);
  });

  it("is a regressor with a regressor last (a real Ridge)", async () => {
    const pipe = new Pipeline([
      ["prep", defaultPreprocessor()],
      ["ridge", new Ridge({ alpha: 1 })],
    ]);
    const asRegressor: Regressor = pipe;
    const features = X.drop(["trend_score"]);
    await asRegressor.fit(features, skills.column("trend_score"));
    const pred = pipe.predict(features);
    expect(pred).toBeInstanceOf(Float64Array);
    expect(pred.length).toBe(X.nRows);
    expect(() => pipe.predictProba(features)).toThrow(ParameterError);
    const loaded = Pipeline.fromParts(roundTrip(pipe.toParts()), load) as Pipeline<Regressor>;
    expect(loaded.predict(features)).toEqual(pred);
  });

  it("is a clusterer with a clusterer last (fit without y)", async () => {
    const pipe = new Pipeline([
      ["scale", new StandardScaler()],
      ["split", new SplitAtMean()],
    ]);
    const asClusterer: Clusterer = pipe;
    await asClusterer.fit(X.select(["trend_score", "internal_usage"]));
    const labels = pipe.predict(X.select(["trend_score", "internal_usage"]));
    expect(labels).toBeInstanceOf(Int32Array);
    expect(new Set(labels)).toEqual(new Set([0, 1]));
  });

  it("is a transformer when every step is one, and saves and loads through the catalog", async () => {
    const pipe = new Pipeline([
      ["prep", defaultPreprocessor()],
      ["minmax", new MinMaxScaler({ featureRange: [-1, 1] })],
    ]);
    const asTransformer: Transformer = pipe;
    await asTransformer.fit(X);
    const out = pipe.transform(X);
    expect(out.names).toEqual(pipe.featureNamesOut());
    expect(pipe.featureNamesOut()).toEqual(
      pipe.namedSteps.prep.task === "transform"
        ? (pipe.namedSteps.prep as Transformer).featureNamesOut()
        : [],
    );
    const path = `/tmp/trainyard-pipeline-test-${process.pid}/prep.model`;
    await saveModel(path, pipe);
    const loaded = (await loadModel(path)).estimator as Transformer;
    expect(loaded.kind).toBe("pipeline");
    expect(loaded.transform(X)).toEqual(out);
    // The spec rebuilds an unfitted copy anywhere (e.g. a worker thread).
    const rebuilt = createEstimator(pipe.toSpec()) as Transformer;
    expect(rebuilt.isFitted).toBe(false);
    await rebuilt.fit(X);
    expect(rebuilt.transform(X)).toEqual(out);
  });

  it("saves and loads a fitted classifier pipeline with identical predictions", async () => {
    const pipe = new Pipeline([
      ["prep", defaultPreprocessor()],
      ["model", new NearestCentroid({ temperature: 3 })],
    ]);
    await pipe.fit(X, skills.column(TARGET));
    const parts = pipe.toParts();
    expect(Object.keys(parts.children ?? {})).toEqual(["prep", "model"]);
    expect(parts.features.map((f) => f.name)).not.toContain(TARGET);
    const loaded = Pipeline.fromParts(roundTrip(parts), load) as Pipeline<Classifier>;
    expect(loaded.predictProba(X)).toEqual(pipe.predictProba(X));
    expect(loaded.featureNamesOut()).toEqual(pipe.featureNamesOut());
    expect(loaded.toSpec()).toEqual(pipe.toSpec());
  });

  it("clones with step__param overrides as scikit-learn's set_params", async () => {
    const pipe = new Pipeline([
      ["prep", defaultPreprocessor()],
      ["model", new NearestCentroid()],
    ]);
    await pipe.fit(X, skills.column(TARGET));
    const c = pipe.clone({
      model__temperature: 5,
      prep__categorical__onehot__maxCategories: 3,
      prep__numeric__imputer__strategy: "mean",
    });
    expect(c.isFitted).toBe(false);
    expect(pipe.isFitted).toBe(true);
    expect((c.namedSteps.model as NearestCentroid).params.temperature).toBe(5);
    const spec = c.toSpec();
    const cat = spec.children?.prep.children?.categorical;
    expect(cat?.children?.onehot.params.maxCategories).toBe(3);
    expect(cat?.children?.onehot.params.handleUnknown).toBe("ignore");
    expect(spec.children?.prep.children?.numeric.children?.imputer.params.strategy).toBe("mean");
    // the original is untouched
    expect(pipe.toSpec().children?.prep.children?.numeric.children?.imputer.params.strategy).toBe("median");
    await c.fit(X, skills.column(TARGET));
    expect(c.featureNamesOut()).toContain("skill_name_infrequent_sklearn");

    // a whole step replaced
    const swapped = pipe.clone({ model: new NearestCentroid({ temperature: 9 }) });
    expect((swapped.namedSteps.model as NearestCentroid).params.temperature).toBe(9);

    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as ParameterError;
      }
      throw new Error("no error");
    };
    expect(err(() => pipe.clone({ modle__temperature: 1 }))).toBeInstanceOf(ParameterError);
    expect(err(() => pipe.clone({ modle__temperature: 1 })).param).toBe("Pipeline.modle__temperature");
    expect(err(() => pipe.clone({ steps: ["a"] })).param).toBe("Pipeline.steps");
    expect(err(() => pipe.clone({ prep__nope__x: 1 })).param).toBe("ColumnTransformer.nope__x");
    expect(err(() => pipe.clone({ prep__numeric__scaler__withMen: false })).param).toBe(
      "StandardScaler.withMen",
    );
    expect(err(() => pipe.clone({ prep__numeric__scaler__withMean: 3 })).message).toMatch(
      /StandardScaler.withMean must be true or false, got 3/,
    );
  });

  it("refuses bad steps, misuse and NaN reaching a model that cannot take it", async () => {
    expect(() => new Pipeline([] as never)).toThrow(ParameterError);
    expect(
      () =>
        new Pipeline([
          ["model", new NearestCentroid() as never],
          ["scale", new StandardScaler()],
        ]),
    ).toThrow(/Pipeline.steps.model must be a transformer/);
    expect(
      () =>
        new Pipeline([
          ["a", new StandardScaler()],
          ["a", new StandardScaler()],
        ]),
    ).toThrow(/unique step name/);
    expect(() => new Pipeline([["a__b", new StandardScaler()]])).toThrow(ParameterError);

    const pipe = new Pipeline([
      ["scale", new StandardScaler()],
      ["model", new NearestCentroid()],
    ]);
    expect(() => pipe.predict(X)).toThrow(NotFittedError);
    expect(() => pipe.toParts()).toThrow(NotFittedError);
    await expect(pipe.fit(X.select(["trend_score"]))).rejects.toThrow(InputError);

    // admissions has missing sat_score: without an imputer the model refuses it, naming the column.
    const adm = await admissionsHoles();
    const Xa = adm.select(["gpa", "sat_score"]);
    const e = await pipe.fit(Xa, adm.column("admitted")).catch((x) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).field).toBe("sat_score");
    // with an imputer first, it works
    const fixed = new Pipeline([
      ["impute", new SimpleImputer({ strategy: "median" })],
      ["scale", new StandardScaler()],
      ["model", new NearestCentroid()],
    ]);
    await fixed.fit(Xa, adm.column("admitted"));
    expect(fixed.predict(Xa).length).toBe(adm.nRows);

    const transformOnly = new Pipeline([["onehot", new OneHotEncoder()]]);
    await transformOnly.fit(X.select(["skill_category"]));
    expect(() => transformOnly.predict(X)).toThrow(/a final step that predicts/);
    expect(transformOnly.featureNamesOut()).toEqual([
      "skill_category_Domain",
      "skill_category_Leadership",
      "skill_category_Soft Skill",
      "skill_category_Technical",
    ]);
  });
});
