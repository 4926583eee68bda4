import { InputError } from "../errors.js";
import type { ModelParts } from "../estimator.js";
import { bool, num, type ParamsOf, resolveParams } from "../params.js";
import { choleskySolve } from "./cholesky.js";
import { partsParams, readLinearState } from "./common.js";
import { LinearRegressorBase, type RegressionSolution, type SolveInput } from "./regressor.js";

/**
 * Weighted least squares with an optional ridge term by the normal equations:
 * (X̃ᵀ S X̃ + αI) w = X̃ᵀ S ỹ with X̃, ỹ centered by their weighted means when fitting an
 * intercept (so the intercept is not penalized, as scikit-learn), solved by Cholesky.
 */
function leastSquares(
  input: SolveInput,
  alpha: number,
  fitIntercept: boolean,
  owner: string,
): RegressionSolution {
  const { design, y, sw } = input;
  const n = design.nRows;
  const d = design.nCols;
  let W = 0;
  for (let i = 0; i < n; i++) W += sw[i];
  const m = design.means(sw, W, fitIntercept);
  let yMean = 0;
  if (fitIntercept) {
    for (let i = 0; i < n; i++) yMean += sw[i] * y[i];
    yMean /= W;
  }
  const { G, b } = design.gram(sw, y, m, W);
  for (let j = 0; j < d; j++) G[j * d + j] += alpha;
  const sol = choleskySolve(G, b, d);
  if ("singularAt" in sol) {
    const name = design.names[sol.singularAt];
    throw new InputError(
      `${owner}: the features are linearly dependent (singular matrix): "${name}" is constant or a linear combination of the features before it; drop it or use a regularized model (Ridge with alpha > 0)`,
      name,
    );
  }
  let intercept = 0;
  if (fitIntercept) {
    intercept = yMean;
    for (let j = 0; j < d; j++) intercept -= m[j] * sol.x[j];
  }
  return { coef: sol.x, intercept, nIter: 1 };
}

const LINEAR_REGRESSION = { fitIntercept: bool(true) };
export type LinearRegressionParams = ParamsOf<typeof LINEAR_REGRESSION>;

/** Ordinary least squares. Linearly dependent features are an InputError naming one of them. */
export class LinearRegression extends LinearRegressorBase<LinearRegressionParams> {
  readonly kind = "linear_regression";

  constructor(params: Partial<LinearRegressionParams> = {}) {
    super(resolveParams("LinearRegression", LINEAR_REGRESSION, params));
  }

  protected solve(input: SolveInput): RegressionSolution {
    return leastSquares(input, 0, this.params.fitIntercept, "LinearRegression");
  }

  static fromParts(parts: ModelParts): LinearRegression {
    const m = new LinearRegression(partsParams("LinearRegression", LINEAR_REGRESSION, parts));
    m.state = readLinearState(parts, "linear_regression", 1);
    return m;
  }
}

const RIDGE = { alpha: num(1, { min: 0 }), fitIntercept: bool(true) };
export type RidgeParams = ParamsOf<typeof RIDGE>;

/** Least squares + α‖w‖² (scikit-learn's Ridge, unscaled by n), solved by Cholesky. */
export class Ridge extends LinearRegressorBase<RidgeParams> {
  readonly kind = "ridge";

  constructor(params: Partial<RidgeParams> = {}) {
    super(resolveParams("Ridge", RIDGE, params));
  }

  protected solve(input: SolveInput): RegressionSolution {
    return leastSquares(input, this.params.alpha, this.params.fitIntercept, "Ridge");
  }

  static fromParts(parts: ModelParts): Ridge {
    const m = new Ridge(partsParams("Ridge", RIDGE, parts));
    m.state = readLinearState(parts, "ridge", 1);
    return m;
  }
}
