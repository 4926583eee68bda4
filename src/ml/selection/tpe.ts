import type { Random } from "../../data/random.js";
import type { Dimension, ParamValue, SearchSpace, TrialParams } from "./search-space.js";

/** A finished trial as TPE sees it: its params and its loss (lower is better). */
export interface Observation {
  readonly params: TrialParams;
  readonly loss: number;
}

export interface TpeOptions {
  /** Candidates drawn from the good-trials density per proposal (default 24, as hyperopt/optuna). */
  readonly nCandidates?: number;
}

/**
 * Tree-structured Parzen estimator (Bergstra et al. 2011), one dimension at a time: split the
 * finished trials into the best γ(n) = min(⌈0.1·n⌉, 25) and the rest, fit a Parzen density to
 * each (truncated Gaussians in the dimension's scale — log for log dimensions — plus a broad
 * prior; smoothed counts for choices), draw candidates from the good density and keep the one
 * with the highest ratio good/bad.
 */
export function tpePropose(
  space: SearchSpace,
  history: readonly Observation[],
  rng: Random,
  options: TpeOptions = {},
): TrialParams {
  const nCand = options.nCandidates ?? 24;
  const sorted = [...history].sort((a, b) => a.loss - b.loss);
  const nGood = Math.max(1, Math.min(Math.ceil(0.1 * sorted.length), 25));
  const good = sorted.slice(0, nGood);
  const bad = sorted.slice(nGood);
  const out: Record<string, ParamValue> = {};
  for (const [name, d] of Object.entries(space)) {
    out[name] = proposeDimension(
      d,
      good.map((o) => o.params[name]),
      bad.map((o) => o.params[name]),
      rng,
      nCand,
    );
  }
  return out;
}

function proposeDimension(
  d: Dimension,
  good: ParamValue[],
  bad: ParamValue[],
  rng: Random,
  nCand: number,
): ParamValue {
  if (d.type === "choice") {
    const k = d.values.length;
    const weights = (obs: ParamValue[]) => {
      const w = new Float64Array(k).fill(1 / k);
      for (const v of obs) {
        const j = d.values.indexOf(v);
        if (j >= 0) w[j] += 1;
      }
      const s = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / s);
    };
    const l = weights(good);
    const g = weights(bad);
    let best = 0;
    let bestRatio = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < nCand; c++) {
      let u = rng.next();
      let j = 0;
      while (j < k - 1 && u >= l[j]) u -= l[j++];
      const ratio = Math.log(l[j]) - Math.log(g[j]);
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = j;
      }
    }
    return d.values[best];
  }
  const log = d.type === "logUniform" || (d.type === "int" && d.log);
  const isInt = d.type === "int";
  // ints as a continuous range widened by half a step each side, rounded afterwards
  const lo0 = isInt ? d.low - 0.5 : d.low;
  const hi0 = isInt ? d.high + 0.5 : d.high;
  const lo = log ? Math.log(Math.max(lo0, isInt ? 0.5 : lo0)) : lo0;
  const hi = log ? Math.log(hi0) : hi0;
  const fwd = (v: ParamValue) => (log ? Math.log(v as number) : (v as number));
  const l = parzen(good.map(fwd), lo, hi);
  const g = parzen(bad.map(fwd), lo, hi);
  let best = (lo + hi) / 2;
  let bestRatio = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < nCand; c++) {
    const x = l.sample(rng);
    const ratio = l.logDensity(x) - g.logDensity(x);
    if (ratio > bestRatio) {
      bestRatio = ratio;
      best = x;
    }
  }
  let v = log ? Math.exp(best) : best;
  if (isInt) v = Math.min(d.high, Math.max(d.low, Math.round(v)));
  else v = Math.min(Math.max(v, d.low), d.high);
  return v;
}

interface Parzen {
  sample(rng: Random): number;
  logDensity(x: number): number;
}

/** Equal-weight truncated Gaussians at the observations plus a prior N(mid, range) on [lo, hi]. */
function parzen(obs: readonly number[], lo: number, hi: number): Parzen {
  const range = hi - lo;
  const mus = [(lo + hi) / 2, ...obs];
  const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b]);
  const sigmas = new Float64Array(mus.length);
  const minSigma = range / Math.min(100, 1 + mus.length);
  // each kernel as wide as the larger gap to its sorted neighbours (hyperopt's rule), clipped
  order.forEach((i, r) => {
    const left = r > 0 ? mus[i] - mus[order[r - 1]] : mus[i] - lo;
    const right = r < order.length - 1 ? mus[order[r + 1]] - mus[i] : hi - mus[i];
    sigmas[i] = Math.min(range, Math.max(minSigma, left, right));
  });
  sigmas[0] = range; // the prior stays broad
  const mass = mus.map((m, i) => normCdf((hi - m) / sigmas[i]) - normCdf((lo - m) / sigmas[i]));
  const w = 1 / mus.length;
  return {
    sample(rng) {
      const i = rng.int(mus.length);
      for (let t = 0; t < 64; t++) {
        const x = mus[i] + sigmas[i] * rng.normal();
        if (x >= lo && x <= hi) return x;
      }
      return Math.min(hi, Math.max(lo, mus[i]));
    },
    logDensity(x) {
      let p = 0;
      for (let i = 0; i < mus.length; i++) {
        const z = (x - mus[i]) / sigmas[i];
        p += (w * Math.exp(-0.5 * z * z)) / (sigmas[i] * Math.sqrt(2 * Math.PI) * Math.max(mass[i], 1e-12));
      }
      return Math.log(Math.max(p, 1e-300));
    },
  };
}

/** Standard normal CDF (erf by Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
function normCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
