import { ParameterError } from "./errors.js";

/**
 * Typed hyperparameters with defaults and validation. Each estimator declares a spec object,
 * e.g. `{ nEstimators: int(1, 100), maxDepth: nullable(int(1)) }`, and resolves user params
 * with `resolveParams`, which fills defaults and throws a ParameterError naming the bad
 * parameter (or the unknown one, listing those that exist).
 */
export interface ParamSpec<T> {
  readonly default: T;
  /** What is allowed, for error messages, e.g. "an integer ≥ 1". */
  readonly expected: string;
  /** The accepted value, or undefined when `v` is not allowed. */
  accept(v: unknown): T | undefined;
}

export type ParamSpecs = Record<string, ParamSpec<unknown>>;
export type ParamsOf<S extends ParamSpecs> = { -readonly [K in keyof S]: S[K]["default"] };

export function int(min: number, defaultValue: number, max = Number.POSITIVE_INFINITY): ParamSpec<number> {
  const expected =
    max === Number.POSITIVE_INFINITY ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
  return {
    default: defaultValue,
    expected,
    accept: (v) => (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? v : undefined),
  };
}

export interface RangeOptions {
  min?: number;
  max?: number;
  /** Exclude the bound itself. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

export function num(defaultValue: number, range: RangeOptions = {}): ParamSpec<number> {
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = range;
  const lo = min === Number.NEGATIVE_INFINITY ? "" : `${range.minExclusive ? ">" : "≥"} ${min}`;
  const hi = max === Number.POSITIVE_INFINITY ? "" : `${range.maxExclusive ? "<" : "≤"} ${max}`;
  const expected = `a finite number${lo || hi ? " " : ""}${[lo, hi].filter(Boolean).join(" and ")}`;
  return {
    default: defaultValue,
    expected,
    accept(v) {
      if (typeof v !== "number" || !Number.isFinite(v)) return undefined;
      if (range.minExclusive ? v <= min : v < min) return undefined;
      if (range.maxExclusive ? v >= max : v > max) return undefined;
      return v;
    },
  };
}

export function bool(defaultValue: boolean): ParamSpec<boolean> {
  return {
    default: defaultValue,
    expected: "true or false",
    accept: (v) => (typeof v === "boolean" ? v : undefined),
  };
}

export function choice<const T extends string>(values: readonly T[], defaultValue: T): ParamSpec<T> {
  return {
    default: defaultValue,
    expected: `one of ${values.map((x) => JSON.stringify(x)).join(", ")}`,
    accept: (v) => (values.includes(v as T) ? (v as T) : undefined),
  };
}

/** The inner spec, or null (the default unless given). */
export function nullable<T>(inner: ParamSpec<T>, defaultValue: T | null = null): ParamSpec<T | null> {
  return {
    default: defaultValue,
    expected: `${inner.expected}, or null`,
    accept: (v) => (v === null ? null : inner.accept(v)),
  };
}

/** Any of the given specs (the first that accepts wins). */
export function oneOf<T>(specs: readonly ParamSpec<T>[], defaultValue: T): ParamSpec<T> {
  return {
    default: defaultValue,
    expected: specs.map((s) => s.expected).join("; or "),
    accept(v) {
      for (const s of specs) {
        const ok = s.accept(v);
        if (ok !== undefined) return ok;
      }
      return undefined;
    },
  };
}

/** A spec with a hand-written check, for shapes the helpers above do not cover. */
export function custom<T>(
  expected: string,
  defaultValue: T,
  accept: (v: unknown) => T | undefined,
): ParamSpec<T> {
  return { default: defaultValue, expected, accept };
}

/** Defaults filled in, every given value checked; `owner` prefixes names in errors. */
export function resolveParams<S extends ParamSpecs>(
  owner: string,
  specs: S,
  given: Readonly<Partial<ParamsOf<S>>> = {} as Partial<ParamsOf<S>>,
): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (!(key in specs)) {
      throw new ParameterError(`${owner}.${key}`, `a known parameter (${Object.keys(specs).join(", ")})`);
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    const v = (given as Record<string, unknown>)[key];
    if (v === undefined) {
      out[key] = spec.default;
      continue;
    }
    const ok = spec.accept(v);
    if (ok === undefined) throw new ParameterError(`${owner}.${key}`, spec.expected, v);
    out[key] = ok;
  }
  return out as ParamsOf<S>;
}
