import { DataLoadError, TrainyardError } from "../../data/errors.js";
import { InputError, ModelFormatError, NotFittedError, ParameterError } from "../errors.js";

/** An error as data, to cross a worker boundary (structured clone drops classes and own fields). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** Own enumerable fields, e.g. ParameterError's `param`. */
  readonly fields: Record<string, unknown>;
}

const CLASSES: Record<string, new (...args: never[]) => Error> = {
  ParameterError,
  InputError,
  NotFittedError,
  ModelFormatError,
  DataLoadError,
  TrainyardError,
};

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: "Error", message: String(e), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k !== "name" && k !== "message" && k !== "stack" && isCloneable(v)) fields[k] = v;
  }
  return { name: e.name, message: e.message, stack: e.stack, fields };
}

/** The error again, as an instance of its trainyard class when it had one (so `instanceof` works). */
export function deserializeError(s: SerializedError): Error {
  const cls = Object.hasOwn(CLASSES, s.name) ? CLASSES[s.name] : Error;
  const e = Object.create(cls.prototype) as Error;
  Object.assign(e, s.fields);
  Object.defineProperty(e, "message", { value: s.message, writable: true, configurable: true });
  Object.defineProperty(e, "name", { value: s.name, writable: true, configurable: true });
  if (s.stack !== undefined)
    Object.defineProperty(e, "stack", { value: s.stack, writable: true, configurable: true });
  return e;
}

function isCloneable(v: unknown): boolean {
  return v === null || ["string", "number", "boolean", "undefined"].includes(typeof v);
}
