import { TrainyardError } from "../data/errors.js";

/** A parameter outside its allowed range; `param` names it so callers (CLI, API) can point at the flag. */
export class ParameterError extends TrainyardError {
  override name = "ParameterError";
  constructor(
    readonly param: string,
    /** What is allowed, e.g. "a fraction in (0, 1) or a count in [1, 357)". */
    readonly expected: string,
    got?: unknown,
  ) {
    super(`${param} must be ${expected}${got === undefined ? "" : `, got ${formatGot(got)}`}`);
  }
}

function formatGot(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/** Input data that an estimator cannot take (wrong kind, NaN, unseen class); `field` names the column. */
export class InputError extends TrainyardError {
  override name = "InputError";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** predict/transform (or anything needing the fitted state) called before fit. */
export class NotFittedError extends TrainyardError {
  override name = "NotFittedError";
  constructor(kind: string) {
    super(`${kind} is not fitted yet: call fit first`);
  }
}

/** A model file or model parts that cannot be loaded: corrupt, truncated, hostile or of an unknown kind. */
export class ModelFormatError extends TrainyardError {
  override name = "ModelFormatError";
  constructor(message: string, file?: string) {
    super(file ? `${file}: ${message}` : message);
  }
}
