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
