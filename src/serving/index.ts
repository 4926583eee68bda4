export * from "./model-loader.js";
export * from "./predict.js";
