import { Random } from "../../data/random.js";
import { createEstimator } from "../catalog.js";
import { ParameterError } from "../errors.js";
import { type EstimatorSpec, type Predictor, type Progress, throwIfAborted } from "../estimator.js";
import type { Features } from "../features.js";
import type { Target } from "../target.js";
import { type CvOption, type FoldPlan, pick, planFolds } from "./cross-validate.js";
import { type FoldJob, FoldRunner, type ParallelOptions } from "./fold-runner.js";
import type { FoldOutput } from "./fold-task.js";
import { resolveScorers, type Scorer, type Scoring, type Summary, scoreFold, summarize } from "./scoring.js";
import { checkSpace, probeValues, type SearchSpace, type TrialParams, withParams } from "./search-space.js";

export interface SearchOptions extends ParallelOptions {
  /** Default 5 (stratified for a classifier). */
  readonly cv?: CvOption;
  readonly groups?: ArrayLike<string | number>;
  /** The first scorer is the one optimized (default accuracy / r2); the others are recorded. */
  readonly scoring?: readonly Scoring[] | Scoring;
  /** Trial budget: at most this many trials (each a full cross-validation). */
  readonly nTrials?: number;
  /** Time budget in milliseconds: no trial starts after it, and trials still running are cancelled. */
  readonly timeBudgetMs?: number;
  /** Stop once this many trials in a row have not improved the best score (checked between rounds). */
  readonly patience?: number;
  /** Default 0. */
  readonly seed?: number;
  /** Refit the best params on all of X (default true). */
  readonly refit?: boolean;
}

export interface SearchRunOptions {
  readonly signal?: AbortSignal;
  /** After each trial: done/total trials (total is the planned count; early stops end below it). */
  readonly onProgress?: (p: Progress) => void;
}

export type TrialStatus = "ok" | "failed" | "cancelled";

export interface Trial {
  readonly index: number;
  readonly params: TrialParams;
  readonly status: TrialStatus;
  /** The optimized scorer's test score per fold. */
  readonly foldScores: readonly number[];
  /** Mean and std of the optimized score (NaN unless ok). */
  readonly mean: number;
  readonly std: number;
  /** Every scorer's fold scores, mean and std. */
  readonly scores: Readonly<Record<string, Summary>>;
  /** Fit time summed over folds. */
  readonly fitMs: number;
  /** Fit + predict + score time summed over folds (CPU time of the trial, whichever thread ran it). */
  readonly durationMs: number;
  readonly error?: string;
  /** Successive halving: the rung and its resource (rows or the resource param's value). */
  readonly rung?: number;
  readonly resource?: number;
}

export type StopReason = "exhausted" | "trials" | "time" | "patience";

export interface SearchResult {
  readonly search: string;
  readonly cv: string;
  readonly scoring: readonly string[];
  readonly trials: readonly Trial[];
  /** Index into trials of the best; -1 when no trial succeeded. */
  readonly bestIndex: number;
  readonly bestParams: TrialParams;
  readonly bestScore: number;
  readonly bestStd: number;
  /** The best params refitted on all of X (with refit). */
  readonly bestEstimator?: Predictor;
  readonly stoppedBy: StopReason;
  readonly elapsedMs: number;
  readonly refitMs: number;
}

/** A trial to run: its params, and for successive halving the rung and the share of training rows. */
export interface Candidate {
  readonly params: TrialParams;
  readonly rung?: number;
  readonly resource?: number;
  /** Fraction of each fold's training rows to fit on (default 1). */
  readonly rowFraction?: number;
}

/** How a search chooses its trials; `next` gets every finished trial and gives the next round. */
export interface Strategy {
  readonly name: string;
  /** Trials it plans, for progress. */
  readonly planned: number;
  next(trials: readonly Trial[]): readonly Candidate[];
  /** The best trial (default: the highest mean among ok trials, first on ties). */
  best?(trials: readonly Trial[]): number;
}

/** Thrown inside a round when the time budget ends it. */
class TimeBudgetReached extends Error {
  override name = "TimeBudgetReached";
}

/**
 * Runs a search: rounds of candidates from the strategy, each cross-validated on the same
 * splits, every fold of a round spread over the workers at once. The rounds depend only on the
 * seed and on earlier results, never on timing or nJobs, so a fixed seed gives the same trials
 * in the same order whether the fits ran serially or in parallel (budgets aside: a time budget
 * stops wherever the clock says).
 */
