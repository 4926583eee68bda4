import type { FeatureMatrix, FeatureSpec, Features } from "./features.js";
import type { Label, Target } from "./target.js";

/**
 * The one estimator contract of trainyard's ml layer.
 *
 * - Construct with typed params: `new RandomForestClassifier({ nEstimators: 300 })`; the
 *   constructor resolves defaults and validates (a ParameterError names the bad parameter).
 * - `fit` is async (it may use worker threads) and returns the estimator; `predict`,
 *   `predictProba` and `transform` are synchronous so that serving a row costs no scheduling.
 * - Inputs are a Table or a FeatureMatrix; predict aligns its input to the fitted feature spec
 *   by name (`FeatureMatrix.from(X, spec)`).
 * - `clone` gives an unfitted copy with some params changed; `toParts` gives the fitted state
 *   as data (JSON + typed arrays) for the model file.
 */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly message?: string;
}

export interface FitOptions {
  /** One non-negative weight per row. */
  readonly sampleWeight?: Float64Array;
  /** Cancels the fit: it rejects with the signal's reason at the next check. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Typed arrays a model file can hold. */
export type SectionArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** An estimator's fitted state as data: what the model file stores and `fromParts` reads back. */
export interface ModelParts {
  readonly kind: string;
  readonly params: JsonObject;
  /** The input features seen at fit time (empty for an unfitted or input-less part). */
  readonly features: readonly FeatureSpec[];
  /** Small fitted state (classes, shapes, scalars). */
  readonly state: JsonObject;
  /** Large fitted state. */
  readonly arrays: Readonly<Record<string, SectionArray>>;
  /** Nested estimators (pipeline steps, ensemble members), by name. */
  readonly children?: Readonly<Record<string, ModelParts>>;
}

export interface Estimator<P extends object = object> {
  /** Stable snake_case name of the estimator, as stored in model files: "random_forest_classifier". */
  readonly kind: string;
  readonly params: Readonly<P>;
  readonly isFitted: boolean;
  /** Messages worth a user's attention from the last fit (e.g. not converged). */
  readonly warnings: readonly string[];
  /** An unfitted copy with the given params changed. */
  clone(overrides?: Partial<P>): this;
  /** The fitted state as data; throws NotFittedError before fit. */
  toParts(): ModelParts;
  /** What rebuilds an unfitted copy anywhere (e.g. in a worker thread): `createEstimator(spec)`. */
  toSpec(): EstimatorSpec;
}

/** An unfitted estimator as data: its kind, JSON params, and nested estimators (pipeline steps). */
export interface EstimatorSpec {
  readonly kind: string;
  readonly params: JsonObject;
  readonly children?: Readonly<Record<string, EstimatorSpec>>;
}

export interface Classifier<P extends object = object> extends Estimator<P> {
  readonly task: "classification";
  /** The classes in the order of predictProba's columns. */
  readonly classes: readonly Label[];
  fit(X: Features, y: Target, options?: FitOptions): Promise<this>;
  predict(X: Features): Label[];
  /** Row-major nRows × classes.length; each row sums to 1. */
  predictProba(X: Features): Float64Array;
}

export interface Regressor<P extends object = object> extends Estimator<P> {
  readonly task: "regression";
  fit(X: Features, y: Target, options?: FitOptions): Promise<this>;
  predict(X: Features): Float64Array;
}

export interface Clusterer<P extends object = object> extends Estimator<P> {
  readonly task: "clustering";
  fit(X: Features, options?: FitOptions): Promise<this>;
  /** The cluster index of each row. */
  predict(X: Features): Int32Array;
}

export interface Transformer<P extends object = object> extends Estimator<P> {
  readonly task: "transform";
  fit(X: Features, y?: Target, options?: FitOptions): Promise<this>;
  transform(X: Features): FeatureMatrix;
  /** Names of the output features, e.g. `skill_category_Soft Skill` for a one-hot column. */
  featureNamesOut(): string[];
}

export type Predictor = Classifier | Regressor;
export type AnyEstimator = Classifier | Regressor | Clusterer | Transformer;

/** Throws the signal's reason when it is aborted (call between units of work). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error("aborted");
}
