import { InputError, ModelFormatError, ParameterError } from "../errors.js";
import type { FitOptions, JsonObject, ModelParts } from "../estimator.js";
import { FeatureMatrix, type FeatureSpec, type Features } from "../features.js";
import { type ParamSpecs, type ParamsOf, resolveParams } from "../params.js";
import { LinearDesign } from "./design.js";

/** The fitted state every linear model shares: coef is k × nFeatures row-major, intercept k. */
export interface LinearState {
  readonly features: readonly FeatureSpec[];
  readonly coef: Float64Array;
  readonly intercept: Float64Array;
  readonly nIter: number;
}

/** The design matrix of X at fit time plus validated sample weights (all 1 when absent). */
export function fitDesign(
  X: Features,
  nTarget: number,
  options: FitOptions | undefined,
): { design: LinearDesign; spec: FeatureSpec[]; sw: Float64Array } {
  const fm = FeatureMatrix.from(X);
  if (fm.nRows === 0) throw new InputError("cannot fit on an empty table (0 rows)");
  if (fm.nCols === 0) throw new InputError("cannot fit without features (0 columns)");
  if (nTarget !== fm.nRows) throw new InputError(`y has ${nTarget} rows but X has ${fm.nRows}`, "y");
  const design = new LinearDesign(fm);
  return { design, spec: fm.spec(), sw: sampleWeights(options?.sampleWeight, fm.nRows) };
}

export function sampleWeights(given: Float64Array | undefined, n: number): Float64Array {
  if (!given) return new Float64Array(n).fill(1);
  if (given.length !== n)
    throw new InputError(`sampleWeight has ${given.length} values, expected ${n}`, "sampleWeight");
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = given[i];
    if (!Number.isFinite(v) || v < 0)
      throw new InputError(`sampleWeight must be finite and ≥ 0 (row ${i + 1}: ${v})`, "sampleWeight");
    sum += v;
  }
  if (!(sum > 0)) throw new InputError("sampleWeight sums to 0", "sampleWeight");
  return given;
}

/** The design matrix of X at predict time, aligned to the fitted features. */
export function predictDesign(X: Features, features: readonly FeatureSpec[]): LinearDesign {
  return new LinearDesign(FeatureMatrix.from(X, features));
}

/** |coef| summed over classes, normalized to sum 1 (all zero when every coefficient is 0). */
export function importances(coef: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) out[j] += Math.abs(coef[c * d + j]);
  const s = out.reduce((a, v) => a + v, 0);
  if (s > 0) for (let j = 0; j < d; j++) out[j] /= s;
  return out;
}

export function linearParts(
  kind: string,
  params: object,
  s: LinearState,
  extra: JsonObject = {},
): ModelParts {
  return {
    kind,
    params: params as JsonObject,
    features: s.features,
    state: { nIter: s.nIter, ...extra },
    arrays: { coef: s.coef, intercept: s.intercept },
  };
}

/** Params read back from a model file; a bad one is a ModelFormatError. */
export function partsParams<S extends ParamSpecs>(owner: string, spec: S, parts: ModelParts): ParamsOf<S> {
  try {
    return resolveParams(owner, spec, parts.params as Partial<ParamsOf<S>>);
  } catch (e) {
    if (e instanceof ParameterError) throw new ModelFormatError(`bad ${owner} params: ${e.message}`);
    throw e;
  }
}

/** Validates the shared part of a linear model's parts: kind, features, coef k × d, intercept k. */
export function readLinearState(parts: ModelParts, kind: string, k: number): LinearState {
  if (parts.kind !== kind) throw new ModelFormatError(`expected kind "${kind}", got "${parts.kind}"`);
  if (!Array.isArray(parts.features) || parts.features.length === 0)
    throw new ModelFormatError(`${kind}: features must be a non-empty list`);
  const names = new Set<string>();
  for (const f of parts.features as unknown[]) {
    const spec = f as { kind?: unknown; name?: unknown } | null;
    if (
      typeof spec !== "object" ||
      spec === null ||
      (spec.kind !== "numeric" && spec.kind !== "indicator") ||
      typeof spec.name !== "string" ||
      names.has(spec.name)
    )
      throw new ModelFormatError(
        `${kind}: each feature must be a numeric or indicator feature with a unique name`,
      );
    names.add(spec.name);
  }
  const d = parts.features.length;
  const coef = parts.arrays.coef;
  const intercept = parts.arrays.intercept;
  if (!(coef instanceof Float64Array) || coef.length !== k * d)
    throw new ModelFormatError(`${kind}: coef must be a Float64Array of ${k} × ${d} values`);
  if (!(intercept instanceof Float64Array) || intercept.length !== k)
    throw new ModelFormatError(`${kind}: intercept must be a Float64Array of ${k} values`);
  for (const a of [coef, intercept])
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i])) throw new ModelFormatError(`${kind}: coefficients must be finite`);
  const nIter = parts.state.nIter;
  if (typeof nIter !== "number" || !Number.isInteger(nIter) || nIter < 0)
    throw new ModelFormatError(`${kind}: nIter must be a non-negative integer`);
  return { features: parts.features, coef, intercept, nIter };
}
