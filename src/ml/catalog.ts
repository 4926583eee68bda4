import { readFileSync } from "node:fs";
import { DBSCAN, KMeans, MiniBatchKMeans } from "./clustering/index.js";
import { ModelFormatError, ParameterError } from "./errors.js";
import type { AnyEstimator, EstimatorSpec, JsonObject, ModelParts } from "./estimator.js";
import { ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge } from "./linear/index.js";
import { type DecodedModel, encodeModel, readModelFile, writeFileAtomic } from "./model-file.js";
import { MLPClassifier, MLPRegressor } from "./neural/index.js";
import { Pipeline } from "./pipeline/index.js";
import {
  ColumnTransformer,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
} from "./preprocessing/index.js";
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "./trees/index.js";

/**
 * Rebuilds an estimator from its parts. Composite estimators (pipelines, ensembles) get `load`
 * to rebuild their children, so that no estimator module imports this catalog.
 * Each loader validates what it reads (shapes, index ranges) and throws ModelFormatError.
 */
export type PartsLoader = (parts: ModelParts, load: (child: ModelParts) => AnyEstimator) => AnyEstimator;

/** Every estimator kind a model file may hold. Add one line per estimator. */
const LOADERS: Record<string, PartsLoader> = {
  kmeans: (p) => KMeans.fromParts(p),
  mini_batch_kmeans: (p) => MiniBatchKMeans.fromParts(p),
  dbscan: (p) => DBSCAN.fromParts(p),
  simple_imputer: (p) => SimpleImputer.fromParts(p),
  one_hot_encoder: (p) => OneHotEncoder.fromParts(p),
  ordinal_encoder: (p) => OrdinalEncoder.fromParts(p),
  standard_scaler: (p) => StandardScaler.fromParts(p),
  min_max_scaler: (p) => MinMaxScaler.fromParts(p),
  robust_scaler: (p) => RobustScaler.fromParts(p),
  column_transformer: (p, load) => ColumnTransformer.fromParts(p, load),
  pipeline: (p, load) => Pipeline.fromParts(p, load),
  mlp_classifier: (p) => MLPClassifier.fromParts(p),
  mlp_regressor: (p) => MLPRegressor.fromParts(p),
  linear_regression: (p) => LinearRegression.fromParts(p),
  ridge: (p) => Ridge.fromParts(p),
  lasso: (p) => Lasso.fromParts(p),
  elastic_net: (p) => ElasticNet.fromParts(p),
  logistic_regression: (p) => LogisticRegression.fromParts(p),
  decision_tree_classifier: (p) => DecisionTreeClassifier.fromParts(p),
  decision_tree_regressor: (p) => DecisionTreeRegressor.fromParts(p),
  random_forest_classifier: (p) => RandomForestClassifier.fromParts(p),
  random_forest_regressor: (p) => RandomForestRegressor.fromParts(p),
  gradient_boosting_classifier: (p) => GradientBoostingClassifier.fromParts(p),
  gradient_boosting_regressor: (p) => GradientBoostingRegressor.fromParts(p),
};

/** Builds an unfitted estimator from JSON params and already-built children (composites only). */
export type SpecConstructor = (params: JsonObject, children: Record<string, AnyEstimator>) => AnyEstimator;

/** Every estimator kind `createEstimator` can build. Add one line per estimator. */
const CONSTRUCTORS: Record<string, SpecConstructor> = {
  kmeans: (p) => new KMeans(p),
  mini_batch_kmeans: (p) => new MiniBatchKMeans(p),
  dbscan: (p) => new DBSCAN(p),
  simple_imputer: (p) => new SimpleImputer(p),
  one_hot_encoder: (p) => new OneHotEncoder(p),
  ordinal_encoder: (p) => new OrdinalEncoder(p),
  standard_scaler: (p) => new StandardScaler(p),
  min_max_scaler: (p) => new MinMaxScaler(p),
  robust_scaler: (p) => new RobustScaler(p),
  column_transformer: (p, c) => ColumnTransformer.fromSpec(p, c),
  pipeline: (p, c) => Pipeline.fromSpec(p, c),
  mlp_classifier: (p) => new MLPClassifier(p),
  mlp_regressor: (p) => new MLPRegressor(p),
  linear_regression: (p) => new LinearRegression(p),
  ridge: (p) => new Ridge(p),
  lasso: (p) => new Lasso(p),
  elastic_net: (p) => new ElasticNet(p),
  logistic_regression: (p) => new LogisticRegression(p),
  decision_tree_classifier: (p) => new DecisionTreeClassifier(p),
  decision_tree_regressor: (p) => new DecisionTreeRegressor(p),
  random_forest_classifier: (p) => new RandomForestClassifier(p),
  random_forest_regressor: (p) => new RandomForestRegressor(p),
  gradient_boosting_classifier: (p) => new GradientBoostingClassifier(p),
  gradient_boosting_regressor: (p) => new GradientBoostingRegressor(p),
};

/** An unfitted estimator from its spec; an unknown kind or a bad param is an error naming it. */
export function createEstimator(spec: EstimatorSpec): AnyEstimator {
  const make = Object.hasOwn(CONSTRUCTORS, spec.kind) ? CONSTRUCTORS[spec.kind] : undefined;
  if (!make) {
    throw new ParameterError(
      "kind",
      `a known estimator kind (${Object.keys(CONSTRUCTORS).join(", ")})`,
      spec.kind,
    );
  }
  const children: Record<string, AnyEstimator> = {};
  for (const [name, child] of Object.entries(spec.children ?? {})) children[name] = createEstimator(child);
  return make(spec.params, children);
}

export function estimatorFromParts(parts: ModelParts): AnyEstimator {
  const loader = Object.hasOwn(LOADERS, parts.kind) ? LOADERS[parts.kind] : undefined;
  if (!loader) {
    throw new ModelFormatError(
      `unknown estimator kind "${parts.kind}" (known: ${Object.keys(LOADERS).join(", ") || "none"})`,
    );
  }
  return loader(parts, estimatorFromParts);
}

export const LIBRARY_VERSION: string = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
).version;

/** Saves a fitted estimator as a model file (atomically; missing folders are created). Returns its size in bytes. */
export async function saveModel(
  path: string,
  estimator: AnyEstimator,
  metadata: JsonObject = {},
): Promise<number> {
  const bytes = encodeModel(estimator.toParts(), metadata, LIBRARY_VERSION);
  await writeFileAtomic(path, bytes);
  return bytes.length;
}

export interface LoadedModel extends DecodedModel {
  readonly estimator: AnyEstimator;
}

/** Loads a model file; a corrupt, hostile or unknown file is refused with a ModelFormatError. */
export async function loadModel(path: string): Promise<LoadedModel> {
  const decoded = await readModelFile(path);
  try {
    return { ...decoded, estimator: estimatorFromParts(decoded.parts) };
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelFormatError(e.message, path);
    throw e;
  }
}
