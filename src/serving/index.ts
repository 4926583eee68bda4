export * from "./cache.js";
export * from "./model-loader.js";
export * from "./predict.js";
export * from "./predict-rows.js";
export * from "./rows.js";
