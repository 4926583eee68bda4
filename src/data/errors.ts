/** Base class of every error trainyard raises on purpose (as opposed to a bug). */
export class TrainyardError extends Error {
  override name = "TrainyardError";
}

/** Where in an input a problem was found; every field is optional. */
export interface InputLocation {
  file?: string;
  /** 1-based physical line of the file. */
  line?: number;
  /** 1-based field index within the record. */
  column?: number;
  /** Column (field) name, when known. */
  field?: string;
}

/** Formats a location as `file:line, column 3 ("age")` for messages. */
export function formatLocation(at: InputLocation): string {
  const parts: string[] = [];
  if (at.file !== undefined) parts.push(at.line !== undefined ? `${at.file}:${at.line}` : at.file);
  else if (at.line !== undefined) parts.push(`line ${at.line}`);
  if (at.column !== undefined) parts.push(`column ${at.column}`);
  if (at.field !== undefined) parts.push(`"${at.field}"`);
  return parts.join(", ");
}

/** A dataset could not be read or does not have what was asked of it. */
export class DataLoadError extends TrainyardError {
  override name = "DataLoadError";
  constructor(
    message: string,
    readonly at: InputLocation = {},
  ) {
    const where = formatLocation(at);
    super(where ? `${where}: ${message}` : message);
  }
}
