import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";

/** `GET /v1/status`: models, jobs by status, queue depth, workers and their heartbeats. */
export async function statusRoutes(app: FastifyInstance, deps: AppDeps) {
  app.get("/status", { schema: { tags: ["status"], summary: "Service status" } }, async () => {
    const r = deps.registry;
    const [models, jobs, depth, workers] = await Promise.all([
      r.models.list({ limit: 500 }),
      r.jobs.countByStatus(),
      deps.queue.depth(),
      r.workers.list({ limit: 100 }),
    ]);
    return {
      engine: deps.queue.engine,
      models: {
        total: models.length,
        active: models.filter((m) => m.activeVersion !== null).length,
        items: models.map((m) => ({
          name: m.name,
          task: m.task,
          activeVersion: m.activeVersion,
          versions: m.versionCount,
        })),
      },
      jobs,
      queue: { depth },
      workers: workers.map((w) => ({
        id: w.id,
        engine: w.engine,
        host: w.host,
        pid: w.pid,
        concurrency: w.concurrency,
        state: w.state,
        currentJobs: w.currentJobs,
        startedAt: w.startedAt.toISOString(),
        heartbeatAt: w.heartbeatAt.toISOString(),
        heartbeatAgeMs: Date.now() - w.heartbeatAt.getTime(),
      })),
      loadedModels: deps.cache.loaded().length,
    };
  });
}
