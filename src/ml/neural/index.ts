export * from "./layers.js";
export * from "./losses.js";
export * from "./matrix.js";
export * from "./mlp-classifier.js";
export * from "./mlp-regressor.js";
export * from "./network.js";
export * from "./optimizers.js";
export type { MLPParams } from "./params.js";
export * from "./train.js";
