export * from "./builder.js";
export * from "./column.js";
export * from "./datetime.js";
export * from "./errors.js";
export * from "./random.js";
export * from "./table.js";
