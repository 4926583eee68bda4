export * from "./categories.js";
export * from "./column-transformer.js";
export * from "./default.js";
export * from "./imputer.js";
export * from "./one-hot.js";
export * from "./ordinal.js";
export * from "./scalers.js";
