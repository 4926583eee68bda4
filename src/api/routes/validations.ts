import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { ValidationRecord } from "../../registry/validations.js";
import type { AppDeps } from "../deps.js";
import { PageQuery, paginate } from "../pagination.js";

function view(v: ValidationRecord) {
  return {
    id: v.id,
    modelName: v.modelName,
    jobId: v.jobId,
    metric: v.metric,
    championVersionId: v.championVersionId,
    challengerVersionId: v.challengerVersionId,
    championScore: v.championScore,
    challengerScore: v.challengerScore,
    margin: v.margin,
    decision: v.decision,
    reason: v.reason,
    at: v.at.toISOString(),
    links: { job: v.jobId ? `/v1/jobs/${v.jobId}` : null, model: `/v1/models/${v.modelName}` },
  };
}

const ModelName = Type.String({ minLength: 1, maxLength: 100 });
const JobId = Type.String({ minLength: 1, maxLength: 100 });
const ListQuery = Type.Composite(
  [PageQuery, Type.Object({ model: Type.Optional(ModelName), jobId: Type.Optional(JobId) })],
  { additionalProperties: false },
);
const ModelQuery = Type.Composite([PageQuery, Type.Object({ jobId: Type.Optional(JobId) })], {
  additionalProperties: false,
});
const ModelParams = Type.Object({ name: ModelName });

/** Champion/challenger decisions: both scores, the margin, the decision and why. */
export default async function validationRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = deps.registry;
  const tags = ["continuous training"];

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    "/validations",
    { schema: { tags, summary: "Champion/challenger validations, newest first", querystring: ListQuery } },
    async (request) =>
      paginate(request.url, request.query, async (limit, offset) =>
        (
          await r.validations.list({
            modelName: request.query.model,
            jobId: request.query.jobId,
            limit,
            offset,
          })
        ).map(view),
      ),
  );

  app.get<{ Params: Static<typeof ModelParams>; Querystring: Static<typeof ModelQuery> }>(
    "/models/:name/validations",
    {
      schema: {
        tags,
        summary: "A model's champion/challenger validations, newest first",
        params: ModelParams,
        querystring: ModelQuery,
      },
    },
    async (request) => {
      await r.models.get(request.params.name);
      return paginate(request.url, request.query, async (limit, offset) =>
        (
          await r.validations.list({
            modelName: request.params.name,
            jobId: request.query.jobId,
            limit,
            offset,
          })
        ).map(view),
      );
    },
  );
}
