export type { ElasticNetParams, LassoParams } from "./elastic-net.js";
export { ElasticNet, Lasso } from "./elastic-net.js";
export type { LinearRegressionParams, RidgeParams } from "./least-squares.js";
export { LinearRegression, Ridge } from "./least-squares.js";
export type { ClassWeight, LogisticRegressionParams } from "./logistic.js";
export { LogisticRegression } from "./logistic.js";
