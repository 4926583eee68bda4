// The data layer's public API (internal helpers stay unexported).
export * from "./builder.js";
export * from "./column.js";
export { type CsvReadOptions, parseCsv, readCsv } from "./csv/read.js";
export { type CsvWriteOptions, formatCsv, writeCsv } from "./csv/write.js";
export * from "./datetime.js";
export * from "./errors.js";
export * from "./filter.js";
export { fileSha256 } from "./fingerprint.js";
export { type JsonlReadOptions, readJsonl } from "./jsonl.js";
export { type ParquetReadOptions, readParquet } from "./parquet.js";
export { renderQualityReport } from "./quality/render.js";
export {
  type ClassShare,
  type ColumnReport,
  type Finding,
  type QualityOptions,
  type QualityReport,
  qualityReport,
  type Severity,
  type TargetReport,
} from "./quality/report.js";
export * from "./random.js";
export { type ReadOptions, readTable, sniffFormat, type TableFormat } from "./read.js";
export * from "./sample.js";
export {
  type ColumnSchema,
  inferSchema,
  type Schema,
  type SchemaOptions,
  type SemanticType,
} from "./schema.js";
export * from "./table.js";
export * from "./task.js";
