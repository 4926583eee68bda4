import type { TaskKind } from "../data/task.js";
import type { Classifier, Predictor, Regressor } from "../ml/estimator.js";
import { ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge } from "../ml/linear/index.js";
import { MLPClassifier, MLPRegressor } from "../ml/neural/index.js";
import { Pipeline } from "../ml/pipeline/index.js";
import { defaultPreprocessor } from "../ml/preprocessing/index.js";
import {
  intRange,
  logUniform,
  type SearchSpace,
  uniform,
  choice as values,
} from "../ml/selection/search-space.js";
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../ml/trees/index.js";
import type { AlgorithmName } from "./config.js";
import { TrainingError } from "./errors.js";

type Params = Record<string, unknown>;
type Make = (params: Params) => Predictor;

/**
 * What each algorithm of a training configuration builds: its estimator per task, whether its
 * numeric inputs are standardized, the seed parameter it takes, and the default search space
 * for tuning (keys are the final step's params).
 */
export interface Algorithm {
  readonly name: AlgorithmName;
  readonly classification?: Make;
  readonly regression?: Make;
  /** Trees need no scaling; linear models and networks do. */
  readonly scale: boolean;
  /** The param that takes the seed, if the estimator is random. */
  readonly seedParam?: string;
  /** The param that takes a thread count, if the estimator is parallel. */
  readonly threadsParam?: string;
  readonly space: SearchSpace;
}

const cast = <P>(p: Params) => p as Partial<P>;

export const ALGORITHMS: Record<AlgorithmName, Algorithm> = {
  random_forest: {
    name: "random_forest",
    classification: (p) => new RandomForestClassifier(cast(p)),
    regression: (p) => new RandomForestRegressor(cast(p)),
    scale: false,
    seedParam: "randomState",
    threadsParam: "nThreads",
    space: {
      nEstimators: intRange(50, 400, { log: true }),
      maxDepth: values([null, 6, 10, 16]),
      minSamplesLeaf: intRange(1, 10, { log: true }),
      maxFeatures: values(["sqrt", "log2", 0.5, 1]),
    },
  },
  gradient_boosting: {
    name: "gradient_boosting",
    classification: (p) => new GradientBoostingClassifier(cast(p)),
    regression: (p) => new GradientBoostingRegressor(cast(p)),
    scale: false,
    seedParam: "randomState",
    threadsParam: "nThreads",
    space: {
      nEstimators: intRange(50, 500, { log: true }),
      learningRate: logUniform(0.01, 0.3),
      numLeaves: intRange(7, 63, { log: true }),
      minChildSamples: intRange(5, 50, { log: true }),
      l2: logUniform(1e-3, 10),
      subsample: uniform(0.6, 1),
      colsample: uniform(0.6, 1),
    },
  },
  decision_tree: {
    name: "decision_tree",
    classification: (p) => new DecisionTreeClassifier(cast(p)),
    regression: (p) => new DecisionTreeRegressor(cast(p)),
    scale: false,
    seedParam: "randomState",
    space: { maxDepth: values([null, 3, 5, 8, 12]), minSamplesLeaf: intRange(1, 20, { log: true }) },
  },
  logistic_regression: {
    name: "logistic_regression",
    classification: (p) => new LogisticRegression(cast(p)),
    scale: true,
    space: { C: logUniform(1e-3, 100), penalty: values(["l2", "l1"]) },
  },
  linear_regression: {
    name: "linear_regression",
    regression: (p) => new LinearRegression(cast(p)),
    scale: true,
    space: { fitIntercept: values([true, false]) },
  },
  ridge: {
    name: "ridge",
    regression: (p) => new Ridge(cast(p)),
    scale: true,
    space: { alpha: logUniform(1e-3, 100) },
  },
  lasso: {
    name: "lasso",
    regression: (p) => new Lasso(cast(p)),
    scale: true,
    space: { alpha: logUniform(1e-4, 10) },
  },
  elastic_net: {
    name: "elastic_net",
    regression: (p) => new ElasticNet(cast(p)),
    scale: true,
    space: { alpha: logUniform(1e-4, 10), l1Ratio: uniform(0.05, 0.95) },
  },
  mlp: {
    name: "mlp",
    classification: (p) => new MLPClassifier(cast(p)),
    regression: (p) => new MLPRegressor(cast(p)),
    scale: true,
    seedParam: "randomState",
    space: {
      alpha: logUniform(1e-5, 1e-1),
      learningRateInit: logUniform(1e-4, 1e-2),
    },
  },
};

export function isClassification(task: TaskKind): boolean {
  return task !== "regression";
}

export interface BuildOptions {
  seed: number;
  threads?: number;
}

/**
 * The pipeline a configuration trains for one algorithm: the default preprocessor (scaling
 * only where the algorithm needs it) and the estimator as the step named "model".
 */
/** A pipeline whose final step predicts: what training produces. */
export type ModelPipeline = Pipeline<Classifier> | Pipeline<Regressor>;

export function buildPipeline(
  name: AlgorithmName,
  task: TaskKind,
  params: Params,
  options: BuildOptions,
): ModelPipeline {
  const algorithm = ALGORITHMS[name];
  const make = isClassification(task) ? algorithm.classification : algorithm.regression;
  if (!make) {
    throw new TrainingError(
      `algorithm "${name}" does not do ${isClassification(task) ? "classification" : "regression"} (task ${task})`,
    );
  }
  const full: Params = { ...params };
  if (algorithm.seedParam && full[algorithm.seedParam] === undefined)
    full[algorithm.seedParam] = options.seed;
  if (algorithm.threadsParam && options.threads !== undefined && full[algorithm.threadsParam] === undefined) {
    full[algorithm.threadsParam] = options.threads;
  }
  return new Pipeline([
    ["preprocess", defaultPreprocessor({ scale: algorithm.scale })],
    ["model", make(full)],
  ]) as ModelPipeline;
}

/** The algorithm's default space, addressed to the pipeline's "model" step. */
export function pipelineSpace(name: AlgorithmName): SearchSpace {
  return Object.fromEntries(Object.entries(ALGORITHMS[name].space).map(([k, d]) => [`model__${k}`, d]));
}
