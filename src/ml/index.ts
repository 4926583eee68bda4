export * from "./catalog.js";
export * from "./errors.js";
export * from "./estimator.js";
export * from "./features.js";
export * from "./model-file.js";
export * from "./params.js";
export * from "./selection/holdout.js";
export * from "./target.js";
