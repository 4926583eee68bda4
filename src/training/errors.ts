import { TrainyardError } from "../data/errors.js";
import type { QualityReport } from "../data/quality/report.js";

/**
 * The base of every error trainyard raises on purpose, under the name S1's ModelTrainer users
 * catch: DataLoadError, TrainingError, ParameterError, … are all ModelTrainerErrors.
 */
export const ModelTrainerError = TrainyardError;
export type ModelTrainerError = TrainyardError;

/** Fitting or evaluating a model failed; `cause` holds the underlying error. */
export class TrainingError extends TrainyardError {
  override name = "TrainingError";
}

/** The data is unfit for training; `report` holds the quality report with the blocking findings. */
export class DataQualityError extends TrainyardError {
  override name = "DataQualityError";
  constructor(
    message: string,
    readonly report: QualityReport,
  ) {
    super(message);
  }
}

/** A training configuration with invalid fields; each problem names its path (e.g. `/tuning/trials`). */
export class ConfigError extends TrainyardError {
  override name = "ConfigError";
  constructor(readonly problems: readonly { path: string; message: string }[]) {
    super(
      `invalid training configuration: ${problems
        .slice(0, 5)
        .map((p) => `${p.path || "/"} ${p.message}`)
        .join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}`,
    );
  }
}
