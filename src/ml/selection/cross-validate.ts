import { ParameterError } from "../errors.js";
import type { ModelParts, Predictor, Progress } from "../estimator.js";
import type { Features } from "../features.js";
import { classTarget, type Label, regressionTarget, type Target } from "../target.js";
import { FoldRunner, type ParallelOptions } from "./fold-runner.js";
import { type FoldOutput, fittedFromParts } from "./fold-task.js";
import { KFold } from "./kfold.js";
import { resolveScorers, type Scorer, type Scoring, type Summary, scoreFold, summarize } from "./scoring.js";
import type { Split, Splitter } from "./splitter.js";
import { StratifiedKFold } from "./stratified-kfold.js";

/** A splitter, or a number of folds (StratifiedKFold for a classifier, KFold otherwise; not shuffled, as scikit-learn). */
export type CvOption = number | Splitter;

export interface CrossValidateOptions extends ParallelOptions {
  /** Default 5. */
  readonly cv?: CvOption;
  /** Group label per row, for GroupKFold. */
  readonly groups?: ArrayLike<string | number>;
  /** Default: ["accuracy"] for a classifier, ["r2"] for a regressor. */
  readonly scoring?: readonly Scoring[] | Scoring;
  /** Also score each fold's training rows. */
  readonly returnTrainScore?: boolean;
  /** Keep each fold's fitted estimator. */
  readonly returnEstimators?: boolean;
  /** Keep each row's prediction by the model that did not see it (the cv's test sets must not overlap). */
  readonly returnOofPredictions?: boolean;
  readonly signal?: AbortSignal;
  /** Called after each fold: done/total folds. */
  readonly onProgress?: (p: Progress) => void;
}

export interface FoldResult {
  readonly fold: number;
  readonly trainSize: number;
  readonly testSize: number;
  readonly fitMs: number;
  /** Predicting the test rows (and training rows, with returnTrainScore) plus computing the scores. */
  readonly scoreMs: number;
  readonly test: Readonly<Record<string, number>>;
  readonly train?: Readonly<Record<string, number>>;
  readonly warnings: readonly string[];
}

/** Out-of-fold predictions: rows outside every test set keep null / NaN. */
export interface OofPredictions {
  /** Classification: predicted labels. */
  readonly labels?: (Label | null)[];
  /** Classification with a probability scorer asked for or a classifier: row-major n × classes. */
  readonly proba?: Float64Array;
  readonly classes?: readonly Label[];
  /** Regression: predicted values. */
  readonly values?: Float64Array;
}

export interface CrossValidateResult {
  readonly cv: string;
  readonly scoring: readonly string[];
  readonly folds: readonly FoldResult[];
  /** Per scorer: the test score of each fold, their mean and std. */
  readonly test: Readonly<Record<string, Summary>>;
  readonly train?: Readonly<Record<string, Summary>>;
  readonly fitMs: Summary;
  readonly scoreMs: Summary;
  readonly estimators?: readonly Predictor[];
  readonly oof?: OofPredictions;
}

/**
 * Cross-validates an estimator: for each split of `cv`, fit a fresh copy (rebuilt from
 * `estimator.toSpec()`) on the training rows and score it on the test rows — scikit-learn's
 * `cross_validate`. Folds run nJobs at a time on worker threads (see FoldRunner).
 */
export async function crossValidate(
  estimator: Predictor,
  X: Features,
  y: Target,
  options: CrossValidateOptions = {},
): Promise<CrossValidateResult> {
  const scorers = resolveScorers(options.scoring, estimator);
  const plan = planFolds(estimator, X, y, options.cv ?? 5, options.groups);
  const { splits, yTrue, classes } = plan;
  const wantProba =
    scorers.some((s) => s.needsProba) ||
    (options.returnOofPredictions === true && estimator.task === "classification");
  if (options.returnOofPredictions) checkDisjoint(splits, X.nRows);
  const runner = new FoldRunner(X, y, options);
  let done = 0;
  const outputs = (await runner.run(
    splits.map((s) => ({
      spec: estimator.toSpec(),
      train: s.train,
      test: s.test,
      classes,
      proba: wantProba,
      predictTrain: options.returnTrainScore === true,
      returnParts: options.returnEstimators === true,
    })),
    {
      signal: options.signal,
      onDone: () =>
        options.onProgress?.({
          done: ++done,
          total: splits.length,
          message: `fold ${done}/${splits.length}`,
        }),
    },
  )) as FoldOutput[];
  const folds = outputs.map((o, f) => foldResult(o, f, splits[f], scorers, yTrue, classes));
  const names = scorers.map((s) => s.name);
  const collect = (part: "test" | "train") =>
    Object.fromEntries(
      names.map((n) => [n, summarize(folds.map((r) => (r[part] as Record<string, number>)[n]))]),
    );
  return {
    cv: plan.name,
    scoring: names,
    folds,
    test: collect("test"),
    train: options.returnTrainScore ? collect("train") : undefined,
    fitMs: summarize(folds.map((f) => f.fitMs)),
    scoreMs: summarize(folds.map((f) => f.scoreMs)),
    estimators: options.returnEstimators
      ? outputs.map((o) => fittedFromParts(o.parts as ModelParts))
      : undefined,
    oof: options.returnOofPredictions ? oofPredictions(outputs, splits, X.nRows, classes) : undefined,
  };
}

