import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { JsonObject } from "../../ml/estimator.js";
import { latestTick, parseCron, type ScheduleRecord } from "../../registry/schedules.js";
import type { AppDeps } from "../deps.js";
import { PageQuery, paginate } from "../pagination.js";
import { IdOrName, idOrName } from "../params.js";
import { Conditions, Config, checked, iso, Name, Promotion } from "./continuous-common.js";

function view(s: ScheduleRecord, now = new Date()) {
  const cron = parseCron(s.cron, s.timezone);
  return {
    id: s.id,
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    enabled: s.enabled,
    modelName: s.modelName,
    config: s.config,
    conditions: s.conditions,
    promotion: s.promotion,
    lastFiredAt: iso(s.lastFiredAt),
    nextRunAt: s.enabled ? iso(cron.nextRun(now)) : null,
    previousTickAt: iso(latestTick(cron, now)),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    links: { self: `/v1/schedules/${s.id}`, firings: `/v1/schedules/${s.id}/firings` },
  };
}

const Fields = {
  name: Name,
  cron: Type.String({ minLength: 1, maxLength: 200, description: "e.g. '0 1 * * 0' (Sundays 01:00)" }),
  timezone: Type.String({ minLength: 1, maxLength: 100, description: "IANA zone, default UTC" }),
  enabled: Type.Boolean(),
  modelName: Type.Union([Name, Type.Null()]),
  config: Config,
  conditions: Conditions,
  promotion: Promotion,
};
const CreateBody = Type.Object(
  {
    name: Fields.name,
    cron: Fields.cron,
    timezone: Type.Optional(Fields.timezone),
    enabled: Type.Optional(Fields.enabled),
    modelName: Type.Optional(Fields.modelName),
    config: Fields.config,
    conditions: Type.Optional(Fields.conditions),
    promotion: Type.Optional(Fields.promotion),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(Type.Object(Fields), { additionalProperties: false, minProperties: 1 });
const Params = Type.Object({ id: IdOrName });
const ListQuery = Type.Composite(
  [PageQuery, Type.Object({ enabled: Type.Optional(Type.Boolean()), modelName: Type.Optional(Name) })],
  { additionalProperties: false },
);
const PageOnly = Type.Composite([PageQuery], { additionalProperties: false });

/** Cron schedules of (re)training: CRUD and the log of their ticks. */
export default async function scheduleRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = deps.registry;
  const tags = ["schedules"];
  const find = async (ref: string) => r.schedules.get(idOrName(ref));

  app.post<{ Body: Static<typeof CreateBody> }>(
    "/schedules",
    { schema: { tags, summary: "Create a cron schedule that retrains", body: CreateBody } },
    async (request, reply) => {
      const b = request.body;
      const s = await checked(() => r.schedules.create({ ...b, config: b.config as JsonObject }));
      return reply.code(201).header("location", `/v1/schedules/${s.id}`).send(view(s));
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    "/schedules",
    { schema: { tags, summary: "List schedules", querystring: ListQuery } },
    async (request) => {
      const { enabled, modelName } = request.query;
      return paginate(request.url, request.query, async (limit, offset) =>
        (await r.schedules.list({ enabled, modelName, limit, offset })).map((s) => view(s)),
      );
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    "/schedules/:id",
    { schema: { tags, summary: "A schedule (by id or name), with its next run", params: Params } },
    async (request) => view(await find(request.params.id)),
  );

  app.patch<{ Params: Static<typeof Params>; Body: Static<typeof PatchBody> }>(
    "/schedules/:id",
    {
      schema: {
        tags,
        summary: "Change a schedule (ticks before the change never fire)",
        params: Params,
        body: PatchBody,
      },
    },
    async (request) => {
      const s = await find(request.params.id);
      const b = request.body;
      return view(
        await checked(() =>
          r.schedules.update(s.id, {
            ...b,
            config: b.config === undefined ? undefined : (b.config as JsonObject),
          }),
        ),
      );
    },
  );

  app.delete<{ Params: Static<typeof Params> }>(
    "/schedules/:id",
    { schema: { tags, summary: "Delete a schedule and its log", params: Params } },
    async (request, reply) => {
      await r.schedules.delete((await find(request.params.id)).id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof PageOnly> }>(
    "/schedules/:id/firings",
    {
      schema: {
        tags,
        summary: "The schedule's ticks, newest first: fired (with the job) or skipped, and why",
        params: Params,
        querystring: PageOnly,
      },
    },
    async (request) => {
      const s = await find(request.params.id);
      return paginate(request.url, request.query, async (limit, offset) =>
        (await r.schedules.firings(s.id, { limit, offset })).map((f) => ({
          tick: f.tick.toISOString(),
          decision: f.decision,
          reason: f.reason,
          jobId: f.jobId,
          job: f.jobId ? `/v1/jobs/${f.jobId}` : null,
          at: f.at.toISOString(),
        })),
      );
    },
  );
}