export async function runSearch(
  estimator: Predictor,
  space: SearchSpace,
  strategy: Strategy,
  X: Features,
  y: Target,
  options: SearchOptions,
  run: SearchRunOptions = {},
): Promise<SearchResult> {
  const t0 = performance.now();
  const { signal } = run;
  throwIfAborted(signal);
  const names = checkSpace(space);
  const spec = estimator.toSpec();
  checkAgainstEstimator(spec, space, names);
  const budget = options.nTrials ?? Number.POSITIVE_INFINITY;
  checkPositiveInt("nTrials", options.nTrials);
  checkPositiveInt("patience", options.patience);
  if (options.timeBudgetMs !== undefined && !(options.timeBudgetMs > 0)) {
    throw new ParameterError("timeBudgetMs", "a number of milliseconds > 0", options.timeBudgetMs);
  }
  const scorers = resolveScorers(options.scoring, estimator);
  const plan = planFolds(estimator, X, y, options.cv ?? 5, options.groups);
  const runner = new FoldRunner(X, y, options);
  const wantProba = scorers.some((s) => s.needsProba);
  const rowOrders = plan.splits.map((s, f) =>
    new Random((options.seed ?? 0) * 7919 + f + 1).shuffle(Int32Array.from(s.train)),
  );
  const total = Math.min(budget, strategy.planned);
  const trials: Trial[] = [];
  let stoppedBy: StopReason = "exhausted";
  const deadline = options.timeBudgetMs === undefined ? Number.POSITIVE_INFINITY : t0 + options.timeBudgetMs;

  for (;;) {
    throwIfAborted(signal);
    if (trials.length >= budget) {
      stoppedBy = "trials";
      break;
    }
    if (performance.now() >= deadline) {
      stoppedBy = "time";
      break;
    }
    if (options.patience !== undefined && sinceBest(trials) >= options.patience) {
      stoppedBy = "patience";
      break;
    }
    const round = strategy.next(trials).slice(0, budget - trials.length);
    if (round.length === 0) break;
    const jobs: FoldJob[] = round.flatMap((c) =>
      plan.splits.map((s, f) => ({
        spec: withParams(spec, c.params),
        train:
          c.rowFraction !== undefined && c.rowFraction < 1 ? subsample(rowOrders[f], c.rowFraction) : s.train,
        test: s.test,
        classes: plan.classes,
        proba: wantProba,
        predictTrain: false,
        returnParts: false,
      })),
    );
    const k = plan.splits.length;
    const foldsDone = new Int32Array(round.length);
    const clock = new AbortController();
    const timer = Number.isFinite(deadline)
      ? setTimeout(
          () => clock.abort(new TimeBudgetReached("time budget reached")),
          Math.max(0, deadline - performance.now()),
        )
      : undefined;
    const both = signal ? AbortSignal.any([signal, clock.signal]) : clock.signal;
    let outputs: (FoldOutput | Error)[];
    try {
      outputs = await runner.run(jobs, {
        signal: both,
        settle: true,
        onDone: (i) => {
          const c = Math.floor(i / k);
          if (++foldsDone[c] === k) {
            const done = trials.length + foldsDone.filter((d) => d === k).length;
            run.onProgress?.({
              done,
              total: Math.max(total, done),
              message: `trial ${trials.length + c + 1}`,
            });
          }
        },
      });
    } catch (e) {
      if (signal?.aborted || !clock.signal.aborted) throw signal?.aborted ? signal.reason : e;
      for (const c of round) trials.push(cancelledTrial(trials.length, c, scorers));
      stoppedBy = "time";
      break;
    } finally {
      if (timer) clearTimeout(timer);
    }
    round.forEach((c, r) => {
      trials.push(makeTrial(trials.length, c, outputs.slice(r * k, r * k + k), plan, scorers));
    });
  }

  const bestIndex = strategy.best ? strategy.best(trials) : bestOf(trials);
  const best = bestIndex >= 0 ? trials[bestIndex] : undefined;
  let bestEstimator: Predictor | undefined;
  const t1 = performance.now();
  if (best && options.refit !== false) {
    bestEstimator = createEstimator(withParams(spec, best.params)) as Predictor;
    await bestEstimator.fit(X, y, { signal });
  }
  const end = performance.now();
  return {
    search: strategy.name,
    cv: plan.name,
    scoring: scorers.map((s) => s.name),
    trials,
    bestIndex,
    bestParams: best?.params ?? {},
    bestScore: best?.mean ?? Number.NaN,
    bestStd: best?.std ?? Number.NaN,
    bestEstimator,
    stoppedBy,
    elapsedMs: end - t0,
    refitMs: bestEstimator ? end - t1 : 0,
  };
}

