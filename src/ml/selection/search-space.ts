import type { Random } from "../../data/random.js";
import { ParameterError } from "../errors.js";
import type { EstimatorSpec, Json } from "../estimator.js";

/** A value a search gives a parameter. */
export type ParamValue = string | number | boolean | null;

/** The values one hyperparameter may take during a search. */
export type Dimension =
  | { readonly type: "choice"; readonly values: readonly ParamValue[] }
  | { readonly type: "int"; readonly low: number; readonly high: number; readonly log: boolean }
  | { readonly type: "uniform"; readonly low: number; readonly high: number; readonly grid?: number }
  | { readonly type: "logUniform"; readonly low: number; readonly high: number; readonly grid?: number };

/**
 * Hyperparameter name → its dimension. Names are the estimator's params; a pipeline step's
 * param is `step__param` (scikit-learn's convention, as Pipeline's clone takes them).
 */
export type SearchSpace = Readonly<Record<string, Dimension>>;

/** Params of one trial. */
export type TrialParams = Readonly<Record<string, ParamValue>>;

/** One of the listed values (any JSON scalars), each equally likely. */
export function choice(values: readonly ParamValue[]): Dimension {
  return { type: "choice", values: [...values] };
}

/** An integer in [low, high], both included; with `log`, uniform in log scale (for sizes like 10…1000). */
export function intRange(low: number, high: number, options: { log?: boolean } = {}): Dimension {
  return { type: "int", low, high, log: options.log === true };
}

/** A number uniform in [low, high). `grid`: how many evenly spaced values GridSearch tries (ends included). */
export function uniform(low: number, high: number, options: { grid?: number } = {}): Dimension {
  return { type: "uniform", low, high, grid: options.grid };
}

/** A positive number uniform in log scale over [low, high) (e.g. a regularization strength). */
export function logUniform(low: number, high: number, options: { grid?: number } = {}): Dimension {
  return { type: "logUniform", low, high, grid: options.grid };
}

/** Checks the space's own consistency (bounds, non-empty); a ParameterError names `space.<param>`. */
export function checkSpace(space: SearchSpace): string[] {
  const names = Object.keys(space);
  if (names.length === 0) throw new ParameterError("space", "a search space with at least one parameter");
  for (const name of names) {
    const d = space[name];
    const at = `space.${name}`;
    if (d === null || typeof d !== "object" || !("type" in d)) {
      throw new ParameterError(at, "a dimension: choice(), intRange(), uniform() or logUniform()");
    }
    switch (d.type) {
      case "choice":
        if (!Array.isArray(d.values) || d.values.length === 0)
          throw new ParameterError(at, "a choice of at least one value");
        for (const v of d.values) {
          if (v !== null && !["string", "number", "boolean"].includes(typeof v)) {
            throw new ParameterError(at, "a choice of strings, numbers, booleans or null", String(v));
          }
        }
        break;
      case "int":
        if (!Number.isInteger(d.low) || !Number.isInteger(d.high) || d.low > d.high) {
          throw new ParameterError(
            at,
            "an intRange(low, high) of integers with low ≤ high",
            `[${d.low}, ${d.high}]`,
          );
        }
        if (d.log && d.low < 1)
          throw new ParameterError(at, "an intRange with low ≥ 1 when log is set", d.low);
        break;
      case "uniform":
      case "logUniform":
        if (!Number.isFinite(d.low) || !Number.isFinite(d.high) || !(d.low < d.high)) {
          throw new ParameterError(
            at,
            `a ${d.type}(low, high) of finite numbers with low < high`,
            `[${d.low}, ${d.high}]`,
          );
        }
        if (d.type === "logUniform" && d.low <= 0)
          throw new ParameterError(at, "a logUniform with low > 0", d.low);
        if (d.grid !== undefined && (!Number.isInteger(d.grid) || d.grid < 2)) {
          throw new ParameterError(`${at}.grid`, "an integer ≥ 2", d.grid);
        }
        break;
      default:
        throw new ParameterError(at, "a dimension: choice(), intRange(), uniform() or logUniform()");
    }
  }
  return names;
}

/** A random value of a dimension. */
export function sampleDimension(d: Dimension, rng: Random): ParamValue {
  switch (d.type) {
    case "choice":
      return d.values[rng.int(d.values.length)];
    case "int":
      if (!d.log) return d.low + rng.int(d.high - d.low + 1);
      return Math.min(
        d.high,
        Math.floor(Math.exp(Math.log(d.low) + rng.next() * (Math.log(d.high + 1) - Math.log(d.low)))),
      );
    case "uniform":
      return d.low + rng.next() * (d.high - d.low);
    case "logUniform":
      return Math.exp(Math.log(d.low) + rng.next() * (Math.log(d.high) - Math.log(d.low)));
  }
}

/** The values GridSearch tries for a dimension. */
export function gridValues(name: string, d: Dimension, maxInts = 1000): ParamValue[] {
  switch (d.type) {
    case "choice":
      return [...d.values];
    case "int": {
      if (d.high - d.low + 1 > maxInts) {
        throw new ParameterError(
          `space.${name}`,
          `an intRange of at most ${maxInts} values for a grid search (or a choice)`,
        );
      }
      return Array.from({ length: d.high - d.low + 1 }, (_, i) => d.low + i);
    }
    case "uniform":
    case "logUniform": {
      if (d.grid === undefined) {
        throw new ParameterError(
          `space.${name}`,
          `a choice or an intRange for a grid search, or a ${d.type} with a grid size: ${d.type}(low, high, { grid: 5 })`,
        );
      }
      const g = d.grid;
      const log = d.type === "logUniform";
      const a = log ? Math.log(d.low) : d.low;
      const b = log ? Math.log(d.high) : d.high;
      return Array.from({ length: g }, (_, i) => {
        const t = a + ((b - a) * i) / (g - 1);
        return log ? Math.exp(t) : t;
      });
    }
  }
}

/**
 * The spec with trial params set: `name` on the estimator, `step__name` on a nested one.
 * An unknown name is a ParameterError naming it and listing those that exist.
 */
export function withParams(spec: EstimatorSpec, params: Readonly<Record<string, Json>>): EstimatorSpec {
  let out = spec;
  for (const [name, value] of Object.entries(params)) out = setParam(out, name, name.split("__"), value);
  return out;
}

function setParam(spec: EstimatorSpec, full: string, path: readonly string[], value: Json): EstimatorSpec {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    if (!Object.hasOwn(spec.params, head)) {
      const known = [
        ...Object.keys(spec.params),
        ...Object.keys(spec.children ?? {}).map((c) => `${c}__<param>`),
      ];
      throw new ParameterError(`space.${full}`, `a parameter of ${spec.kind} (${known.join(", ")})`);
    }
    return { ...spec, params: { ...spec.params, [head]: value } };
  }
  const child = spec.children?.[head];
  if (!child) {
    throw new ParameterError(
      `space.${full}`,
      `a parameter of ${spec.kind} (its steps: ${Object.keys(spec.children ?? {}).join(", ") || "none"})`,
    );
  }
  return { ...spec, children: { ...spec.children, [head]: setParam(child, full, rest, value) } };
}

/** Values to try on the estimator before searching, so that a bound it refuses fails at once. */
export function probeValues(d: Dimension): ParamValue[] {
  switch (d.type) {
    case "choice":
      return [...d.values];
    case "int":
      return [d.low, d.high];
    case "uniform":
    case "logUniform":
      // high is excluded from sampling: probe just inside it
      return [d.low, d.high - (d.high - d.low) * 1e-9];
  }
}
