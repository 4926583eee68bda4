import { bool, choice, custom, int, nullable, num, oneOf, type ParamSpec, type ParamsOf } from "../params.js";

/** "sqrt" | "log2" | a fraction in (0, 1] | a count ≥ 1 | null (all features). */
export type MaxFeatures = "sqrt" | "log2" | number | null;

function maxFeatures(defaultValue: MaxFeatures): ParamSpec<MaxFeatures> {
  return nullable(
    oneOf<"sqrt" | "log2" | number>(
      [choice(["sqrt", "log2"], "sqrt"), int(1, 1), num(1, { min: 0, minExclusive: true, max: 1 })],
      "sqrt",
    ),
    defaultValue as "sqrt" | "log2" | number | null,
  ) as ParamSpec<MaxFeatures>;
}

export type ClassWeight = null | "balanced" | "balanced_subsample" | Record<string, number>;

const classWeight = custom<ClassWeight>(
  '"balanced", "balanced_subsample", a map from class label to a weight ≥ 0, or null',
  null,
  (v) => {
    if (v === null || v === "balanced" || v === "balanced_subsample") return v;
    if (typeof v !== "object" || Array.isArray(v)) return undefined;
    const out: Record<string, number> = {};
    for (const [k, w] of Object.entries(v as Record<string, unknown>)) {
      if (typeof w !== "number" || !Number.isFinite(w) || w < 0) return undefined;
      out[k] = w;
    }
    return out;
  },
);

const seed = int(0, 0, 2 ** 32 - 1);
const threads = nullable(int(1, 1, 256));
/** Value bins per feature (one more bin holds missing values; bins are uint8). */
const maxBins = int(2, 255, 255);

export const DECISION_TREE_PARAMS = {
  maxDepth: nullable(int(1, 1)),
  minSamplesSplit: int(2, 2),
  minSamplesLeaf: int(1, 1),
  minImpurityDecrease: num(0, { min: 0 }),
  maxFeatures: maxFeatures(null),
  classWeight,
  maxBins,
  randomState: seed,
};
export type DecisionTreeParams = ParamsOf<typeof DECISION_TREE_PARAMS>;

function forestParams(defaultMaxFeatures: MaxFeatures) {
  return {
    nEstimators: int(1, 100),
    maxDepth: nullable(int(1, 1)),
    minSamplesSplit: int(2, 2),
    minSamplesLeaf: int(1, 1),
    minImpurityDecrease: num(0, { min: 0 }),
    maxFeatures: maxFeatures(defaultMaxFeatures),
    bootstrap: bool(true),
    classWeight,
    oobScore: bool(false),
    maxBins,
    randomState: seed,
    nThreads: threads,
  };
}

export const RANDOM_FOREST_CLASSIFIER_PARAMS = forestParams("sqrt");
export const RANDOM_FOREST_REGRESSOR_PARAMS = forestParams(1);
export type RandomForestParams = ParamsOf<typeof RANDOM_FOREST_CLASSIFIER_PARAMS>;

function boostingParams<L extends string>(losses: readonly L[], loss: L, metrics: readonly string[]) {
  return {
    nEstimators: int(1, 100),
    learningRate: num(0.1, { min: 0, minExclusive: true }),
    numLeaves: int(2, 31),
    maxDepth: nullable(int(1, 1)),
    minChildSamples: int(1, 20),
    minChildWeight: num(1e-3, { min: 0 }),
    minSplitGain: num(0, { min: 0 }),
    l2: num(0, { min: 0 }),
    subsample: num(1, { min: 0, minExclusive: true, max: 1 }),
    colsample: num(1, { min: 0, minExclusive: true, max: 1 }),
    maxBins,
    loss: choice(losses, loss),
    /** Huber loss: residuals beyond this are penalized linearly. */
    huberDelta: num(1, { min: 0, minExclusive: true }),
    validationFraction: nullable(num(0.1, { min: 0, minExclusive: true, max: 1, maxExclusive: true })),
    earlyStoppingRounds: nullable(int(1, 10)),
    evalMetric: nullable(choice(metrics, metrics[0])),
    randomState: seed,
    nThreads: threads,
  };
}

export const GRADIENT_BOOSTING_CLASSIFIER_PARAMS = boostingParams(["log_loss"], "log_loss", [
  "logloss",
  "error",
  "auc",
]);
export const GRADIENT_BOOSTING_REGRESSOR_PARAMS = boostingParams(
  ["squared_error", "absolute_error", "huber"],
  "squared_error",
  ["rmse", "mae"],
);
export type GradientBoostingClassifierParams = ParamsOf<typeof GRADIENT_BOOSTING_CLASSIFIER_PARAMS>;
export type GradientBoostingRegressorParams = ParamsOf<typeof GRADIENT_BOOSTING_REGRESSOR_PARAMS>;

/** The number of features drawn per split. */
export function resolveMaxFeatures(m: MaxFeatures, nFeat: number): number {
  if (m === null) return nFeat;
  if (m === "sqrt") return Math.max(1, Math.floor(Math.sqrt(nFeat)));
  if (m === "log2") return Math.max(1, Math.floor(Math.log2(nFeat)));
  // 1 is the fraction 1.0 (all features, the regressor's default); integers ≥ 2 are counts.
  if (m === 1) return nFeat;
  if (Number.isInteger(m)) return Math.min(nFeat, m);
  return Math.max(1, Math.floor(m * nFeat));
}
