// The public neural-network estimators. The generic core (layers.ts, losses.ts, optimizers.ts,
// network.ts, train.ts) is imported from its own modules by code that extends it.
export * from "./mlp-classifier.js";
export * from "./mlp-regressor.js";
export type { MLPParams } from "./params.js";
