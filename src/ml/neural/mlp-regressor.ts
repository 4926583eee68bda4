import { InputError } from "../errors.js";
import type { EstimatorSpec, FitOptions, JsonObject, ModelParts, Regressor } from "../estimator.js";
import { FeatureMatrix, type Features } from "../features.js";
import { resolveParams } from "../params.js";
import { regressionTarget, type Target } from "../target.js";
import { squaredError } from "./losses.js";
import {
  fitPerceptron,
  forwardAll,
  type MlpFitted,
  mlpFromParts,
  mlpParts,
  numericRows,
  requireFitted,
} from "./mlp.js";
import { MLP_PARAMS, type MLPParams } from "./params.js";

const KIND = "mlp_regressor";

/**
 * A multi-layer perceptron regressor, as scikit-learn's MLPRegressor: dense hidden layers, an
 * identity output and the squared loss, trained by Adam or SGD on mini-batches. Features must be
 * numeric (standardize them first; a target in large units trains better scaled too).
 */
export class MLPRegressor implements Regressor<MLPParams> {
  readonly kind = KIND;
  readonly task = "regression";
  readonly params: Readonly<MLPParams>;
  warnings: readonly string[] = [];
  private fitted: MlpFitted | null = null;

  constructor(params: Partial<MLPParams> = {}) {
    this.params = resolveParams("MLPRegressor", MLP_PARAMS, params);
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  /** Mean training loss (half the squared error, plus the L2 penalty) of each epoch. */
  get lossCurve(): readonly number[] {
    return requireFitted(this.fitted, KIND).lossCurve;
  }

  /** Validation R² of each epoch (early stopping only). */
  get validationScores(): readonly number[] {
    return requireFitted(this.fitted, KIND).validationScores;
  }

  get nIter(): number {
    return requireFitted(this.fitted, KIND).nIter;
  }

  async fit(X: Features, y: Target, options: FitOptions = {}): Promise<this> {
    const fm = FeatureMatrix.from(X);
    const x = numericRows(fm);
    const target = regressionTarget(y);
    if (target.length !== fm.nRows)
      throw new InputError(`y has ${target.length} rows, X has ${fm.nRows}`, "y");
    const { fitted, warnings } = await fitPerceptron(
      "MLPRegressor",
      this.params,
      fm,
      {
        x,
        target,
        nOut: 1,
        loss: squaredError,
        score: (pred, rows) => r2(pred, rows, target),
      },
      options,
    );
    this.fitted = fitted;
    this.warnings = warnings;
    return this;
  }

  predict(X: Features): Float64Array {
    return forwardAll(requireFitted(this.fitted, KIND), X);
  }

  clone(overrides: Partial<MLPParams> = {}): this {
    return new MLPRegressor({ ...this.params, ...overrides }) as this;
  }

  toSpec(): EstimatorSpec {
    return { kind: KIND, params: structuredClone(this.params) as unknown as JsonObject };
  }

  toParts(): ModelParts {
    return mlpParts(KIND, this.params, requireFitted(this.fitted, KIND), {}, squaredError.name);
  }

  static fromParts(parts: ModelParts): MLPRegressor {
    const { params, fitted } = mlpFromParts("MLPRegressor", parts, 1, squaredError);
    const model = new MLPRegressor(params);
    model.fitted = fitted;
    return model;
  }
}

/** R² of predictions for the rows `rows` of y (1 − SSres/SStot; 0 when y is constant and the fit is not exact). */
function r2(pred: Float64Array, rows: Int32Array, y: Float64Array): number {
  let mean = 0;
  for (const r of rows) mean += y[r];
  mean /= rows.length;
  let ssRes = 0;
  let ssTot = 0;
  rows.forEach((r, i) => {
    ssRes += (y[r] - pred[i]) ** 2;
    ssTot += (y[r] - mean) ** 2;
  });
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
