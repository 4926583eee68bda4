import multipart from "@fastify/multipart";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import { sql } from "kysely";
import { type AppDeps, type RoutePlugin, resolvedLimits } from "./deps.js";
import { ProblemSchema } from "./params.js";
import { toProblem } from "./problem.js";
import { automlRoutes } from "./routes/automl.js";
import { datasetRoutes } from "./routes/datasets.js";
import { healthRoutes } from "./routes/health.js";
import { jobRoutes } from "./routes/jobs.js";
import { modelRoutes } from "./routes/models.js";
import { predictRoutes } from "./routes/predict.js";
import scheduleRoutes from "./routes/schedules.js";
import { statusRoutes } from "./routes/status.js";
import subscriptionRoutes from "./routes/subscriptions.js";
import triggerRoutes from "./routes/triggers.js";
import validationRoutes from "./routes/validations.js";
import { validatorCompiler } from "./validation.js";

export type { ApiLimits, AppDeps, RoutePlugin } from "./deps.js";

/**
 * The HTTP API: `/healthz`, `/readyz`, OpenAPI at `/docs` (JSON at `/docs/json`), and every
 * resource under `/v1`. Errors are RFC 7807 problem+json documents; bad input is a 4xx that
 * names the failing field, never a 500.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const limits = resolvedLimits(deps);
  const app = Fastify({
    ...(typeof deps.logger === "object" ? { loggerInstance: deps.logger } : { logger: deps.logger ?? false }),
    bodyLimit: limits.bodyLimit,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  // JSON only (uploads are multipart): a text/plain body is a 415, not a string to validate.
  app.removeContentTypeParser("text/plain");

  app.setErrorHandler((error, request, reply) => {
    const p = toProblem(error, request.url);
    if (p.status >= 500) request.log.error({ err: error }, "request failed");
    reply.code(p.status).type("application/problem+json").send(p);
  });
  app.setNotFoundHandler((request, reply) => {
    const p = toProblem(
      { statusCode: 404, message: `no route ${request.method} ${request.url.split("?")[0]}` },
      request.url,
    );
    reply.code(404).type("application/problem+json").send(p);
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "trainyard",
        version: "1",
        description: "Train, track, version and serve models. Errors are RFC 7807 problem+json documents.",
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  // Listed in the document's components: the body of every 4xx/5xx answer.
  app.addSchema(ProblemSchema);
  await app.register(multipart, {
    limits: { fileSize: limits.uploadLimit, files: 1, fields: 20 },
  });

  const ready =
    deps.ready ??
    (async () => {
      await sql`select 1`.execute(deps.registry.db);
      return true;
    });
  await app.register(async (root) => healthRoutes(root, { ...deps, ready }));

  const plugins: RoutePlugin[] = [
    datasetRoutes,
    jobRoutes,
    modelRoutes,
    predictRoutes,
    automlRoutes,
    statusRoutes,
    scheduleRoutes,
    triggerRoutes,
    subscriptionRoutes,
    validationRoutes,
  ];
  await app.register(
    async (v1) => {
      for (const plugin of plugins) await v1.register(async (scope) => plugin(scope, deps));
    },
    { prefix: "/v1" },
  );
  return app;
}
