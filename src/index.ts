// The library's public API.
export * from "./data/index.js";
export * from "./ml/index.js";
