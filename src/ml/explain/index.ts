export * from "./output.js";
export * from "./partial-dependence.js";
export * from "./permutation.js";
export * from "./shapley.js";
