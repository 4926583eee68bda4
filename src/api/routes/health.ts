import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";
import { problem } from "../problem.js";

/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: its database answers);
 * `/` sends a browser to the API's docs.
 */
export async function healthRoutes(app: FastifyInstance, deps: AppDeps & { ready: () => Promise<boolean> }) {
  app.get("/", { schema: { hide: true } }, async (_request, reply) => reply.redirect("/docs"));
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (request, reply) => {
    let ok = false;
    let detail = "not ready";
    try {
      ok = await deps.ready();
    } catch (e) {
      detail = `not ready: ${(e as Error).message}`;
    }
    if (ok) return { status: "ready" };
    return reply
      .code(503)
      .type("application/problem+json")
      .send(problem(503, detail, { instance: request.url }));
  });
}
