import { NotFittedError } from "../errors.js";
import type { EstimatorSpec, FitOptions, JsonObject, ModelParts, Regressor } from "../estimator.js";
import type { Features } from "../features.js";
import { regressionTarget, type Target } from "../target.js";
import { fitDesign, importances, type LinearState, linearParts, predictDesign } from "./common.js";
import type { LinearDesign } from "./design.js";

/** What a regressor's solver gives back. */
export interface RegressionSolution {
  readonly coef: Float64Array;
  readonly intercept: number;
  readonly nIter: number;
  readonly warnings?: readonly string[];
}

export interface SolveInput {
  readonly design: LinearDesign;
  readonly y: Float64Array;
  readonly sw: Float64Array;
  readonly options?: FitOptions;
}

/**
 * The shared shell of LinearRegression, Ridge, Lasso and ElasticNet: fit = validate inputs,
 * call `solve`, keep coef (1 × nFeatures) and intercept; predict = X·coef + intercept.
 */
export abstract class LinearRegressorBase<P extends object> implements Regressor<P> {
  readonly task = "regression";
  abstract readonly kind: string;
  readonly params: Readonly<P>;
  warnings: readonly string[] = [];
  protected state: LinearState | undefined;

  constructor(params: P, state?: LinearState) {
    this.params = params;
    this.state = state;
  }

  protected abstract solve(input: SolveInput): RegressionSolution;

  get isFitted(): boolean {
    return this.state !== undefined;
  }

  protected fitted(): LinearState {
    if (!this.state) throw new NotFittedError(this.constructor.name);
    return this.state;
  }

  /** Coefficients, one per feature (in `featureNames` order). */
  get coef(): Float64Array {
    return this.fitted().coef;
  }

  get intercept(): number {
    return this.fitted().intercept[0];
  }

  get nIter(): number {
    return this.fitted().nIter;
  }

  get featureNames(): string[] {
    return this.fitted().features.map((f) => f.name);
  }

  /** |coef| normalized to sum 1: comparable across features only when they share a scale (standardize first). */
  featureImportances(): Float64Array {
    const s = this.fitted();
    return importances(s.coef, 1, s.features.length);
  }

  async fit(X: Features, y: Target, options?: FitOptions): Promise<this> {
    const target = regressionTarget(y);
    const { design, spec, sw } = fitDesign(X, target.length, options);
    const sol = this.solve({ design, y: target, sw, options });
    this.state = {
      features: spec,
      coef: sol.coef,
      intercept: Float64Array.of(sol.intercept),
      nIter: sol.nIter,
    };
    this.warnings = sol.warnings ?? [];
    return this;
  }

  predict(X: Features): Float64Array {
    const s = this.fitted();
    return predictDesign(X, s.features).predictLinear(s.coef, 1, s.intercept);
  }

  clone(overrides: Partial<P> = {}): this {
    const Ctor = this.constructor as new (params: Partial<P>) => this;
    return new Ctor({ ...this.params, ...overrides });
  }

  toParts(): ModelParts {
    return linearParts(this.kind, this.params, this.fitted());
  }

  toSpec(): EstimatorSpec {
    return { kind: this.kind, params: { ...this.params } as JsonObject };
  }
}
