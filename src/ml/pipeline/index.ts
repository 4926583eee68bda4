export * from "./nested.js";
export * from "./pipeline.js";
