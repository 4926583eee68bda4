export * from "./batch.js";
export * from "./cache.js";
export * from "./evaluation.js";
export * from "./explain.js";
export * from "./model-loader.js";
export * from "./predict.js";
export * from "./predict-rows.js";
export * from "./rows.js";
