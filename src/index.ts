// The library's public API.
export * from "./data/index.js";
