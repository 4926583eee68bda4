// The library's public API.
export * from "./data/index.js";
export * from "./ml/index.js";
export * from "./registry/index.js";
export * from "./training/index.js";
