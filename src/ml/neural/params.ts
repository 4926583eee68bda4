import { bool, choice, custom, int, num, type ParamsOf } from "../params.js";
import { ACTIVATIONS } from "./layers.js";

const MAX_UNITS = 1 << 16;

/** The parameters of MLPClassifier and MLPRegressor; defaults as scikit-learn's (solver lbfgs aside). */
export const MLP_PARAMS = {
  /** Units of each hidden layer, input to output; [] gives a linear (or logistic) model. */
  hiddenLayerSizes: custom<number[]>(`an array of integers in [1, ${MAX_UNITS}]`, [100], (v) =>
    Array.isArray(v) && v.length <= 64 && v.every((u) => Number.isInteger(u) && u >= 1 && u <= MAX_UNITS)
      ? [...v]
      : undefined,
  ),
  activation: choice(ACTIVATIONS, "relu"),
  solver: choice(["adam", "sgd"], "adam"),
  /** L2 penalty. */
  alpha: num(0.0001, { min: 0 }),
  /** Rows per mini-batch; "auto" is min(200, rows). */
  batchSize: custom<"auto" | number>('"auto" or an integer ≥ 1', "auto", (v) =>
    v === "auto" || (typeof v === "number" && Number.isInteger(v) && v >= 1) ? v : undefined,
  ),
  /** Schedule of the sgd solver's learning rate (adam keeps its own). */
  learningRate: choice(["constant", "invscaling", "adaptive"], "constant"),
  learningRateInit: num(0.001, { min: 0, minExclusive: true }),
  powerT: num(0.5, { min: 0 }),
  /** Epochs (passes over the training rows). */
  maxIter: int(1, 200),
  shuffle: bool(true),
  /** Seeds the initial weights, the shuffles and the validation split. */
  randomState: int(0, 0, 2 ** 32 - 1),
  tol: num(0.0001, { min: 0 }),
  momentum: num(0.9, { min: 0, max: 1 }),
  nesterovsMomentum: bool(true),
  /** Hold out `validationFraction` of the rows and stop when their score stops improving. */
  earlyStopping: bool(false),
  validationFraction: num(0.1, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
  beta1: num(0.9, { min: 0, max: 1, maxExclusive: true }),
  beta2: num(0.999, { min: 0, max: 1, maxExclusive: true }),
  epsilon: num(1e-8, { min: 0, minExclusive: true }),
  /** Epochs without an improvement of at least `tol` before stopping (the patience). */
  nIterNoChange: int(1, 10),
};

export type MLPParams = ParamsOf<typeof MLP_PARAMS>;
