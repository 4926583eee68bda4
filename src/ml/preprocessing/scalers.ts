import type { ModelParts } from "../estimator.js";
import type { Feature } from "../features.js";
import { bool, custom, type ParamsOf, resolveParams } from "../params.js";
import { ColumnwiseTransformer, type TransformerState } from "./base.js";
import {
  checkFinite,
  median,
  nanMeanVar,
  numericValues,
  percentile,
  presentValues,
  safeScale,
} from "./numeric.js";
import { formatError, readArray, readFeatures, readParams } from "./parts.js";

/**
 * The three scalers: each learns an offset and a scale per feature and outputs
 * `(x - offset) / scale` (MinMaxScaler: `x * scale + offset`). Missing values are ignored at
 * fit and stay missing; ±Infinity is refused; categorical features are refused (encode first).
 * An indicator input is densified.
 */
abstract class Scaler<P extends object> extends ColumnwiseTransformer<P> {
  protected offset = new Float64Array(0);
  protected scale = new Float64Array(0);

  protected abstract fitColumn(values: Float64Array, j: number): void;
  protected abstract apply(values: Float64Array, j: number): Float64Array;

  protected fitFeatures(features: readonly Feature[]): void {
    this.offset = new Float64Array(features.length);
    this.scale = new Float64Array(features.length);
    features.forEach((f, j) => {
      const values = numericValues(f, this.constructor.name);
      checkFinite(values, f.name, this.constructor.name);
      this.fitColumn(values, j);
    });
  }

  protected transformFeatures(features: readonly Feature[]): Feature[] {
    return features.map((f, j) => {
      const values = numericValues(f, this.constructor.name);
      checkFinite(values, f.name, this.constructor.name);
      return { kind: "numeric", name: f.name, values: this.apply(values, j) };
    });
  }

  protected outputNames(): string[] {
    return this.fittedSpec().map((s) => s.name);
  }

  protected fittedState(): TransformerState {
    return { state: {}, arrays: { offset: this.offset, scale: this.scale } };
  }

  protected restoreArrays(parts: ModelParts): this {
    const spec = readFeatures(parts, this.kind);
    this.offset = readArray(parts, this.kind, "offset", Float64Array, spec.length);
    this.scale = readArray(parts, this.kind, "scale", Float64Array, spec.length);
    return this.restore(spec);
  }
}

/** `(x - offset) / scale`, each step skipped when disabled (as numpy, a subtraction then a division). */
function centerScale(values: Float64Array, offset: number, scale: number, center: boolean, divide: boolean) {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    if (center) v -= offset;
    if (divide) v /= scale;
    out[i] = v;
  }
  return out;
}

const STANDARD_SPEC = { withMean: bool(true), withStd: bool(true) };
export type StandardScalerParams = ParamsOf<typeof STANDARD_SPEC>;

/** Zero mean and unit variance (population std), as scikit-learn's StandardScaler; a constant feature keeps scale 1. */
export class StandardScaler extends Scaler<StandardScalerParams> {
  readonly kind = "standard_scaler";

  constructor(params: Partial<StandardScalerParams> = {}) {
    super(resolveParams("StandardScaler", STANDARD_SPEC, params));
  }

  protected fitColumn(values: Float64Array, j: number): void {
    const { mean, variance, count } = nanMeanVar(values);
    this.offset[j] = mean;
    // scikit-learn's _is_constant_feature: a variance within rounding error of 0 means constant.
    const eps = Number.EPSILON;
    const bound = count * eps * variance + (count * mean * eps) ** 2;
    this.scale[j] = variance <= bound ? 1 : Math.sqrt(variance);
  }

  protected apply(values: Float64Array, j: number): Float64Array {
    return centerScale(values, this.offset[j], this.scale[j], this.params.withMean, this.params.withStd);
  }

  /** Per-feature means (scikit-learn's `mean_`). */
  get mean(): Float64Array {
    this.fittedSpec();
    return this.offset.slice();
  }

  /** Per-feature scales (scikit-learn's `scale_`). */
  get scales(): Float64Array {
    this.fittedSpec();
    return this.scale.slice();
  }

