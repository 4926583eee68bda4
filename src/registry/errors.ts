import { TrainyardError } from "../data/errors.js";

/** A record that does not exist (in this workspace). */
export class NotFoundError extends TrainyardError {
  override name = "NotFoundError";
  constructor(
    readonly what: string,
    readonly key: string,
  ) {
    super(`no ${what} "${key}"`);
  }
}

/** A request that conflicts with the registry's state (e.g. deleting the active version). */
export class ConflictError extends TrainyardError {
  override name = "ConflictError";
}

/** An artifact that is missing, outside its store, or whose bytes do not match their checksum. */
export class ArtifactError extends TrainyardError {
  override name = "ArtifactError";
}
