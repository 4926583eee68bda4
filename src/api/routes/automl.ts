import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { qualityReport } from "../../data/quality/report.js";
import { readTable } from "../../data/read.js";
import { suggest } from "../../training/suggest.js";
import type { AppDeps } from "../deps.js";
import { IdOrName, idOrName } from "../params.js";
import { HttpProblem } from "../problem.js";

const Params = Type.Object({ id: IdOrName });
const Query = Type.Object(
  { target: Type.String({ minLength: 1, description: "the column to predict" }) },
  { additionalProperties: false },
);

/** AutoML: what to train on a dataset (task, algorithms, metric, tuning, warnings). */
export async function automlRoutes(app: FastifyInstance, deps: AppDeps) {
  app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof Query> }>(
    "/datasets/:id/suggestions",
    {
      schema: {
        tags: ["automl"],
        summary: "Training suggestions for a dataset and target",
        params: Params,
        querystring: Query,
      },
    },
    async (request) => {
      const d = await deps.registry.datasets.get(idOrName(request.params.id));
      const table = await readTable(d.source);
      if (!table.has(request.query.target)) {
        throw new HttpProblem(422, `no column "${request.query.target}" in dataset ${d.name}`, [
          {
            field: "querystring/target",
            message: `is not a column (columns: ${table.names.slice(0, 20).join(", ")})`,
          },
        ]);
      }
      const report = qualityReport(table, { source: d.name, target: request.query.target });
      return { dataset: { id: d.id, name: d.name }, target: request.query.target, ...suggest(report) };
    },
  );
}
