import { ModelFormatError, ParameterError } from "../errors.js";
import type { JsonObject, ModelParts, SectionArray } from "../estimator.js";
import type { FeatureSpec } from "../features.js";

/**
 * Checks shared by the clustering estimators' `fromParts`: everything read from a model file is
 * validated here, so that a hostile file is a ModelFormatError, never a crash.
 */
export function expectKind(parts: ModelParts, kind: string): void {
  if (parts.kind !== kind) throw new ModelFormatError(`expected a "${kind}" model, got "${parts.kind}"`);
}

/** Builds the estimator from stored params, a bad param becoming a ModelFormatError. */
export function paramsFrom<T>(kind: string, params: unknown, make: (p: JsonObject) => T): T {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new ModelFormatError(`${kind}: params must be an object`);
  }
  try {
    return make(params as JsonObject);
  } catch (e) {
    if (e instanceof ParameterError) throw new ModelFormatError(`${kind}: ${e.message}`);
    throw e;
  }
}

/** Numeric (or indicator) feature specs with distinct string names. */
export function numericFeatures(kind: string, features: unknown): FeatureSpec[] {
  if (!Array.isArray(features)) throw new ModelFormatError(`${kind}: features must be a list`);
  const seen = new Set<string>();
  return features.map((f: unknown, i) => {
    const spec = f as { kind?: unknown; name?: unknown };
    if (typeof f !== "object" || f === null || typeof spec.name !== "string") {
      throw new ModelFormatError(`${kind}: feature ${i} has no name`);
    }
    if (spec.kind !== "numeric" && spec.kind !== "indicator") {
      throw new ModelFormatError(`${kind}: feature "${spec.name}" must be numeric or indicator`);
    }
    if (seen.has(spec.name)) throw new ModelFormatError(`${kind}: duplicate feature "${spec.name}"`);
    seen.add(spec.name);
    return { kind: spec.kind, name: spec.name };
  });
}

/** The named array, of the given type and length, every value finite. */
export function finiteArray(kind: string, parts: ModelParts, name: string, length: number): Float64Array {
  const a = arrayOf(kind, parts, name, Float64Array, length);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new ModelFormatError(`${kind}: ${name}[${i}] is not finite`);
  }
  return a;
}

/** The named Int32Array of the given length, every value in [min, max). */
export function indexArray(
  kind: string,
  parts: ModelParts,
  name: string,
  length: number,
  min: number,
  max: number,
): Int32Array {
  const a = arrayOf(kind, parts, name, Int32Array, length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] < min || a[i] >= max) {
      throw new ModelFormatError(`${kind}: ${name}[${i}] = ${a[i]} is outside [${min}, ${max})`);
    }
  }
  return a;
}

function arrayOf<T extends SectionArray>(
  kind: string,
  parts: ModelParts,
  name: string,
  ctor: { new (n: number): T; name: string },
  length: number,
): T {
  const arrays = parts.arrays as Record<string, SectionArray | undefined>;
  const a = Object.hasOwn(arrays, name) ? arrays[name] : undefined;
  if (!(a instanceof ctor)) throw new ModelFormatError(`${kind}: missing ${ctor.name} "${name}"`);
  if (a.length !== length) {
    throw new ModelFormatError(`${kind}: "${name}" has ${a.length} values, expected ${length}`);
  }
  return a;
}

/** A finite number (≥ min) from the state. */
export function stateNumber(
  kind: string,
  state: JsonObject,
  key: string,
  min = Number.NEGATIVE_INFINITY,
): number {
  const v = Object.hasOwn(state, key) ? state[key] : undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min) {
    throw new ModelFormatError(`${kind}: state.${key} must be a finite number ≥ ${min}`);
  }
  return v;
}

/** A list of strings from the state (warnings). */
export function stateStrings(kind: string, state: JsonObject, key: string): string[] {
  const v = Object.hasOwn(state, key) ? state[key] : [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) {
    throw new ModelFormatError(`${kind}: state.${key} must be a list of strings`);
  }
  return v as string[];
}
