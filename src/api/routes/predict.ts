import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { readTable } from "../../data/read.js";
import { type BatchFormat, predictBatch } from "../../serving/batch.js";
import { explainOne } from "../../serving/explain.js";
import { MicroBatcher } from "../../serving/predict-rows.js";
import { type AppDeps, resolvedLimits } from "../deps.js";
import { HttpProblem } from "../problem.js";
import { ModelParams, servedModel, VersionSelect } from "../served.js";

const PredictBody = Type.Object(
  {
    rows: Type.Array(Type.Unknown(), {
      minItems: 1,
      description: "objects of feature values (null: missing)",
    }),
    ...VersionSelect,
    explain: Type.Optional(
      Type.Boolean({ default: false, description: "add each row's feature contributions (at most 20 rows)" }),
    ),
    unknownFields: Type.Optional(
      Type.Union([Type.Literal("reject"), Type.Literal("ignore")], {
        default: "reject",
        description: "fields the model does not use: an error, or ignored",
      }),
    ),
  },
  { additionalProperties: false },
);

const BatchQuery = Type.Object(
  {
    ...VersionSelect,
    format: Type.Optional(
      Type.Union([Type.Literal("csv"), Type.Literal("jsonl")], {
        description: "output (default: as the input)",
      }),
    ),
  },
  { additionalProperties: false },
);

const INPUT = new Set([".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".parquet"]);

/** Real-time (JSON rows) and batch (file in, file out, streamed) prediction. */
export async function predictRoutes(app: FastifyInstance, deps: AppDeps) {
  const limits = resolvedLimits(deps);
  type P = { Params: Static<typeof ModelParams> };
  const batcher = new MicroBatcher();

  app.post<P & { Body: Static<typeof PredictBody> }>(
    "/models/:name/predict",
    {
      schema: {
        tags: ["predict"],
        summary: "Predict JSON rows (labels and class probabilities, or values)",
        description:
          "Rows are checked against the model's input schema: a missing field, an unknown field or a value of the wrong type is a 422 listing each problem by row and field.",
        params: ModelParams,
        body: PredictBody,
      },
    },
    async (request) => {
      const b = request.body;
      if (b.rows.length > limits.maxPredictRows) {
        throw new HttpProblem(
          413,
          `at most ${limits.maxPredictRows} rows per request; use /predict/batch for files`,
          [{ field: "body/rows", message: `has ${b.rows.length} rows` }],
        );
      }
      const m = await servedModel(deps, request.params.name, b, "body");
      const predictions = await batcher.predict(m, b.rows, {
        extra: b.unknownFields === "ignore" ? "ignore" : "reject",
      });
      if (b.explain) {
        if (b.rows.length > 20) {
          throw new HttpProblem(422, "explanations are given for at most 20 rows per request", [
            { field: "body/explain", message: "needs at most 20 rows" },
          ]);
        }
        const explanations: Awaited<ReturnType<typeof explainOne>>[] = [];
        for (const row of b.rows)
          explanations.push(await explainOne(deps.registry, m, row, { nSamples: 100 }));
        return {
          model: m.modelName,
          version: m.version,
          predictions: predictions.map((p, i) => ({ ...p, explanation: explanations[i] })),
        };
      }
      return { model: m.modelName, version: m.version, predictions };
    },
  );

  app.post<P & { Querystring: Static<typeof BatchQuery> }>(
    "/models/:name/predict/batch",
    {
      schema: {
        tags: ["predict"],
        summary:
          "Predict a whole file (multipart upload: CSV, TSV, JSON Lines or Parquet) → CSV or JSON Lines, streamed",
        consumes: ["multipart/form-data"],
        params: ModelParams,
        querystring: BatchQuery,
      },
    },
    async (request, reply) => {
      const m = await servedModel(deps, request.params.name, request.query);
      if (!request.isMultipart())
        throw new HttpProblem(415, 'upload the rows as multipart/form-data (field "file")');
      const file = await request.file();
      if (!file)
        throw new HttpProblem(400, "the multipart body has no file", [
          { field: "body/file", message: "is required" },
        ]);
      const ext = extname(file.filename).toLowerCase();
      if (!INPUT.has(ext)) {
        file.file.resume();
        throw new HttpProblem(415, `"${file.filename}" is not a CSV, TSV, JSON Lines or Parquet file`, [
          { field: "body/file", message: `has an unsupported extension "${ext}"` },
        ]);
      }
      const dir = resolve(deps.uploadDir, "batch");
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${randomUUID()}${ext}`);
      try {
        await pipeline(file.file, createWriteStream(path));
        if (file.file.truncated) throw new HttpProblem(413, "the file is larger than the upload limit");
        const table = await readTable(path);
        if (table.nRows === 0)
          throw new HttpProblem(422, "the file has no rows", [{ field: "body/file", message: "is empty" }]);
        const format: BatchFormat =
          request.query.format ?? (ext === ".jsonl" || ext === ".ndjson" ? "jsonl" : "csv");
        const chunks = predictBatch(m, table, format);
        await rm(path, { force: true });
        return reply
          .type(format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson")
          .header("content-disposition", `attachment; filename="predictions.${format}"`)
          .header("x-model-version", `${m.modelName}@${m.version}`)
          .send(Readable.from(chunks));
      } catch (e) {
        await rm(path, { force: true });
        throw e;
      }
    },
  );
}
