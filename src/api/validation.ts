import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

// Two validators: JSON bodies are taken as sent (a string where a number belongs is an error,
// unknown fields are errors), while query strings and path parameters, which are text by
// nature, are coerced to their declared types. Fastify's default removes unknown fields and
// coerces bodies, which would let wrong requests through silently.
function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    coerceTypes: coerce ? "array" : false,
    strict: false,
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv(true);

type Validate = ReturnType<FastifySchemaCompiler<object>>;

/**
 * Query-string lists may be repeated (`?status=QUEUED&status=RUNNING`) or comma-separated
 * (`?status=QUEUED,RUNNING`): a comma-separated text in an array-typed parameter is split
 * before validation.
 */
function splitCommaLists(schema: object, validate: Validate): Validate {
  const props = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  const lists = Object.entries(props)
    .filter(([, p]) => p.type === "array")
    .map(([name]) => name);
  if (lists.length === 0) return validate;
  const wrapped: Validate = (data: unknown) => {
    if (data && typeof data === "object") {
      const q = data as Record<string, unknown>;
      for (const name of lists) {
        const v = q[name];
        if (typeof v === "string") q[name] = v.split(",").filter((s) => s.length > 0);
        else if (Array.isArray(v)) q[name] = v.flatMap((x) => (typeof x === "string" ? x.split(",") : [x]));
      }
    }
    const ok = validate(data);
    wrapped.errors = validate.errors;
    return ok;
  };
  return wrapped;
}

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  if (httpPart === "body") return strict.compile(schema);
  const validate = coercing.compile(schema);
  return httpPart === "querystring" ? splitCommaLists(schema, validate) : validate;
};
