import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { JobEvent } from "../../jobs/queue.js";
import type { JsonObject } from "../../ml/estimator.js";
import { NotFoundError } from "../../registry/errors.js";
import { JOB_STATUSES, type JobRecord, JobStore } from "../../registry/jobs.js";
import { parseTrainingConfig, TrainingConfigSchema } from "../../training/config.js";
import type { AppDeps } from "../deps.js";
import { PageQuery, paginate } from "../pagination.js";
import { HttpProblem } from "../problem.js";

const JobParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const StatusLiteral = Type.Union(JOB_STATUSES.map((s) => Type.Literal(s)));

export function jobView(j: JobRecord) {
  const ms = (a: Date | null, b: Date | null) => (a && b ? b.getTime() - a.getTime() : null);
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    progress: j.progress,
    stage: j.stage,
    message: j.message,
    priority: j.priority,
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    modelName: j.modelName,
    datasetId: j.datasetId,
    origin: j.origin,
    cancelRequested: j.cancelRequested,
    workerId: j.workerId,
    timings: {
      createdAt: j.createdAt.toISOString(),
      startedAt: j.startedAt?.toISOString() ?? null,
      finishedAt: j.finishedAt?.toISOString() ?? null,
      heartbeatAt: j.heartbeatAt?.toISOString() ?? null,
      queuedMs: ms(j.createdAt, j.startedAt),
      runMs: ms(j.startedAt, j.finishedAt),
    },
    result: j.result,
    error: j.error,
    links: {
      self: `/v1/jobs/${j.id}`,
      events: `/v1/jobs/${j.id}/events`,
      logs: `/v1/jobs/${j.id}/logs`,
      cancel: `/v1/jobs/${j.id}/cancel`,
    },
  };
}

