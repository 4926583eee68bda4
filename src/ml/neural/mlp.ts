import { Random } from "../../data/random.js";
import { InputError, ModelFormatError, NotFittedError, ParameterError } from "../errors.js";
import type { FitOptions, JsonObject, ModelParts } from "../estimator.js";
import { FeatureMatrix, type FeatureSpec, type Features } from "../features.js";
import { resolveParams } from "../params.js";
import { trainTestSplit } from "../selection/holdout.js";
import { defaultOps } from "./backend.js";
import type { Loss } from "./losses.js";
import { initGlorot, type Network, perceptron } from "./network.js";
import { Adam, type Optimizer, Sgd } from "./optimizers.js";
import { MLP_PARAMS, type MLPParams } from "./params.js";
import { train } from "./train.js";

/** Rows per forward pass at predict time. */
const PREDICT_ROWS = 512;

/** What a fit leaves besides the weights. */
export interface MlpFitted {
  readonly network: Network;
  readonly features: readonly FeatureSpec[];
  readonly lossCurve: readonly number[];
  readonly validationScores: readonly number[];
  readonly nIter: number;
}

/** The numbers of `X` as a row-major matrix; a categorical or missing value is an InputError naming its column. */
export function numericRows(fm: FeatureMatrix): Float64Array {
  const x = fm.toRowMajor();
  const d = fm.nCols;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      const name = fm.names[i % d];
      const what = Number.isNaN(x[i]) ? "a missing value" : "an infinite value";
      throw new InputError(
        `feature "${name}" has ${what} at row ${Math.floor(i / d) + 1}; a neural network needs finite numbers (impute it first)`,
        name,
      );
    }
  }
  return x;
}

function checkWeights(w: Float64Array | undefined, nRows: number): Float64Array | null {
  if (!w) return null;
  if (w.length !== nRows)
    throw new InputError(`sampleWeight has ${w.length} values, expected ${nRows}`, "sampleWeight");
  for (let i = 0; i < nRows; i++) {
    if (!(w[i] >= 0) || !Number.isFinite(w[i])) {
      throw new InputError(`sampleWeight must be finite and ≥ 0 (row ${i + 1}: ${w[i]})`, "sampleWeight");
    }
  }
  return w;
}

function optimizerOf(p: MLPParams): Optimizer {
  return p.solver === "adam"
    ? new Adam({ learningRate: p.learningRateInit, beta1: p.beta1, beta2: p.beta2, epsilon: p.epsilon })
    : new Sgd({
        learningRate: p.learningRateInit,
        schedule: p.learningRate,
        momentum: p.momentum,
        nesterov: p.nesterovsMomentum,
        powerT: p.powerT,
      });
}

export interface MlpProblem {
  readonly x: Float64Array;
  /** nRows × loss.targetWidth(nOut). */
  readonly target: Float64Array;
  readonly nOut: number;
  readonly loss: Loss;
  /** Class codes for a stratified validation split (classifiers). */
  readonly stratify?: Int32Array;
  /** Score (higher is better) of the network's linked outputs on the validation rows. */
  readonly score: (predicted: Float64Array, rows: Int32Array) => number;
}

