import { type ModelParts, throwIfAborted } from "../estimator.js";
import { bool, int, num, type ParamsOf, resolveParams } from "../params.js";
import { partsParams, readLinearState } from "./common.js";
import { elasticNetCD } from "./coordinate-descent.js";
import { LinearRegressorBase, type RegressionSolution, type SolveInput } from "./regressor.js";

const ELASTIC_NET = {
  alpha: num(1, { min: 0 }),
  l1Ratio: num(0.5, { min: 0, max: 1 }),
  fitIntercept: bool(true),
  maxIter: int(1, 1000),
  tol: num(1e-4, { min: 0 }),
};
export type ElasticNetParams = ParamsOf<typeof ELASTIC_NET>;

const LASSO = {
  alpha: ELASTIC_NET.alpha,
  fitIntercept: ELASTIC_NET.fitIntercept,
  maxIter: ELASTIC_NET.maxIter,
  tol: ELASTIC_NET.tol,
};
export type LassoParams = ParamsOf<typeof LASSO>;

function solveEnet(
  input: SolveInput,
  p: { alpha: number; l1Ratio: number; fitIntercept: boolean; maxIter: number; tol: number },
  owner: string,
): RegressionSolution {
  const { options } = input;
  const sol = elasticNetCD({
    design: input.design,
    y: input.y,
    sw: input.sw,
    ...p,
    onSweep: (sweep) => {
      throwIfAborted(options?.signal);
      options?.onProgress?.({ done: sweep, total: p.maxIter, message: `${owner} sweep ${sweep}` });
    },
  });
  const warnings = sol.converged
    ? []
    : [
        `${owner} did not converge in maxIter=${p.maxIter} sweeps (duality gap ${sol.dualGap.toExponential(3)}, tol ${p.tol}); increase maxIter or standardize the features`,
      ];
  return { coef: sol.coef, intercept: sol.intercept, nIter: sol.nIter, warnings };
}

/**
 * min 1/(2Σsw) Σ sw (y − Xw − b)² + α ρ ‖w‖₁ + α(1−ρ)/2 ‖w‖², as scikit-learn's ElasticNet,
 * by cyclic coordinate descent stopped on the duality gap.
 */
export class ElasticNet extends LinearRegressorBase<ElasticNetParams> {
  readonly kind = "elastic_net";

  constructor(params: Partial<ElasticNetParams> = {}) {
    super(resolveParams("ElasticNet", ELASTIC_NET, params));
  }

  protected solve(input: SolveInput): RegressionSolution {
    return solveEnet(input, this.params, "ElasticNet");
  }

  static fromParts(parts: ModelParts): ElasticNet {
    const m = new ElasticNet(partsParams("ElasticNet", ELASTIC_NET, parts));
    m.state = readLinearState(parts, "elastic_net", 1);
    return m;
  }
}

/** ElasticNet with ρ = 1: min 1/(2Σsw) Σ sw (y − Xw − b)² + α ‖w‖₁ (scikit-learn's Lasso). */
export class Lasso extends LinearRegressorBase<LassoParams> {
  readonly kind = "lasso";

  constructor(params: Partial<LassoParams> = {}) {
    super(resolveParams("Lasso", LASSO, params));
  }

  protected solve(input: SolveInput): RegressionSolution {
    return solveEnet(input, { ...this.params, l1Ratio: 1 }, "Lasso");
  }

  static fromParts(parts: ModelParts): Lasso {
    const m = new Lasso(partsParams("Lasso", LASSO, parts));
    m.state = readLinearState(parts, "lasso", 1);
    return m;
  }
}