export interface FoldPlan {
  readonly name: string;
  readonly splits: Split[];
  /** y as scorers take it: labels or numbers. */
  readonly yTrue: ArrayLike<Label>;
  readonly classes?: readonly Label[];
}

/** The splits of the data and the target as scorers read it. */
export function planFolds(
  estimator: Predictor,
  X: Features,
  y: Target,
  cv: CvOption,
  groups?: ArrayLike<string | number>,
): FoldPlan {
  const n = X.nRows;
  let yTrue: ArrayLike<Label>;
  let classes: readonly Label[] | undefined;
  if (estimator.task === "classification") {
    const t = classTarget(y);
    classes = t.classes;
    yTrue = Array.from(t.codes, (c) => t.classes[c]);
  } else yTrue = regressionTarget(y);
  if (yTrue.length !== n) throw new ParameterError("y", `one value per row of X (${n})`, yTrue.length);
  let splitter: Splitter;
  if (typeof cv === "number") {
    if (!Number.isInteger(cv) || cv < 2) throw new ParameterError("cv", "an integer ≥ 2 or a splitter", cv);
    splitter =
      estimator.task === "classification" ? new StratifiedKFold({ nSplits: cv }) : new KFold({ nSplits: cv });
  } else splitter = cv;
  const splits = splitter.split({
    nRows: n,
    y: estimator.task === "classification" ? (yTrue as Label[]) : undefined,
    groups,
  });
  return { name: splitter.name, splits, yTrue, classes };
}

function foldResult(
  o: FoldOutput,
  fold: number,
  split: Split,
  scorers: readonly Scorer[],
  yTrue: ArrayLike<Label>,
  classes: readonly Label[] | undefined,
): FoldResult {
  const t0 = performance.now();
  const test = scoreFold(scorers, pick(yTrue, split.test), o.test, classes);
  const train = o.train ? scoreFold(scorers, pick(yTrue, split.train), o.train, classes) : undefined;
  const scoreMs = o.predictMs + (performance.now() - t0);
  return {
    fold,
    trainSize: split.train.length,
    testSize: split.test.length,
    fitMs: o.fitMs,
    scoreMs,
    test,
    train,
    warnings: o.warnings,
  };
}

export function pick(y: ArrayLike<Label>, idx: Int32Array): ArrayLike<Label> {
  if (y instanceof Float64Array) {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = y[idx[i]];
    return out;
  }
  const out = new Array<Label>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = y[idx[i]];
  return out;
}

function checkDisjoint(splits: readonly Split[], n: number): void {
  const seen = new Uint8Array(n);
  for (const s of splits) {
    for (const i of s.test) {
      if (seen[i]) {
        throw new ParameterError(
          "returnOofPredictions",
          "used with a cv whose test sets do not overlap (each row predicted once)",
        );
      }
      seen[i] = 1;
    }
  }
}

function oofPredictions(
  outputs: readonly FoldOutput[],
  splits: readonly Split[],
  n: number,
  classes: readonly Label[] | undefined,
): OofPredictions {
  if (!classes) {
    const values = new Float64Array(n).fill(Number.NaN);
    outputs.forEach((o, f) => {
      splits[f].test.forEach((row, j) => {
        values[row] = (o.test.values as Float64Array)[j];
      });
    });
    return { values };
  }
  const k = classes.length;
  const labels = new Array<Label | null>(n).fill(null);
  const proba = new Float64Array(n * k).fill(Number.NaN);
  outputs.forEach((o, f) => {
    const codes = o.test.codes as Int32Array;
    const p = o.test.proba as Float64Array;
    splits[f].test.forEach((row, j) => {
      labels[row] = classes[codes[j]];
      proba.set(p.subarray(j * k, j * k + k), row * k);
    });
  });
  return { labels, proba, classes };
}
