import { TrainyardError } from "../data/errors.js";
import { ConflictError, NotFoundError } from "../registry/errors.js";
import { RowValidationError } from "../serving/rows.js";
import { ConfigError } from "../training/errors.js";

/** One failing field of a request: a JSON pointer into the part it came from, and why. */
export interface FieldProblem {
  /** e.g. "body/rows/0/age", "query/limit". */
  field: string;
  message: string;
  /** For row validation: the 0-based row index. */
  row?: number;
}

/** An RFC 7807 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** An error that is meant to reach the client as a problem with this status. */
export class HttpProblem extends TrainyardError {
  override name = "HttpProblem";
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: FieldProblem[],
    readonly typeSlug?: string,
  ) {
    super(message);
  }
}

export function problem(
  status: number,
  detail: string,
  extra: { errors?: FieldProblem[]; type?: string; instance?: string } = {},
): Problem {
  return {
    type: `https://trainyard.dev/problems/${extra.type ?? slug(TITLES[status] ?? "error")}`,
    title: TITLES[status] ?? (status >= 500 ? "Server Error" : "Client Error"),
    status,
    detail,
    ...(extra.instance ? { instance: extra.instance } : {}),
    ...(extra.errors && extra.errors.length > 0 ? { errors: extra.errors } : {}),
  };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

/** The shape of Fastify's schema-validation errors (Ajv's error objects). */
interface ValidationItem {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function validationProblems(items: ValidationItem[], context: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  // A union of literals fails once per literal and once more for the union: say it once,
  // as the list of allowed values.
  const allowed = new Map<string, string[]>();
  for (const e of items) {
    if ((e.keyword === "const" || e.keyword === "enum") && e.params) {
      const values = e.keyword === "const" ? [e.params.allowedValue] : (e.params.allowedValues as unknown[]);
      const list = allowed.get(e.instancePath ?? "") ?? [];
      list.push(...(values ?? []).map((v) => JSON.stringify(v)));
      allowed.set(e.instancePath ?? "", list);
    }
  }
  const seen = new Set<string>();
  for (const e of items) {
    let path = e.instancePath ?? "";
    let message = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties" && typeof e.params?.additionalProperty === "string") {
      path = `${path}/${e.params.additionalProperty}`;
      message = "is not a known field";
    } else if (e.keyword === "required" && typeof e.params?.missingProperty === "string") {
      path = `${path}/${e.params.missingProperty}`;
      message = "is required";
    } else if (allowed.has(path) && ["const", "enum", "anyOf", "type"].includes(e.keyword ?? "")) {
      message = `must be one of ${[...new Set(allowed.get(path))].join(", ")}`;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field: `${context}${path}`, message });
  }
  return out;
}

/**
 * Maps anything thrown in a handler to a problem: bad input (schema, configuration, data,
 * parameters) is a 4xx naming the field; only a bug is a 500.
 */
export function toProblem(error: unknown, instance?: string): Problem {
  const e = error as Error & {
    statusCode?: number;
    code?: string;
    validation?: ValidationItem[];
    validationContext?: string;
  };
  if (e instanceof HttpProblem)
    return problem(e.status, e.message, { errors: e.errors, type: e.typeSlug, instance });
  if (Array.isArray(e.validation)) {
    const errors = validationProblems(e.validation, e.validationContext ?? "body");
    const detail = errors.map((p) => `${p.field} ${p.message}`).join("; ");
    return problem(400, detail || e.message, { errors, type: "validation", instance });
  }
  if (e instanceof RowValidationError) {
    // Rows of a JSON body (row ≥ 0) or columns of an uploaded file (row -1).
    const errors = e.problems.map((p) => ({
      row: p.row,
      field: p.row < 0 ? p.field : `body/rows/${p.row}${p.field ? `/${p.field}` : ""}`,
      message: p.message,
    }));
    return problem(422, e.message, { errors, type: "invalid-rows", instance });
  }
  if (e instanceof NotFoundError) return problem(404, e.message, { instance });
  if (e instanceof ConflictError) return problem(409, e.message, { instance });
  if (e instanceof ConfigError) {
    const errors = e.problems.map((p) => ({ field: `body${p.path}`, message: p.message }));
    return problem(422, e.message, { errors, type: "invalid-training-config", instance });
  }
  if (e instanceof TrainyardError) {
    // DataLoadError, InputError, ParameterError, ModelFormatError, DataQualityError, …
    const field =
      (e as { field?: string }).field ??
      (e as { param?: string }).param ??
      (e as { at?: { field?: string } }).at?.field;
    const errors = field ? [{ field, message: e.message }] : undefined;
    return problem(422, e.message, { errors, type: slug(e.name), instance });
  }
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, body too large, unsupported media type…
    return problem(e.statusCode, e.message, { type: e.code ? slug(e.code) : undefined, instance });
  }
  return problem(500, "an unexpected error occurred; it has been logged", { instance });
}
