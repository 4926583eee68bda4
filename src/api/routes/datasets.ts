import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { qualityReport } from "../../data/quality/report.js";
import { readTable } from "../../data/read.js";
import type { DatasetRecord } from "../../registry/datasets.js";
import { appendRows, describeFile, tableRows } from "../dataset-files.js";
import type { AppDeps } from "../deps.js";
import { PageQuery, paginate } from "../pagination.js";
import { IdOrName, idOrName } from "../params.js";
import { HttpProblem } from "../problem.js";

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9][\\w.-]*$" });
const Params = Type.Object({ id: IdOrName });
const TASKS = ["auto", "binary", "multiclass", "regression"] as const;

const EXTENSIONS = new Set([".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".parquet"]);

function view(d: DatasetRecord) {
  return {
    id: d.id,
    name: d.name,
    source: d.source,
    fingerprint: d.fingerprint,
    rows: d.rows,
    columns: d.columns,
    newRows: d.newRows,
    ready: d.ready,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    links: {
      self: `/v1/datasets/${d.id}`,
      preview: `/v1/datasets/${d.id}/preview`,
      quality: `/v1/datasets/${d.id}/quality`,
    },
  };
}

/** Datasets: upload, register a path, list, get, quality report, preview, append rows, mark ready. */
export async function datasetRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = deps.registry;
  const dir = resolve(deps.uploadDir, "datasets");

  app.post(
    "/datasets",
    {
      schema: {
        tags: ["datasets"],
        summary: "Upload a dataset (multipart: a CSV, TSV, JSON Lines or Parquet file; optional name field)",
        consumes: ["multipart/form-data"],
        querystring: Type.Object({ name: Type.Optional(Name) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new HttpProblem(
          415,
          'upload a file as multipart/form-data (field "file"), or POST /v1/datasets/register with a path',
        );
      }
      const file = await request.file();
      if (!file)
        throw new HttpProblem(400, "the multipart body has no file", [
          { field: "body/file", message: "is required" },
        ]);
      const ext = extname(file.filename).toLowerCase();
      if (!EXTENSIONS.has(ext)) {
        file.file.resume();
        throw new HttpProblem(415, `"${file.filename}" is not a CSV, TSV, JSON Lines or Parquet file`, [
          { field: "body/file", message: `has an unsupported extension "${ext}"` },
        ]);
      }
      const field = file.fields.name as { value?: unknown } | undefined;
      const name =
        (request.query as { name?: string }).name ??
        (typeof field?.value === "string" ? field.value : basename(file.filename, ext));
      if (!/^[A-Za-z0-9][\w.-]*$/.test(name) || name.length > 200) {
        file.file.resume();
        throw new HttpProblem(400, `dataset name ${JSON.stringify(name)} must use letters, digits, _ . -`, [
          { field: "body/name", message: "is not a valid name" },
        ]);
      }
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${randomUUID()}${ext}`);
      try {
        await pipeline(file.file, createWriteStream(path));
        if (file.file.truncated) throw new HttpProblem(413, "the file is larger than the upload limit");
        const d = await r.datasets.register(await describeFile(name, path));
        return reply.code(201).header("location", `/v1/datasets/${d.id}`).send(view(d));
      } catch (e) {
        await rm(path, { force: true });
        throw e;
      }
    },
  );

  const RegisterBody = Type.Object(
    { name: Name, path: Type.String({ minLength: 1, maxLength: 4096, description: "a file on the server" }) },
    { additionalProperties: false },
  );
  app.post<{ Body: Static<typeof RegisterBody> }>(
    "/datasets/register",
    { schema: { tags: ["datasets"], summary: "Register a file the server can read", body: RegisterBody } },
    async (request, reply) => {
      const path = resolve(request.body.path);
      const d = await r.datasets.register(await describeFile(request.body.name, path));
      return reply.code(201).header("location", `/v1/datasets/${d.id}`).send(view(d));
    },
  );

  const ListQuery = Type.Composite(
    [
      PageQuery,
      Type.Object({
        name: Type.Optional(Type.String({ maxLength: 200 })),
        ready: Type.Optional(Type.Boolean()),
      }),
    ],
    { additionalProperties: false },
  );
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    "/datasets",
    { schema: { tags: ["datasets"], summary: "List datasets (newest first)", querystring: ListQuery } },
    async (request) =>
      paginate(request.url, request.query, async (limit, offset) =>
        (await r.datasets.list({ limit, offset, name: request.query.name, ready: request.query.ready })).map(
          view,
        ),
      ),
  );

  app.get<{ Params: Static<typeof Params> }>(
    "/datasets/:id",
    {
      schema: { tags: ["datasets"], summary: "A dataset with its schema and column profile", params: Params },
    },
    async (request) => {
      const d = await r.datasets.get(idOrName(request.params.id));
      return { ...view(d), schema: d.schema };
    },
  );

  const QualityQuery = Type.Object(
    {
      target: Type.Optional(Type.String({ minLength: 1 })),
      task: Type.Optional(Type.Union(TASKS.map((t) => Type.Literal(t)))),
    },
    { additionalProperties: false },
  );
  app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof QualityQuery> }>(
    "/datasets/:id/quality",
    {
      schema: {
        tags: ["datasets"],
        summary: "Data-quality report (with a target: classes, leakage)",
        params: Params,
        querystring: QualityQuery,
      },
    },
    async (request) => {
      const d = await r.datasets.get(idOrName(request.params.id));
      const table = await readTable(d.source);
      if (request.query.target && !table.has(request.query.target)) {
        throw new HttpProblem(422, `no column "${request.query.target}" in dataset ${d.name}`, [
          {
            field: "querystring/target",
            message: `is not a column (columns: ${table.names.slice(0, 20).join(", ")})`,
          },
        ]);
      }
      return qualityReport(table, { source: d.name, target: request.query.target, task: request.query.task });
    },
  );

  const PreviewQuery = Type.Object(
    { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20 })) },
    { additionalProperties: false },
  );
  app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof PreviewQuery> }>(
    "/datasets/:id/preview",
    { schema: { tags: ["datasets"], summary: "The first rows", params: Params, querystring: PreviewQuery } },
    async (request) => {
      const d = await r.datasets.get(idOrName(request.params.id));
      const table = await readTable(d.source, { maxRows: request.query.limit ?? 20 });
      return { columns: table.columns.map((c) => ({ name: c.name, kind: c.kind })), rows: tableRows(table) };
    },
  );

  const AppendBody = Type.Object(
    {
      rows: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 100_000 }),
    },
    { additionalProperties: false },
  );
  app.post<{ Params: Static<typeof Params>; Body: Static<typeof AppendBody> }>(
    "/datasets/:id/rows",
    {
      schema: {
        tags: ["datasets"],
        summary: "Append rows (counted as new data for retraining triggers)",
        params: Params,
        body: AppendBody,
      },
    },
    async (request) => {
      const d = await r.datasets.get(idOrName(request.params.id));
      const rows = request.body.rows;
      const update = await appendRows(d.source, rows, d.rows);
      const after = await r.datasets.appended(d.id, rows.length, update);
      if (deps.onAppend) {
        try {
          await deps.onAppend(after, rows.length);
        } catch (e) {
          request.log.error({ err: e, dataset: d.id }, "append hook failed");
        }
      }
      return { appended: rows.length, dataset: view(after) };
    },
  );

  app.post<{ Params: Static<typeof Params> }>(
    "/datasets/:id/ready",
    {
      schema: {
        tags: ["datasets"],
        summary: "Mark the dataset ready (fires 'dataset ready' triggers)",
        params: Params,
      },
    },
    async (request) => {
      const d = await r.datasets.get(idOrName(request.params.id));
      const after = await r.datasets.markReady(d.id, true);
      if (deps.onReady) {
        try {
          await deps.onReady(after);
        } catch (e) {
          request.log.error({ err: e, dataset: d.id }, "ready hook failed");
        }
      }
      return view(after);
    },
  );
}
