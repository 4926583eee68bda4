import type { Column } from "../data/column.js";
import type { Table } from "../data/table.js";
import type { TaskKind } from "../data/task.js";
import type { Progress } from "../ml/estimator.js";
import type { Scorer } from "../ml/metrics/scorers.js";
import { crossValidate } from "../ml/selection/cross-validate.js";
import { HalvingSearch } from "../ml/selection/halving.js";
import type { Search, SearchOptions, SearchResult } from "../ml/selection/search.js";
import { BayesSearch, GridSearch, RandomSearch } from "../ml/selection/searches.js";
import { buildPipeline, type ModelPipeline, pipelineSpace } from "./algorithms.js";
import type { AlgorithmName, TrainingConfig } from "./config.js";

/** One algorithm's outcome: a pipeline fitted on the whole training split, or the error that stopped it. */
export interface Candidate {
  algorithm: AlgorithmName;
  model?: ModelPipeline;
  /** Cross-validated target score (mean, std over folds); null without CV. */
  cvMean: number | null;
  cvStd: number | null;
  /** Tuning trials, when tuned. */
  search?: Pick<SearchResult, "trials" | "bestIndex" | "stoppedBy" | "elapsedMs">;
  fitMs: number;
  error?: Error;
}

export interface CandidateContext {
  config: TrainingConfig;
  task: TaskKind;
  X: Table;
  y: Column;
  scorer: Scorer;
  /** Folds for CV and tuning; null fits once on the training split. */
  folds: number | null;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

function makeSearch(
  method: TrainingConfig["tuning"]["method"],
  base: ModelPipeline,
  name: AlgorithmName,
  o: SearchOptions,
): Search {
  const space = pipelineSpace(name);
  switch (method) {
    case "grid":
      return new GridSearch(base, space, o);
    case "bayes":
      return new BayesSearch(base, space, o);
    case "halving":
      return new HalvingSearch(base, space, o);
    default:
      return new RandomSearch(base, space, o);
  }
}

/** Fits one algorithm: tuned by a search, or cross-validated then refitted, or fitted once. */
export async function fitCandidate(name: AlgorithmName, ctx: CandidateContext): Promise<Candidate> {
  const { config, task, X, y, scorer, folds, signal, onProgress } = ctx;
  const started = performance.now();
  const base = buildPipeline(name, task, config.hyperparameters[name] ?? {}, {
    seed: config.seed,
    threads: config.resources.threads,
  });
  try {
    if (config.tuning.method !== "none") {
      const search = makeSearch(config.tuning.method, base, name, {
        cv: folds ?? 5,
        scoring: [scorer.name],
        nTrials: config.tuning.trials,
        timeBudgetMs:
          config.tuning.timeBudgetSeconds === undefined ? undefined : config.tuning.timeBudgetSeconds * 1000,
        patience: config.tuning.patience,
        seed: config.seed,
        refit: true,
      });
      const r = await search.fit(X, y, { signal, onProgress });
      if (!r.bestEstimator)
        throw new Error(`no trial succeeded: ${r.trials.find((t) => t.error)?.error ?? "unknown"}`);
      return {
        algorithm: name,
        model: r.bestEstimator as ModelPipeline,
        cvMean: r.bestScore,
        cvStd: r.bestStd,
        search: { trials: r.trials, bestIndex: r.bestIndex, stoppedBy: r.stoppedBy, elapsedMs: r.elapsedMs },
        fitMs: performance.now() - started,
      };
    }
    let cvMean: number | null = null;
    let cvStd: number | null = null;
    if (folds !== null) {
      const cv = await crossValidate(base, X, y, { cv: folds, scoring: [scorer.name], signal, onProgress });
      cvMean = cv.test[scorer.name].mean;
      cvStd = cv.test[scorer.name].std;
    }
    const model = base.clone();
    await model.fit(X, y, { signal, onProgress: folds === null ? onProgress : undefined });
    return { algorithm: name, model, cvMean, cvStd, fitMs: performance.now() - started };
  } catch (e) {
    if (signal?.aborted) throw e;
    return {
      algorithm: name,
      cvMean: null,
      cvStd: null,
      fitMs: performance.now() - started,
      error: e instanceof Error ? e : new Error(String(e)),
    };
  }
}
