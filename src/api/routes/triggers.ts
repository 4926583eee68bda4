import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { TriggerEvaluator } from "../../jobs/triggers.js";
import type { JsonObject } from "../../ml/estimator.js";
import type { TriggerRecord } from "../../registry/triggers.js";
import type { AppDeps } from "../deps.js";
import { PageQuery, paginate } from "../pagination.js";
import { IdOrName, idOrName } from "../params.js";
import { Conditions, Config, checked, iso, Name, Promotion } from "./continuous-common.js";

function view(t: TriggerRecord) {
  return {
    id: t.id,
    name: t.name,
    modelName: t.modelName,
    datasetId: t.datasetId,
    conditions: t.conditions,
    config: t.config,
    promotion: t.promotion,
    enabled: t.enabled,
    lastFiredAt: iso(t.lastFiredAt),
    lastJobId: t.lastJobId,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    links: {
      self: `/v1/triggers/${t.id}`,
      evaluate: `/v1/triggers/${t.id}/evaluate`,
      lastJob: t.lastJobId ? `/v1/jobs/${t.lastJobId}` : null,
    },
  };
}

const Fields = {
  name: Name,
  modelName: Name,
  datasetId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    description: "The dataset watched (default: the config's datasetId)",
  }),
  conditions: Conditions,
  config: Config,
  promotion: Promotion,
  enabled: Type.Boolean(),
};
const CreateBody = Type.Object(
  {
    name: Fields.name,
    modelName: Fields.modelName,
    datasetId: Type.Optional(Fields.datasetId),
    conditions: Type.Optional(
      Type.Object(Conditions.properties, {
        additionalProperties: false,
        description: "Fires when any holds (default { newRows: 1000, maxAgeDays: 90 })",
      }),
    ),
    config: Fields.config,
    promotion: Type.Optional(Fields.promotion),
    enabled: Type.Optional(Fields.enabled),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(Type.Object(Fields), { additionalProperties: false, minProperties: 1 });
const Params = Type.Object({ id: IdOrName });
const ListQuery = Type.Composite(
  [
    PageQuery,
    Type.Object({
      enabled: Type.Optional(Type.Boolean()),
      modelName: Type.Optional(Name),
      datasetId: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
  ],
  { additionalProperties: false },
);

/** Retraining triggers (new rows, model age, dataset ready): CRUD and a check on demand. */
export default async function triggerRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = deps.registry;
  const tags = ["triggers"];
  const find = async (ref: string) => r.triggers.get(idOrName(ref));

  app.post<{ Body: Static<typeof CreateBody> }>(
    "/triggers",
    { schema: { tags, summary: "Create a retraining trigger", body: CreateBody } },
    async (request, reply) => {
      const b = request.body;
      const t = await checked(() => r.triggers.create({ ...b, config: b.config as JsonObject }));
      return reply.code(201).header("location", `/v1/triggers/${t.id}`).send(view(t));
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    "/triggers",
    { schema: { tags, summary: "List triggers", querystring: ListQuery } },
    async (request) => {
      const { enabled, modelName, datasetId } = request.query;
      return paginate(request.url, request.query, async (limit, offset) =>
        (await r.triggers.list({ enabled, modelName, datasetId, limit, offset })).map(view),
      );
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    "/triggers/:id",
    { schema: { tags, summary: "A trigger (by id or name)", params: Params } },
    async (request) => view(await find(request.params.id)),
  );

  app.patch<{ Params: Static<typeof Params>; Body: Static<typeof PatchBody> }>(
    "/triggers/:id",
    { schema: { tags, summary: "Change a trigger", params: Params, body: PatchBody } },
    async (request) => {
      const t = await find(request.params.id);
      const b = request.body;
      return view(
        await checked(() =>
          r.triggers.update(t.id, {
            ...b,
            config: b.config === undefined ? undefined : (b.config as JsonObject),
          }),
        ),
      );
    },
  );

  app.delete<{ Params: Static<typeof Params> }>(
    "/triggers/:id",
    { schema: { tags, summary: "Delete a trigger", params: Params } },
    async (request, reply) => {
      await r.triggers.delete((await find(request.params.id)).id);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Static<typeof Params> }>(
    "/triggers/:id/evaluate",
    {
      schema: {
        tags,
        summary: "Check the trigger's conditions now; fires (enqueues a retraining) when one holds",
        params: Params,
      },
    },
    async (request) => {
      const t = await find(request.params.id);
      const outcome = await new TriggerEvaluator({ registry: r, queue: deps.queue }).evaluate(t);
      return {
        fired: outcome.fired,
        reason: outcome.reason,
        jobId: outcome.jobId,
        job: outcome.jobId ? `/v1/jobs/${outcome.jobId}` : null,
      };
    },
  );
}