/** Every name must be a param of the estimator, and every bound a value it accepts. */
function checkAgainstEstimator(spec: EstimatorSpec, space: SearchSpace, names: readonly string[]): void {
  for (const name of names) {
    for (const v of probeValues(space[name])) {
      const s = withParams(spec, { [name]: v });
      try {
        createEstimator(s);
      } catch (e) {
        if (e instanceof ParameterError && e.param !== "kind") {
          throw new ParameterError(`space.${name}`, `values ${spec.kind} accepts (${e.message})`, v);
        }
        throw e;
      }
    }
  }
}

function checkPositiveInt(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new ParameterError(name, "an integer ≥ 1", v);
}

/** The first `fraction` of a fold's shuffled training rows, ascending. */
function subsample(order: Int32Array, fraction: number): Int32Array {
  const m = Math.max(1, Math.round(order.length * fraction));
  return order.slice(0, m).sort();
}

function makeTrial(
  index: number,
  c: Candidate,
  outs: readonly (FoldOutput | Error)[],
  plan: FoldPlan,
  scorers: readonly Scorer[],
): Trial {
  const failed = outs.find((o): o is Error => o instanceof Error);
  if (failed) return { ...cancelledTrial(index, c, scorers), status: "failed", error: failed.message };
  const folds = outs as FoldOutput[];
  let scored: Record<string, number>[];
  try {
    scored = folds.map((o, f) =>
      scoreFold(scorers, pick(plan.yTrue, plan.splits[f].test), o.test, plan.classes),
    );
  } catch (e) {
    return { ...cancelledTrial(index, c, scorers), status: "failed", error: (e as Error).message };
  }
  const scores = Object.fromEntries(scorers.map((s) => [s.name, summarize(scored.map((r) => r[s.name]))]));
  const main = scores[scorers[0].name];
  const fitMs = folds.reduce((a, o) => a + o.fitMs, 0);
  return {
    index,
    params: c.params,
    status: "ok",
    foldScores: main.values,
    mean: main.mean,
    std: main.std,
    scores,
    fitMs,
    durationMs: fitMs + folds.reduce((a, o) => a + o.predictMs, 0),
    rung: c.rung,
    resource: c.resource,
  };
}

function cancelledTrial(index: number, c: Candidate, scorers: readonly Scorer[]): Trial {
  const nan = summarize([Number.NaN]);
  return {
    index,
    params: c.params,
    status: "cancelled",
    foldScores: [],
    mean: Number.NaN,
    std: Number.NaN,
    scores: Object.fromEntries(scorers.map((s) => [s.name, { ...nan, values: [] }])),
    fitMs: 0,
    durationMs: 0,
    rung: c.rung,
    resource: c.resource,
  };
}

/** The ok trial with the highest mean (the first of equals), or -1. */
export function bestOf(trials: readonly Trial[], filter: (t: Trial) => boolean = () => true): number {
  let best = -1;
  for (const t of trials) {
    if (t.status === "ok" && filter(t) && (best < 0 || t.mean > trials[best].mean)) best = t.index;
  }
  return best;
}

/** Trials since the best one (all of them while none succeeded). */
function sinceBest(trials: readonly Trial[]): number {
  const b = bestOf(trials);
  return b < 0 ? trials.length : trials.length - 1 - b;
}

/** A search object: an estimator, a space and options; `fit` runs it. */
export abstract class Search<O extends SearchOptions = SearchOptions> {
  result?: SearchResult;

  constructor(
    readonly estimator: Predictor,
    readonly space: SearchSpace,
    readonly options: O = {} as O,
  ) {}

  protected abstract strategy(X: Features): Strategy;

  async fit(X: Features, y: Target, run: SearchRunOptions = {}): Promise<SearchResult> {
    checkSpace(this.space);
    this.result = await runSearch(this.estimator, this.space, this.strategy(X), X, y, this.options, run);
    return this.result;
  }
}
