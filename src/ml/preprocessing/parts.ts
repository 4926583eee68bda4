import { ModelFormatError, ParameterError } from "../errors.js";
import type { Json, ModelParts, SectionArray } from "../estimator.js";
import type { FeatureSpec } from "../features.js";
import { type ParamSpecs, type ParamsOf, resolveParams } from "../params.js";

/**
 * Checks for `fromParts`: everything read from a model file is validated here and refused
 * with a ModelFormatError naming what is wrong, so that a hostile file cannot crash a loader.
 */
export function formatError(kind: string, message: string): ModelFormatError {
  return new ModelFormatError(`${kind}: ${message}`);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** Parts of the given kind with the shape ModelParts promises (params, state, arrays, children objects; features a list). */
export function checkParts(parts: unknown, kind: string): asserts parts is ModelParts {
  if (!isObject(parts)) throw formatError(kind, "parts must be an object");
  if (parts.kind !== kind) throw formatError(kind, `parts of kind "${String(parts.kind)}"`);
  for (const key of ["params", "state", "arrays"]) {
    if (!isObject(parts[key])) throw formatError(kind, `${key} must be an object`);
  }
  if (!Array.isArray(parts.features)) throw formatError(kind, "features must be an array");
  if (parts.children !== undefined) {
    if (!isObject(parts.children)) throw formatError(kind, "children must be an object");
    for (const [name, child] of Object.entries(parts.children)) {
      if (!isObject(child)) throw formatError(kind, `child "${name}" must be an object`);
    }
  }
}

/** The parts' kind must be `kind`; params are resolved as the constructor would (bad ones refused). */
export function readParams<S extends ParamSpecs>(parts: ModelParts, kind: string, specs: S, owner: string) {
  checkParts(parts, kind);
  try {
    return resolveParams(owner, specs, parts.params as Partial<ParamsOf<S>>);
  } catch (e) {
    if (e instanceof ParameterError) throw formatError(kind, `bad params: ${e.message}`);
    throw e;
  }
}

/** The fitted input features, checked to be a list of well-formed specs with unique names. */
export function readFeatures(parts: ModelParts, kind: string): FeatureSpec[] {
  if (!Array.isArray(parts.features)) throw formatError(kind, "features must be an array");
  const seen = new Set<string>();
  for (const f of parts.features as unknown[]) {
    const s = f as Record<string, unknown>;
    if (typeof s !== "object" || s === null || typeof s.name !== "string") {
      throw formatError(kind, "each feature must be {kind, name}");
    }
    if (seen.has(s.name)) throw formatError(kind, `duplicate feature "${s.name}"`);
    seen.add(s.name);
    if (s.kind === "categorical") {
      if (!isStringArray(s.levels)) throw formatError(kind, `feature "${s.name}": levels must be strings`);
    } else if (s.kind !== "numeric" && s.kind !== "indicator") {
      throw formatError(kind, `feature "${s.name}": unknown kind`);
    }
  }
  return parts.features as FeatureSpec[];
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

/** A typed array section of the given type and length. */
export function readArray<T extends SectionArray>(
  parts: ModelParts,
  kind: string,
  name: string,
  ctor: new (n: number) => T,
  length: number,
): T {
  const a = Object.hasOwn(parts.arrays, name) ? parts.arrays[name] : undefined;
  if (!(a instanceof ctor)) throw formatError(kind, `array "${name}" is missing or of the wrong type`);
  if (a.length !== length) {
    throw formatError(kind, `array "${name}" has ${a.length} values, expected ${length}`);
  }
  return a;
}

/** A state entry that must be an array of `length` items (any length when omitted). */
export function readList(parts: ModelParts, kind: string, key: string, length?: number): Json[] {
  const v = Object.hasOwn(parts.state, key) ? parts.state[key] : undefined;
  if (!Array.isArray(v)) throw formatError(kind, `state.${key} must be an array`);
  if (length !== undefined && v.length !== length) {
    throw formatError(kind, `state.${key} has ${v.length} entries, expected ${length}`);
  }
  return v;
}

/** An integer index in [0, n). */
export function isIndex(v: unknown, n: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v < n;
}
