import { Type } from "@sinclair/typebox";
import type { JobQueue } from "../jobs/queue.js";
import type { Registry } from "../registry/registry.js";
import type { ModelCache, ServedModel } from "../serving/cache.js";
import { HttpProblem } from "./problem.js";

/** `?version=` or `?alias=` (default: the active version). */
export const VersionSelect = {
  version: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "a version label" })),
  alias: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "an alias, e.g. champion" })),
};

export const ModelParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$" }),
});

/** The served model a request asks for, through the cache. */
export function servedModel(
  deps: { registry: Registry; cache: ModelCache; queue?: JobQueue },
  name: string,
  select: { version?: string; alias?: string },
  where = "query",
): Promise<ServedModel> {
  if (select.version && select.alias) {
    throw new HttpProblem(400, "give a version or an alias, not both", [
      { field: `${where}/alias`, message: "cannot be combined with version" },
    ]);
  }
  return deps.cache.get(deps.registry, { name, version: select.version, alias: select.alias });
}
