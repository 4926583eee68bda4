import { takeColumn } from "../../data/column.js";
import { Table } from "../../data/table.js";
import { createEstimator, estimatorFromParts } from "../catalog.js";
import type { AnyEstimator, EstimatorSpec, ModelParts, Predictor } from "../estimator.js";
import { FeatureMatrix, type Features } from "../features.js";
import { openFeatures, openTarget, type SharedFeatures, type SharedTarget } from "../parallel/shared-data.js";
import type { Label, Target } from "../target.js";

/**
 * One fit of cross-validation: build the estimator from its spec, fit it on the training rows,
 * predict the test rows (and the training rows when asked). The same function runs in a worker
 * thread (data shared, not copied) and in-process for nJobs 1, so both give the same numbers.
 * Scores are computed by the caller from the returned predictions.
 */
export interface FoldTask {
  readonly spec: EstimatorSpec;
  readonly X: SharedFeatures | Features;
  readonly y: SharedTarget | Target;
  readonly train: Int32Array;
  readonly test: Int32Array;
  /** Classification: the classes of the whole target (prediction codes and probability columns use them). */
  readonly classes?: readonly Label[];
  readonly proba: boolean;
  readonly predictTrain: boolean;
  readonly returnParts: boolean;
}

/** Predictions of one set of rows: class codes into the task's classes (+ probabilities), or values. */
export interface FoldPredictions {
  readonly codes?: Int32Array;
  /** Row-major n × classes.length, columns in the task's class order (0 for a class unseen in training). */
  readonly proba?: Float64Array;
  readonly values?: Float64Array;
}

export interface FoldOutput {
  readonly fitMs: number;
  readonly predictMs: number;
  readonly test: FoldPredictions;
  readonly train?: FoldPredictions;
  readonly parts?: ModelParts;
  readonly warnings: readonly string[];
}

export async function runFold(task: FoldTask, signal?: AbortSignal): Promise<FoldOutput> {
  const X = isShared(task.X) ? openFeatures(task.X) : task.X;
  const y = isSharedTarget(task.y) ? openTarget(task.y) : task.y;
  const est = createEstimator(task.spec) as Predictor;
  if (est.task !== "classification" && est.task !== "regression") {
    throw new Error(`cross-validation needs a classifier or a regressor, got ${(est as AnyEstimator).kind}`);
  }
  const t0 = performance.now();
  await est.fit(X.take(task.train), takeTarget(y, task.train), { signal });
  const fitMs = performance.now() - t0;
  const t1 = performance.now();
  const test = predictRows(est, X.take(task.test), task);
  const train = task.predictTrain ? predictRows(est, X.take(task.train), task) : undefined;
  const predictMs = performance.now() - t1;
  return {
    fitMs,
    predictMs,
    test,
    train,
    parts: task.returnParts ? est.toParts() : undefined,
    warnings: [...est.warnings],
  };
}

/** The worker entry point (module function run by the pool). */
export function runFoldTask(task: FoldTask): Promise<FoldOutput> {
  return runFold(task);
}

export function fittedFromParts(parts: ModelParts): Predictor {
  return estimatorFromParts(parts) as Predictor;
}

function predictRows(est: Predictor, X: Features, task: FoldTask): FoldPredictions {
  if (est.task === "regression") return { values: est.predict(X) };
  const classes = task.classes ?? est.classes;
  const index = new Map<Label, number>(classes.map((c, k) => [c, k]));
  const labels = est.predict(X);
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) codes[i] = index.get(labels[i]) ?? -1;
  if (!task.proba) return { codes };
  const p = est.predictProba(X);
  const k = est.classes.length;
  const K = classes.length;
  const proba = new Float64Array(X.nRows * K);
  const col = est.classes.map((c) => index.get(c) ?? -1);
  for (let i = 0; i < X.nRows; i++) {
    for (let j = 0; j < k; j++) if (col[j] >= 0) proba[i * K + col[j]] = p[i * k + j];
  }
  return { codes, proba };
}

/** Rows `idx` of a target. */
export function takeTarget(y: Target, idx: Int32Array): Target {
  if (y instanceof Float64Array) {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = y[idx[i]];
    return out;
  }
  if (Array.isArray(y)) {
    const labels = y as readonly Label[];
    const out = new Array<Label>(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = labels[idx[i]];
    return out;
  }
  return takeColumn(y as Exclude<Target, Float64Array | readonly Label[]>, idx);
}

function isShared(X: SharedFeatures | Features): X is SharedFeatures {
  return !(X instanceof Table) && !(X instanceof FeatureMatrix);
}

function isSharedTarget(y: SharedTarget | Target): y is SharedTarget {
  return !Array.isArray(y) && !(y instanceof Float64Array) && "type" in y && !("kind" in y);
}
