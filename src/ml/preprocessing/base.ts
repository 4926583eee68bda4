import { InputError, NotFittedError } from "../errors.js";
import {
  type EstimatorSpec,
  type FitOptions,
  type JsonObject,
  type ModelParts,
  type SectionArray,
  type Transformer,
  throwIfAborted,
} from "../estimator.js";
import { type Feature, FeatureMatrix, type FeatureSpec, type Features } from "../features.js";
import type { Target } from "../target.js";

/**
 * The features of `X` named in `spec`, in its order, their kinds checked. Unlike
 * `FeatureMatrix.from(X, spec)` categorical codes are not re-mapped: encoders match levels by
 * value themselves, so that they can tell a level unseen at fit from a missing value.
 */
export function alignFeatures(X: Features, spec: readonly FeatureSpec[], owner: string): Feature[] {
  const all = FeatureMatrix.from(X);
  const byName = new Map(all.features.map((f) => [f.name, f]));
  return spec.map((s) => {
    const f = byName.get(s.name);
    if (!f) {
      throw new InputError(
        `${owner}: missing feature "${s.name}" (fitted on: ${spec.map((x) => x.name).join(", ")})`,
        s.name,
      );
    }
    if ((s.kind === "categorical") !== (f.kind === "categorical")) {
      const want = s.kind === "categorical" ? "categorical" : "numeric";
      throw new InputError(
        `${owner}: feature "${s.name}" must be ${want}, as at fit time (got ${f.kind})`,
        s.name,
      );
    }
    return f;
  });
}

/** The state a fitted transformer keeps as data (what toParts writes and fromParts reads). */
export interface TransformerState {
  readonly state: JsonObject;
  readonly arrays: Record<string, SectionArray>;
}

/**
 * What the column-wise transformers of this folder share: params, the fitted input spec,
 * fit/transform over features, clone, spec and parts. Subclasses give `fitFeatures`,
 * `transformFeatures`, `outputNames` and their state.
 */
export abstract class ColumnwiseTransformer<P extends object> implements Transformer<P> {
  readonly task = "transform" as const;
  abstract readonly kind: string;
  warnings: string[] = [];
  /** The input features at fit time; null before fit. */
  protected inputSpec: FeatureSpec[] | null = null;

  constructor(readonly params: Readonly<P>) {}

  get isFitted(): boolean {
    return this.inputSpec !== null;
  }

  /** Learns the state from the training features. */
  protected abstract fitFeatures(features: readonly Feature[], nRows: number): void;
  /** Transforms aligned features (same names and kinds as at fit). */
  protected abstract transformFeatures(features: readonly Feature[], nRows: number): Feature[];
  protected abstract outputNames(): string[];
  protected abstract fittedState(): TransformerState;

  async fit(X: Features, _y?: Target, options?: FitOptions): Promise<this> {
    throwIfAborted(options?.signal);
    const m = FeatureMatrix.from(X);
    this.warnings = [];
    this.inputSpec = null;
    this.fitFeatures(m.features, m.nRows);
    this.inputSpec = m.spec();
    return this;
  }

  transform(X: Features): FeatureMatrix {
    const spec = this.fittedSpec();
    const m = FeatureMatrix.from(X);
    return new FeatureMatrix(this.transformFeatures(alignFeatures(m, spec, this.kind), m.nRows), m.nRows);
  }

  featureNamesOut(): string[] {
    this.fittedSpec();
    return this.outputNames();
  }

  clone(overrides: Partial<P> = {}): this {
    const ctor = this.constructor as new (params: Partial<P>) => this;
    return new ctor({ ...this.params, ...overrides });
  }

  toSpec(): EstimatorSpec {
    return { kind: this.kind, params: this.params as unknown as JsonObject };
  }

  toParts(): ModelParts {
    const features = this.fittedSpec();
    const { state, arrays } = this.fittedState();
    return { kind: this.kind, params: this.params as unknown as JsonObject, features, state, arrays };
  }

  protected fittedSpec(): FeatureSpec[] {
    if (!this.inputSpec) throw new NotFittedError(this.kind);
    return this.inputSpec;
  }

  /** For fromParts: marks the transformer fitted on `spec` (its state already restored). */
  protected restore(spec: readonly FeatureSpec[]): this {
    this.inputSpec = [...spec];
    return this;
  }
}
