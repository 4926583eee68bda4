import { ParameterError } from "../errors.js";
import type { AnyEstimator } from "../estimator.js";

/** Overrides for a composite's clone: its own params, `child__param` for a child, or a child's name to replace it. */
export type NestedOverrides = Readonly<Record<string, unknown>>;

export interface SplitOverrides {
  /** Params of the composite itself. */
  readonly own: Record<string, unknown>;
  /** Per child: the overrides to pass to its clone (the `child__` prefix removed). */
  readonly children: Map<string, Record<string, unknown>>;
  /** Children replaced whole: `{ model: new Ridge() }`. */
  readonly replaced: Map<string, unknown>;
}

/**
 * Routes clone overrides as scikit-learn's `set_params`: `model__maxDepth` goes to the child
 * `model` as `maxDepth` (and `prep__num__strategy` further down), a bare child name replaces
 * the child, anything else must be one of `ownParams`. Unknown names are a ParameterError.
 */
export function splitOverrides(
  owner: string,
  overrides: NestedOverrides,
  childNames: readonly string[],
  ownParams: readonly string[],
): SplitOverrides {
  const own: Record<string, unknown> = {};
  const children = new Map<string, Record<string, unknown>>();
  const replaced = new Map<string, unknown>();
  const known = () =>
    `a parameter of ${owner} (${[...ownParams, ...childNames.map((c) => `${c}__<param>`)].join(", ")})`;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const cut = key.indexOf("__");
    if (cut < 0) {
      if (childNames.includes(key)) replaced.set(key, value);
      else if (ownParams.includes(key)) own[key] = value;
      else throw new ParameterError(`${owner}.${key}`, known());
      continue;
    }
    const child = key.slice(0, cut);
    if (!childNames.includes(child)) throw new ParameterError(`${owner}.${key}`, known());
    const rest = key.slice(cut + 2);
    const bucket = children.get(child) ?? {};
    bucket[rest] = value;
    children.set(child, bucket);
  }
  return { own, children, replaced };
}

/** A child cloned with its overrides (its own ParameterError names the bad one). */
export function cloneChild<E extends AnyEstimator>(
  child: E,
  overrides: Record<string, unknown> | undefined,
): E {
  return (child.clone as (o?: Record<string, unknown>) => E).call(child, overrides);
}

/** Whether a value is a fitted-or-not estimator object (duck-typed on the contract). */
export function isEstimator(v: unknown): v is AnyEstimator {
  const e = v as AnyEstimator;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof e.kind === "string" &&
    typeof e.task === "string" &&
    typeof e.fit === "function" &&
    typeof e.clone === "function"
  );
}
