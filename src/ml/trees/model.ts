import { ModelFormatError, NotFittedError } from "../errors.js";
import type { EstimatorSpec, Json, JsonObject, ModelParts } from "../estimator.js";
import { FeatureMatrix, type FeatureSpec, type Features } from "../features.js";
import { Forest, predictColumns, rowLevels } from "./forest.js";
import { nodeFractions, type ShapResult, treeShap } from "./shap.js";

/** Fitted state shared by every tree estimator. */
export interface TreeFit {
  readonly spec: FeatureSpec[];
  readonly forest: Forest;
  /** Per feature: total gain and number of splits (normalized on request). */
  readonly gain: Float64Array;
  readonly splits: Float64Array;
}

/** What the tree estimators share: params, fitted forest, importances, prediction plumbing. */
export abstract class TreeModel<P extends object> {
  abstract readonly kind: string;
  readonly params: Readonly<P>;
  warnings: string[] = [];
  protected fitted: TreeFit | null = null;

  constructor(params: P) {
    this.params = params;
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  protected state(): TreeFit {
    if (!this.fitted) throw new NotFittedError(this.kind);
    return this.fitted;
  }

  /** Names of the features seen at fit, in the order of featureImportances. */
  get featureNames(): readonly string[] {
    return this.state().spec.map((s) => s.name);
  }

  private levels: { fit: TreeFit; levels: Float64Array } | null = null;

  /** Adds one row's tree outputs into out (Forest.addRowInto with the fitted features' levels). */
  protected addRowInto(row: ArrayLike<number>, out: Float64Array): void {
    const s = this.state();
    if (this.levels?.fit !== s) this.levels = { fit: s, levels: rowLevels(s.spec) };
    s.forest.addRowInto(row, out, this.levels.levels);
  }

  get nTrees(): number {
    return this.state().forest.nTrees;
  }

  /** Importance per feature, summing to 1: total split gain (default) or number of splits. */
  featureImportances(kind: "gain" | "split" = "gain"): Float64Array {
    const s = this.state();
    const v = Float64Array.from(kind === "split" ? s.splits : s.gain);
    let total = 0;
    for (const x of v) total += x;
    if (total > 0) for (let i = 0; i < v.length; i++) v[i] /= total;
    return v;
  }

  abstract clone(overrides?: Partial<P>): this;

  toSpec(): EstimatorSpec {
    return { kind: this.kind, params: this.params as unknown as JsonObject };
  }

  /**
   * Exact TreeSHAP values of X's rows for each raw output (shap.ts): node covers come from the
   * `background` rows (e.g. a sample of the training data), the expected value is their average.
   */
  shapValues(X: Features, background: Features): ShapResult {
    const s = this.state();
    const M = FeatureMatrix.from(X, s.spec);
    const B = FeatureMatrix.from(background, s.spec);
    const frac = nodeFractions(s.forest, predictColumns(B), B.nRows);
    const r = treeShap(s.forest, predictColumns(M), M.nRows, frac, this.rawInit());
    const scale = this.averagesTrees() ? 1 / s.forest.nTrees : 1;
    if (scale !== 1) {
      for (let i = 0; i < r.values.length; i++) r.values[i] *= scale;
      for (let k = 0; k < r.expected.length; k++) r.expected[k] *= scale;
    }
    return r;
  }

  /** Whether the output is the trees' average (forests) rather than their sum (boosting). */
  protected averagesTrees(): boolean {
    return true;
  }

  /** The constant in every raw output (gradient boosting's initial score; none for forests). */
  protected rawInit(): ArrayLike<number> | null {
    return null;
  }

  /** Sum of the trees' outputs for each row of X (nRows × outWidth), plus `init` per output. */
  protected rawScores(X: Features, init: ArrayLike<number> | null): { out: Float64Array; n: number } {
    const s = this.state();
    const M = FeatureMatrix.from(X, s.spec);
    const w = s.forest.outWidth;
    const out = new Float64Array(M.nRows * w);
    if (init) for (let i = 0; i < M.nRows; i++) for (let k = 0; k < w; k++) out[i * w + k] = init[k];
    s.forest.addInto(predictColumns(M), M.nRows, out);
    return { out, n: M.nRows };
  }

  protected baseParts(state: JsonObject): ModelParts {
    const s = this.state();
    return {
      kind: this.kind,
      params: this.params as unknown as JsonObject,
      features: s.spec,
      state: { ...state, leafWidth: s.forest.leafWidth, outWidth: s.forest.outWidth },
      arrays: { ...s.forest.toArrays(), importanceGain: s.gain, importanceSplit: s.splits },
    };
  }
}

/** Reads the fitted state common to every tree estimator from model parts, validating it. */
export function readTreeFit(parts: ModelParts): TreeFit {
  const st = parts.state;
  const lw = st.leafWidth;
  const ow = st.outWidth;
  if (typeof lw !== "number" || typeof ow !== "number")
    throw new ModelFormatError("tree ensemble: missing widths");
  if (!Array.isArray(parts.features) || parts.features.length === 0)
    throw new ModelFormatError("tree ensemble: no features");
  const F = parts.features.length;
  for (const f of parts.features) {
    if (typeof f?.name !== "string") throw new ModelFormatError("tree ensemble: bad feature spec");
    if (f.kind === "categorical") {
      if (!Array.isArray(f.levels) || (f.levels as unknown[]).some((l) => typeof l !== "string"))
        throw new ModelFormatError(`tree ensemble: bad levels of feature "${f.name}"`);
    } else if (f.kind !== "numeric" && f.kind !== "indicator")
      throw new ModelFormatError(`tree ensemble: bad kind of feature "${f.name}"`);
  }
  const forest = Forest.fromArrays(parts.arrays, parts.features, lw, ow);
  const gain = parts.arrays.importanceGain;
  const splits = parts.arrays.importanceSplit;
  if (
    !(gain instanceof Float64Array) ||
    gain.length !== F ||
    !(splits instanceof Float64Array) ||
    splits.length !== F
  )
    throw new ModelFormatError("tree ensemble: importances missing or of the wrong size");
  return { spec: [...parts.features], forest, gain, splits };
}

/** A finite number from model state, or a ModelFormatError naming it. */
export function stateNumber(state: JsonObject, key: string): number {
  const v = state[key];
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new ModelFormatError(`tree ensemble: state "${key}" is not a number`);
  return v;
}

export function stateNumbers(state: JsonObject, key: string, length: number): number[] {
  const v = state[key] as Json;
  if (!Array.isArray(v) || v.length !== length || v.some((x) => typeof x !== "number" || !Number.isFinite(x)))
    throw new ModelFormatError(`tree ensemble: state "${key}" must be ${length} numbers`);
  return v as number[];
}