const TrainQuery = Type.Object(
  {
    priority: Type.Optional(Type.Integer({ minimum: -100, maximum: 100 })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** Training and jobs: start, get, list, cancel, logs, live events (SSE). */
export async function jobRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = deps.registry;
  const streams = new Set<() => void>();
  // Before the server stops listening: open streams would otherwise keep close() waiting.
  app.addHook("preClose", async () => {
    for (const end of streams) end();
  });

  app.post<{ Body: Static<typeof TrainingConfigSchema>; Querystring: Static<typeof TrainQuery> }>(
    "/train",
    {
      schema: {
        tags: ["training"],
        summary: "Start a training job (202 with its id)",
        description: "The body is a training configuration; the dataset is a registered id/name or a path.",
        body: TrainingConfigSchema,
        querystring: TrainQuery,
      },
    },
    async (request, reply) => {
      const config = parseTrainingConfig(request.body);
      let datasetId: number | null = null;
      if (config.dataset.datasetId !== undefined) {
        try {
          datasetId = (await r.datasets.get(config.dataset.datasetId)).id;
        } catch (e) {
          if (!(e instanceof NotFoundError)) throw e;
          throw new HttpProblem(422, e.message, [
            { field: "body/dataset/datasetId", message: "is not a registered dataset" },
          ]);
        }
      } else if (config.dataset.path) {
        const path = resolve(config.dataset.path);
        if (!existsSync(path)) {
          throw new HttpProblem(422, `no file ${config.dataset.path} on the server`, [
            { field: "body/dataset/path", message: "does not exist" },
          ]);
        }
        config.dataset.path = path;
      }
      const job = await deps.queue.enqueue(r, {
        config: config as unknown as JsonObject,
        modelName: config.model.name ?? null,
        datasetId,
        origin: { type: "api" },
        priority: request.query.priority,
        maxAttempts: request.query.maxAttempts,
        timeoutSeconds: request.query.timeoutSeconds ?? config.resources.timeoutSeconds ?? null,
      });
      await r.audit.record({
        actor: "api",
        action: "job.queued",
        targetType: "job",
        targetId: job.id,
        details: { modelName: job.modelName },
      });
      return reply
        .code(202)
        .header("location", `/v1/jobs/${job.id}`)
        .send({ jobId: job.id, status: job.status, links: jobView(job).links });
    },
  );

  const ListQuery = Type.Composite(
    [
      PageQuery,
      Type.Object({
        status: Type.Optional(Type.Array(StatusLiteral, { description: "repeat for several" })),
        model: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        kind: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
      }),
    ],
    { additionalProperties: false },
  );
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    "/jobs",
    {
      schema: {
        tags: ["training"],
        summary: "List jobs (newest first; filter by status, model, kind)",
        querystring: ListQuery,
      },
    },
    async (request) =>
      paginate(request.url, request.query, async (limit, offset) =>
        (
          await r.jobs.list({
            limit,
            offset,
            status: request.query.status,
            modelName: request.query.model,
            kind: request.query.kind,
          })
        ).map(jobView),
      ),
  );

  app.get<{ Params: Static<typeof JobParams> }>(
    "/jobs/:id",
    {
      schema: {
        tags: ["training"],
        summary: "A job: status, progress, stage, attempts, timings, result",
        params: JobParams,
      },
    },
    async (request) => jobView(await r.jobs.get(request.params.id)),
  );

  const cancel = async (id: string) => {
    const job = await deps.queue.cancel(r, id);
    await r.audit.record({ actor: "api", action: "job.cancel", targetType: "job", targetId: id });
    return jobView(job);
  };
  app.delete<{ Params: Static<typeof JobParams> }>(
    "/jobs/:id",
    { schema: { tags: ["training"], summary: "Cancel a job (409 when it has ended)", params: JobParams } },
    async (request, reply) => reply.code(202).send(await cancel(request.params.id)),
  );
  app.post<{ Params: Static<typeof JobParams> }>(
    "/jobs/:id/cancel",
    { schema: { tags: ["training"], summary: "Cancel a job (409 when it has ended)", params: JobParams } },
    async (request, reply) => reply.code(202).send(await cancel(request.params.id)),
  );

  const LogQuery = Type.Object(
    {
      after: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: "log id to continue after" })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
    },
    { additionalProperties: false },
  );
  app.get<{ Params: Static<typeof JobParams>; Querystring: Static<typeof LogQuery> }>(
    "/jobs/:id/logs",
    {
      schema: {
        tags: ["training"],
        summary: "Log lines (continue with ?after=<last id>)",
        params: JobParams,
        querystring: LogQuery,
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 1000;
      const lines = await r.jobs.logs(request.params.id, request.query.after ?? 0, limit);
      const last = lines.at(-1)?.id ?? request.query.after ?? 0;
      return {
        items: lines.map((l) => ({ ...l, at: l.at.toISOString() })),
        next:
          lines.length === limit ? `/v1/jobs/${request.params.id}/logs?after=${last}&limit=${limit}` : null,
        after: last,
      };
    },
  );

  const EventsQuery = Type.Object(
    { pollMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000, default: 1000 })) },
    { additionalProperties: false },
  );
  app.get<{ Params: Static<typeof JobParams>; Querystring: Static<typeof EventsQuery> }>(
    "/jobs/:id/events",
    {
      schema: {
        tags: ["training"],
        summary: "Live progress as Server-Sent Events (ends when the job ends)",
        description:
          "Events: `snapshot` (the job now), `progress`, `log`, `started`, `retrying`, and a final `completed`, `failed` or `cancelled` (the job then).",
        params: JobParams,
        querystring: EventsQuery,
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      let job = await r.jobs.get(id); // 404 before the stream starts
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      let closed = false;
      let lastLog = 0;
      let lastKey = "";
      const send = (event: string, data: unknown) => {
        if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const end = () => {
        if (closed) return;
        closed = true;
        clearInterval(poller);
        clearInterval(keepAlive);
        unsubscribe();
        streams.delete(end);
        res.end();
      };
      streams.add(end);
      const finish = (j: JobRecord) => {
        send(j.status.toLowerCase(), jobView(j));
        end();
      };
      // Live events of this process's engine; the database poll below covers everything else
      // (other processes' workers, missed events) and is what decides the end of the stream.
      const unsubscribe = deps.queue.subscribe((e: JobEvent) => {
        if (e.jobId !== id || closed) return;
        if (e.type === "log") return; // log lines come from the database with their ids
        send(e.type, { ...e, at: e.at.toISOString() });
      });
      let polling = false;
      const poll = async () => {
        if (polling || closed) return;
        polling = true;
        try {
          const lines = await r.jobs.logs(id, lastLog, 1000);
          for (const l of lines) send("log", { ...l, at: l.at.toISOString() });
          if (lines.length > 0) lastLog = lines[lines.length - 1].id;
          job = await r.jobs.get(id);
          const key = `${job.status}|${job.progress}|${job.stage}|${job.message}|${job.attempts}`;
          if (key !== lastKey && !JobStore.isFinal(job.status)) {
            lastKey = key;
            send("progress", {
              jobId: id,
              status: job.status,
              percent: job.progress,
              stage: job.stage,
              message: job.message,
              attempts: job.attempts,
            });
          }
          if (JobStore.isFinal(job.status)) finish(job);
        } catch (e) {
          send("error", { detail: (e as Error).message });
          end();
        } finally {
          polling = false;
        }
      };
      const poller = setInterval(poll, request.query.pollMs ?? 1000);
      const keepAlive = setInterval(() => {
        if (!closed) res.write(": keep-alive\n\n");
      }, 15_000);
      request.raw.on("close", end);
      res.on("close", end);
      send("snapshot", jobView(job));
      lastKey = `${job.status}|${job.progress}|${job.stage}|${job.message}|${job.attempts}`;
      await poll();
    },
  );
}
