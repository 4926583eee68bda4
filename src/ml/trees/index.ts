export type { EvalHistory } from "./boosting-fit.js";
export { GradientBoostingClassifier, GradientBoostingRegressor } from "./gradient-boosting.js";
export type { EvalMetric } from "./metrics.js";
export type {
  DecisionTreeParams,
  GradientBoostingClassifierParams,
  GradientBoostingRegressorParams,
  MaxFeatures,
  RandomForestParams,
} from "./params.js";
export {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "./random-forest.js";