/** Fits a perceptron as scikit-learn's stochastic solvers do; returns the network, curves and warnings. */
export async function fitPerceptron(
  owner: string,
  p: MLPParams,
  fm: FeatureMatrix,
  problem: MlpProblem,
  options: FitOptions,
): Promise<{ fitted: MlpFitted; warnings: string[] }> {
  const { x, target, nOut, loss } = problem;
  const nRows = fm.nRows;
  if (nRows < 1) throw new InputError("no rows to fit on");
  const d = fm.nCols;
  if (d < 1) throw new InputError("no features to fit on");
  const weights = checkWeights(options.sampleWeight, nRows);
  const warnings: string[] = [];
  const rng = new Random(p.randomState);
  const sizes = [d, ...p.hiddenLayerSizes, nOut];
  const net = perceptron(sizes, p.activation, loss, defaultOps());
  initGlorot(net, p.activation, rng);

  let trainX = x;
  let trainTarget = target;
  let trainWeights = weights;
  let validationScore: (() => number) | undefined;
  if (p.earlyStopping) {
    let split: { train: Int32Array; test: Int32Array };
    try {
      split = trainTestSplit(nRows, {
        testSize: p.validationFraction,
        seed: rng.nextU32(),
        stratify: problem.stratify,
      });
    } catch (e) {
      if (e instanceof ParameterError) {
        throw new ParameterError(
          `${owner}.validationFraction`,
          `a fraction that leaves rows to validate on (${e.message})`,
          p.validationFraction,
        );
      }
      throw e;
    }
    const tw = target.length / nRows;
    const pick = (src: Float64Array, w: number, rows: Int32Array): Float64Array => {
      const out = new Float64Array(rows.length * w);
      rows.forEach((r, i) => {
        out.set(src.subarray(r * w, r * w + w), i * w);
      });
      return out;
    };
    trainX = pick(x, d, split.train);
    trainTarget = pick(target, tw, split.train);
    trainWeights = weights ? pick(weights, 1, split.train) : null;
    const validX = pick(x, d, split.test);
    const validRows = split.test;
    validationScore = () => problem.score(net.predict(validX, validRows.length), validRows);
  }
  const nTrain = trainX.length / d;
  let batchSize = p.batchSize === "auto" ? Math.min(200, nTrain) : p.batchSize;
  if (batchSize > nTrain) {
    warnings.push(`batchSize ${batchSize} is larger than the ${nTrain} training rows; using ${nTrain}`);
    batchSize = nTrain;
  }
  net.reserve(Math.max(batchSize, PREDICT_ROWS));
  const result = await train(net, optimizerOf(p), trainX, trainTarget, trainWeights, {
    batchSize,
    maxIter: p.maxIter,
    shuffle: p.shuffle,
    tol: p.tol,
    nIterNoChange: p.nIterNoChange,
    alpha: p.alpha,
    rng,
    validationScore,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  if (result.stopReason === null) {
    warnings.push(
      `${owner}: maximum iterations (${p.maxIter}) reached and the optimization hasn't converged yet`,
    );
  } else if (result.stopReason.includes("NaN")) {
    warnings.push(`${owner}: ${result.stopReason}`);
  }
  // Predict on a compact copy: the training network's memory also holds the training rows.
  const network = perceptron(sizes, p.activation, loss, defaultOps());
  network.params.forEach((par, i) => {
    par.value.set(net.params[i].value);
  });
  network.reserve(PREDICT_ROWS);
  return {
    fitted: {
      network,
      features: fm.spec(),
      lossCurve: result.lossCurve,
      validationScores: result.validationScores,
      nIter: result.nIter,
    },
    warnings,
  };
}

/** The linked outputs of a fitted network for `X` (aligned by name to the fitted features). */
export function forwardAll(f: MlpFitted, X: Features): Float64Array {
  const fm = FeatureMatrix.from(X, f.features);
  return f.network.predict(numericRows(fm), fm.nRows);
}

export function requireFitted(f: MlpFitted | null, kind: string): MlpFitted {
  if (!f) throw new NotFittedError(kind);
  return f;
}

/** Parts shared by both MLPs: layer sizes, curves, and one array per weight matrix and bias. */
export function mlpParts(
  kind: string,
  params: MLPParams,
  f: MlpFitted,
  state: JsonObject,
  loss: string,
): ModelParts {
  const arrays: Record<string, Float64Array> = {};
  for (const par of f.network.params) arrays[par.name] = Float64Array.from(par.value);
  const sizes = [f.network.inSize, ...params.hiddenLayerSizes, f.network.outSize];
  return {
    kind,
    params: params as unknown as JsonObject,
    features: f.features,
    state: {
      ...state,
      loss,
      sizes,
      lossCurve: [...f.lossCurve],
      validationScores: [...f.validationScores],
      nIter: f.nIter,
    },
    arrays,
  };
}

/** Rebuilds the fitted network of `mlpParts`, checking every shape and value. */
export function mlpFromParts(
  owner: string,
  parts: ModelParts,
  nOut: number,
  loss: Loss,
): { params: MLPParams; fitted: MlpFitted } {
  const fail = (msg: string): never => {
    throw new ModelFormatError(`${parts.kind}: ${msg}`);
  };
  let params: MLPParams;
  try {
    params = resolveParams(owner, MLP_PARAMS, parts.params as Partial<MLPParams>);
  } catch (e) {
    return fail(`bad params: ${(e as Error).message}`);
  }
  const s = parts.state;
  if (s.loss !== loss.name) fail(`state.loss must be "${loss.name}"`);
  const nIn = parts.features.length;
  if (nIn < 1) fail("no input features");
  for (const f of parts.features) if (f.kind === "categorical") fail(`feature "${f.name}" is categorical`);
  const expected = [nIn, ...params.hiddenLayerSizes, nOut];
  const sizes = s.sizes;
  if (!Array.isArray(sizes) || sizes.length !== expected.length || sizes.some((v, i) => v !== expected[i])) {
    fail(`state.sizes must be [${expected.join(", ")}]`);
  }
  const numbers = (v: unknown, what: string): number[] => {
    if (!Array.isArray(v) || v.some((e) => typeof e !== "number"))
      return fail(`state.${what} must be numbers`);
    return v as number[];
  };
  const lossCurve = numbers(s.lossCurve, "lossCurve");
  const validationScores = numbers(s.validationScores, "validationScores");
  const nIter = s.nIter;
  if (typeof nIter !== "number" || !Number.isInteger(nIter) || nIter < 0)
    fail("state.nIter must be an integer ≥ 0");
  // Check the arrays against the sizes before allocating anything from the sizes.
  for (let i = 0; i + 1 < expected.length; i++) {
    const lengths = { weights: expected[i] * expected[i + 1], bias: expected[i + 1] };
    for (const [what, length] of Object.entries(lengths)) {
      const name = `layer${i}.${what}`;
      const a = parts.arrays[name];
      if (!(a instanceof Float64Array) || a.length !== length)
        fail(`array "${name}" must be ${length} float64 values`);
      for (const v of a as Float64Array)
        if (!Number.isFinite(v)) fail(`array "${name}" has a non-finite value`);
    }
  }
  const network = perceptron(expected, params.activation, loss, defaultOps());
  for (const par of network.params) par.value.set(parts.arrays[par.name] as Float64Array);
  network.reserve(PREDICT_ROWS);
  return {
    params,
    fitted: { network, features: parts.features, lossCurve, validationScores, nIter: nIter as number },
  };
}