  static fromParts(parts: ModelParts): StandardScaler {
    const params = readParams(parts, "standard_scaler", STANDARD_SPEC, "StandardScaler");
    return new StandardScaler(params).restoreArrays(parts);
  }
}

/** A pair [low, high] with low < high (or ≤ when `equal`), each within [min, max]. */
function range(expected: string, defaultValue: [number, number], min: number, max: number, equal: boolean) {
  return custom<[number, number]>(expected, defaultValue, (v) => {
    if (!Array.isArray(v) || v.length !== 2) return undefined;
    const [a, b] = v;
    if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b))
      return undefined;
    if (a < min || b > max || (equal ? a > b : a >= b)) return undefined;
    return [a, b];
  });
}

const MIN_MAX_SPEC = {
  featureRange: range(
    "a pair [low, high] of finite numbers with low < high",
    [0, 1],
    -Infinity,
    Infinity,
    false,
  ),
  /** Clip transformed values to the feature range (unseen values beyond the training range). */
  clip: bool(false),
};
export type MinMaxScalerParams = ParamsOf<typeof MIN_MAX_SPEC>;

/** Scales each feature to `featureRange` using its training min and max, as scikit-learn's MinMaxScaler. */
export class MinMaxScaler extends Scaler<MinMaxScalerParams> {
  readonly kind = "min_max_scaler";

  constructor(params: Partial<MinMaxScalerParams> = {}) {
    super(resolveParams("MinMaxScaler", MIN_MAX_SPEC, params));
  }

  protected fitColumn(values: Float64Array, j: number): void {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min > max) min = max = Number.NaN; // no value present
    const [lo, hi] = this.params.featureRange;
    const scale = (hi - lo) / safeScale(max - min);
    this.scale[j] = scale;
    this.offset[j] = lo - min * scale;
  }

  protected apply(values: Float64Array, j: number): Float64Array {
    const scale = this.scale[j];
    const offset = this.offset[j];
    const [lo, hi] = this.params.featureRange;
    const clip = this.params.clip;
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      let v = values[i] * scale + offset;
      if (clip) v = v < lo ? lo : v > hi ? hi : v;
      out[i] = v;
    }
    return out;
  }

  static fromParts(parts: ModelParts): MinMaxScaler {
    const params = readParams(parts, "min_max_scaler", MIN_MAX_SPEC, "MinMaxScaler");
    return new MinMaxScaler(params).restoreArrays(parts);
  }
}

const ROBUST_SPEC = {
  withCentering: bool(true),
  withScaling: bool(true),
  /** Percentiles whose distance is the scale. */
  quantileRange: range("a pair [low, high] with 0 ≤ low < high ≤ 100", [25, 75], 0, 100, false),
};
export type RobustScalerParams = ParamsOf<typeof ROBUST_SPEC>;

/** Median centering and interquartile-range scaling (numpy's linear percentiles), as scikit-learn's RobustScaler. */
export class RobustScaler extends Scaler<RobustScalerParams> {
  readonly kind = "robust_scaler";

  constructor(params: Partial<RobustScalerParams> = {}) {
    super(resolveParams("RobustScaler", ROBUST_SPEC, params));
  }

  protected fitColumn(values: Float64Array, j: number): void {
    const present = presentValues(values);
    const [qLow, qHigh] = this.params.quantileRange;
    this.offset[j] = median(present);
    this.scale[j] = safeScale(percentile(present, qHigh) - percentile(present, qLow));
  }

  protected apply(values: Float64Array, j: number): Float64Array {
    const { withCentering, withScaling } = this.params;
    return centerScale(values, this.offset[j], this.scale[j], withCentering, withScaling);
  }

  static fromParts(parts: ModelParts): RobustScaler {
    const params = readParams(parts, "robust_scaler", ROBUST_SPEC, "RobustScaler");
    const out = new RobustScaler(params).restoreArrays(parts);
    if (out.scale.some((s) => !(s > 0) && !Number.isNaN(s)))
      throw formatError("robust_scaler", "scales must be > 0");
    return out;
  }
}
