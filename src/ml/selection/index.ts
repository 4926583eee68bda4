export {
  type CrossValidateOptions,
  type CrossValidateResult,
  type CvOption,
  crossValidate,
  type FoldResult,
  type OofPredictions,
} from "./cross-validate.js";
export type { ParallelOptions } from "./fold-runner.js";
export * from "./group-kfold.js";
export * from "./halving.js";
export * from "./holdout.js";
export * from "./kfold.js";
export type { Scoring, Summary } from "./scoring.js";
export type {
  SearchOptions,
  SearchResult,
  SearchRunOptions,
  StopReason,
  Trial,
  TrialStatus,
} from "./search.js";
export { Search } from "./search.js";
export type { Dimension, ParamValue, SearchSpace, TrialParams } from "./search-space.js";
// As a namespace (`space.choice`, `space.logUniform`, …): params.ts already exports a `choice`.
export * as space from "./search-space.js";
export * from "./searches.js";
export type { Permuter, SplitInput, Splitter } from "./splitter.js";
export * from "./stratified-kfold.js";
export * from "./time-series-split.js";
