import { Random } from "../../data/random.js";
import { ParameterError } from "../errors.js";
import { Search, type SearchOptions, type Strategy, type Trial } from "./search.js";
import {
  gridValues,
  type ParamValue,
  type SearchSpace,
  sampleDimension,
  type TrialParams,
} from "./search-space.js";
import { tpePropose } from "./tpe.js";

/**
 * Trials per round when a stop rule (patience, time budget) is checked between rounds; enough to
 * keep both cores busy. Without one, a list search is one round, so no core waits at round ends.
 */
const ROUND = 8;

function roundSize(options: SearchOptions): number {
  return options.patience === undefined && options.timeBudgetMs === undefined
    ? Number.POSITIVE_INFINITY
    : ROUND;
}

/** Parameter names in sorted order, as scikit-learn's ParameterGrid / ParameterSampler iterate them. */
function sortedNames(space: SearchSpace): string[] {
  return Object.keys(space).sort();
}

/** Every combination of the dimensions' grid values (the last name, sorted, varies fastest — scikit-learn's order). */
export function gridCandidates(space: SearchSpace): TrialParams[] {
  const names = sortedNames(space);
  const values = names.map((n) => gridValues(n, space[n]));
  let out: Record<string, ParamValue>[] = [{}];
  names.forEach((n, j) => {
    out = out.flatMap((p) => values[j].map((v) => ({ ...p, [n]: v })));
  });
  return out;
}

/** In-order rounds over a fixed list. */
function listStrategy(name: string, list: readonly TrialParams[], round: number): Strategy {
  return {
    name,
    planned: list.length,
    next: (trials) => list.slice(trials.length, trials.length + round).map((params) => ({ params })),
  };
}

/** Every combination of the space's values (choices, integer ranges, uniform ranges given a `grid` size). */
export class GridSearch extends Search {
  protected strategy(): Strategy {
    return listStrategy("GridSearch", gridCandidates(this.space), roundSize(this.options));
  }
}

function randomParams(space: SearchSpace, rng: Random): TrialParams {
  const p: Record<string, ParamValue> = {};
  for (const n of sortedNames(space)) p[n] = sampleDimension(space[n], rng);
  return p;
}

/** `nTrials` (default 10) independent random draws from the space, seeded. */
export class RandomSearch extends Search {
  protected strategy(): Strategy {
    const n = this.options.nTrials ?? 10;
    const rng = new Random(this.options.seed ?? 0);
    return listStrategy(
      "RandomSearch",
      Array.from({ length: n }, () => randomParams(this.space, rng)),
      roundSize(this.options),
    );
  }
}

export interface BayesSearchOptions extends SearchOptions {
  /** Random trials before the model takes over (default min(10, nTrials)). */
  readonly nStartup?: number;
  /** Trials proposed per round from the same model (default 4), so both cores stay busy. */
  readonly batchSize?: number;
}

/**
 * Bayesian optimization with a tree-structured Parzen estimator (TPE): random trials first,
 * then rounds of `batchSize` proposals, each from the densities of the good and the other
 * finished trials. Default 30 trials.
 */
export class BayesSearch extends Search<BayesSearchOptions> {
  protected strategy(): Strategy {
    const nTrials = this.options.nTrials ?? 30;
    const nStartup = this.options.nStartup ?? Math.min(10, nTrials);
    const batch = this.options.batchSize ?? 4;
    for (const [k, v] of [
      ["nStartup", nStartup],
      ["batchSize", batch],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ParameterError(k, "an integer ≥ 1", v);
    }
    const seed = this.options.seed ?? 0;
    const startRng = new Random(seed);
    const tpeRng = new Random(seed + 0x5bd1e995);
    const startup = Array.from({ length: nStartup }, () => randomParams(this.space, startRng));
    const space = this.space;
    return {
      name: "BayesSearch(TPE)",
      planned: nTrials,
      next(trials: readonly Trial[]) {
        const n = trials.length;
        if (n >= nTrials) return [];
        if (n < nStartup) return startup.slice(n).map((params) => ({ params }));
        const history = trials
          .filter((t) => t.status === "ok")
          .map((t) => ({ params: t.params, loss: -t.mean }));
        if (history.length === 0) return [{ params: randomParams(space, tpeRng) }];
        const size = Math.min(batch, nTrials - n);
        return Array.from({ length: size }, () => ({ params: tpePropose(space, history, tpeRng) }));
      },
    };
  }
}
