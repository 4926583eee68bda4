import { Random } from "../../data/random.js";
import { ParameterError } from "../errors.js";
import type { Features } from "../features.js";
import { bestOf, type Candidate, Search, type SearchOptions, type Strategy, type Trial } from "./search.js";
import { type ParamValue, sampleDimension, type TrialParams } from "./search-space.js";

export interface HalvingSearchOptions extends SearchOptions {
  /**
   * What grows from rung to rung: "rows" (a share of each fold's training rows) or the name of an
   * integer param of the estimator, e.g. "nEstimators" (default "rows").
   */
  readonly resource?: string;
  /** Keep the best 1/factor of the candidates each rung, give them factor× the resource (default 3). */
  readonly factor?: number;
  /** The first rung's resource: rows (default max(30, 2% of the rows)) or the param's value (default 10). */
  readonly minResource?: number;
  /** The last rung's resource: rows (default all) or the param's value (default the estimator's). */
  readonly maxResource?: number;
  /** Random candidates in the first rung (default: enough that the last rung keeps one or two). */
  readonly nCandidates?: number;
}

/**
 * Successive halving over random candidates (scikit-learn's HalvingRandomSearchCV): all
 * candidates get a small resource, the best 1/factor go on with factor times more, until the
 * resource is used up or one candidate is left. The best is the best of the last rung.
 */
export class HalvingSearch extends Search<HalvingSearchOptions> {
  protected strategy(X: Features): Strategy {
    const o = this.options;
    const factor = o.factor ?? 3;
    if (!(factor > 1)) throw new ParameterError("factor", "a number > 1", factor);
    const resource = o.resource ?? "rows";
    const rows = resource === "rows";
    if (!rows && !(resource in this.estimator.toSpec().params)) {
      throw new ParameterError(
        "resource",
        `"rows" or an integer parameter of ${this.estimator.kind}`,
        resource,
      );
    }
    if (!rows && resource in this.space) {
      throw new ParameterError(
        "resource",
        `a parameter not also searched (${resource} is in the space)`,
        resource,
      );
    }
    const nRows = X.nRows;
    const given = this.estimator.toSpec().params[resource];
    const maxR = o.maxResource ?? (rows ? nRows : typeof given === "number" ? given : Number.NaN);
    const minR = o.minResource ?? (rows ? Math.min(maxR, Math.max(30, Math.round(nRows * 0.02))) : 10);
    if (!(maxR >= minR && minR > 0)) {
      throw new ParameterError(
        "minResource",
        `a resource with 0 < minResource ≤ maxResource (${maxR})`,
        minR,
      );
    }
    const nRungs = Math.floor(Math.log(maxR / minR) / Math.log(factor) + 1e-9) + 1;
    const nCandidates = o.nCandidates ?? Math.max(2, Math.round(factor ** (nRungs - 1)));
    if (!Number.isInteger(nCandidates) || nCandidates < 1) {
      throw new ParameterError("nCandidates", "an integer ≥ 1", nCandidates);
    }
    const rng = new Random(o.seed ?? 0);
    const names = Object.keys(this.space).sort();
    const first: TrialParams[] = Array.from({ length: nCandidates }, () => {
      const p: Record<string, ParamValue> = {};
      for (const n of names) p[n] = sampleDimension(this.space[n], rng);
      return p;
    });
    const resourceAt = (rung: number) => Math.min(maxR, minR * factor ** rung);
    const candidate = (params: TrialParams, rung: number): Candidate => {
      const r = rows ? Math.round(resourceAt(rung)) : Math.round(resourceAt(rung));
      return rows
        ? { params, rung, resource: r, rowFraction: r / nRows }
        : { params: { ...params, [resource]: r }, rung, resource: r };
    };
    let planned = 0;
    for (let r = 0, n = nCandidates; r < nRungs && n >= 1; r++, n = Math.ceil(n / factor)) {
      planned += n;
      if (n === 1) break;
    }
    return {
      name: `HalvingSearch(${resource}, factor ${factor})`,
      planned,
      next(trials: readonly Trial[]): Candidate[] {
        if (trials.length === 0) return first.map((p) => candidate(p, 0));
        const rung = trials[trials.length - 1].rung ?? 0;
        const inRung = trials.filter((t) => t.rung === rung);
        if (rung + 1 >= nRungs || inRung.length <= 1) return [];
        const keep = Math.max(1, Math.ceil(inRung.length / factor));
        const ranked = inRung
          .filter((t) => t.status === "ok")
          .sort((a, b) => b.mean - a.mean || a.index - b.index)
          .slice(0, keep);
        return ranked.map((t) => candidate(baseParams(t.params), rung + 1));
      },
      best(trials: readonly Trial[]): number {
        const last = Math.max(-1, ...trials.filter((t) => t.status === "ok").map((t) => t.rung ?? 0));
        return bestOf(trials, (t) => t.rung === last);
      },
    };

    function baseParams(p: TrialParams): TrialParams {
      if (rows) return p;
      const { [resource]: _, ...rest } = p;
      return rest;
    }
  }
}
