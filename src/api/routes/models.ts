import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { publish } from "../../jobs/events.js";
import type { Pipeline } from "../../ml/pipeline/pipeline.js";
import type { ModelRecord, VersionRecord } from "../../registry/models.js";
import type { ServedModel } from "../../serving/cache.js";
import { classifierCurves, evaluationData } from "../../serving/evaluation.js";
import { explainOne } from "../../serving/explain.js";
import { RowValidationError } from "../../serving/rows.js";
import { featureImportances } from "../../training/evaluate.js";
import type { AppDeps } from "../deps.js";
import { PageQuery, paginate } from "../pagination.js";
import { idOrName } from "../params.js";
import { HttpProblem } from "../problem.js";
import { ModelParams, servedModel, VersionSelect } from "../served.js";
import { barChart, heatmap, lineChart } from "../svg.js";

function modelView(m: ModelRecord) {
  return {
    name: m.name,
    task: m.task,
    activeVersion: m.activeVersion,
    versions: m.versionCount,
    inputSchema: m.inputSchema,
    createdAt: m.createdAt.toISOString(),
    links: {
      self: `/v1/models/${m.name}`,
      versions: `/v1/models/${m.name}/versions`,
      predict: `/v1/models/${m.name}/predict`,
    },
  };
}

function versionView(v: VersionRecord) {
  return {
    id: v.id,
    model: v.modelName,
    version: v.version,
    active: v.active,
    archived: v.archived,
    aliases: v.aliases,
    runId: v.runId,
    checksum: v.checksum,
    sizeBytes: v.sizeBytes,
    metrics: v.metrics,
    createdAt: v.createdAt.toISOString(),
  };
}

const Select = Type.Object(VersionSelect, { additionalProperties: false });
type Select = Static<typeof Select>;

/** Models: list, get, versions, activate, compare, metrics, importance, curves, plots, explain. */
export async function modelRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = deps.registry;
  type P = { Params: Static<typeof ModelParams> };
  const served = (name: string, q: Select) => servedModel(deps, name, q);

  const ListQuery = Type.Composite([PageQuery, Type.Object({ active: Type.Optional(Type.Boolean()) })], {
    additionalProperties: false,
  });
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    "/models",
    {
      schema: {
        tags: ["models"],
        summary: "List models (?active=true: only those serving)",
        querystring: ListQuery,
      },
    },
    async (request) =>
      paginate(request.url, request.query, async (limit, offset) =>
        (await r.models.list({ limit, offset, activeOnly: request.query.active === true })).map(modelView),
      ),
  );

  app.get<P>(
    "/models/:name",
    { schema: { tags: ["models"], summary: "A model and its newest versions", params: ModelParams } },
    async (request) => {
      const m = await r.models.get(request.params.name);
      const versions = await r.models.versions(m.name, { limit: 20 });
      return { ...modelView(m), latestVersions: versions.map(versionView) };
    },
  );

  const VersionsQuery = Type.Composite(
    [PageQuery, Type.Object({ archived: Type.Optional(Type.Boolean()) })],
    {
      additionalProperties: false,
    },
  );
  app.get<P & { Querystring: Static<typeof VersionsQuery> }>(
    "/models/:name/versions",
    {
      schema: {
        tags: ["models"],
        summary: "A model's versions, newest first",
        params: ModelParams,
        querystring: VersionsQuery,
      },
    },
    async (request) =>
      paginate(request.url, request.query, async (limit, offset) =>
        (
          await r.models.versions(request.params.name, {
            limit,
            offset,
            includeArchived: request.query.archived === true,
          })
        ).map(versionView),
      ),
  );

  const ActivateBody = Type.Object(
    { version: Type.String({ minLength: 1, maxLength: 100 }) },
    { additionalProperties: false },
  );
  app.post<P & { Body: Static<typeof ActivateBody> }>(
    "/models/:name/activate",
    {
      schema: {
        tags: ["models"],
        summary: "Make a version the one serving predictions",
        description:
          "Requests in flight finish on the version they started with; new requests get the new one.",
        params: ModelParams,
        body: ActivateBody,
      },
    },
    async (request) => {
      const { name } = request.params;
      const before = (await r.models.get(name)).activeVersion;
      const v = await r.models.activate(name, request.body.version);
      deps.cache.invalidate(r, name);
      await r.audit.record({
        actor: "api",
        action: "model.activate",
        targetType: "model_version",
        targetId: `${name}@${v.version}`,
        details: { previous: before },
      });
      await publish(r, "model.activated", { model: name, version: v.version, previous: before });
      return versionView(v);
    },
  );

  const CompareQuery = Type.Object(
    {
      versions: Type.Array(Type.String({ minLength: 1 }), {
        minItems: 2,
        maxItems: 20,
        description: "repeat: ?versions=a&versions=b",
      }),
    },
    { additionalProperties: false },
  );
  app.get<P & { Querystring: Static<typeof CompareQuery> }>(
    "/models/:name/compare",
    {
      schema: {
        tags: ["models"],
        summary: "Versions side by side with metric deltas from the first",
        params: ModelParams,
        querystring: CompareQuery,
      },
    },
    async (request) => {
      const c = await r.models.compare(request.params.name, request.query.versions);
      return { versions: c.versions.map(versionView), metrics: c.metrics };
    },
  );

  const runOf = async (m: ServedModel) => {
    const v = await deps.cache.resolve(r, { name: m.modelName, version: m.version });
    return v.runId === null ? null : r.runs.get(v.runId);
  };

  app.get<P & { Querystring: Select }>(
    "/models/:name/metrics",
    {
      schema: {
        tags: ["models"],
        summary: "Metrics, per-class metrics and confusion matrix of a version",
        params: ModelParams,
        querystring: Select,
      },
    },
    async (request) => {
      const m = await served(request.params.name, request.query);
      const run = await runOf(m);
      const v = await deps.cache.resolve(r, { name: m.modelName, version: m.version });
      return {
        model: m.modelName,
        version: m.version,
        task: m.estimator.task,
        classes: m.estimator.task === "classification" ? m.estimator.classes : null,
        metrics: run?.metrics ?? v.metrics,
        perClass: run?.perClass ?? null,
        confusionMatrix: run?.confusionMatrix ?? null,
        runId: run?.id ?? null,
      };
    },
  );

  const importances = async (m: ServedModel, top: number) => {
    let list = featureImportances(m.estimator as unknown as Pipeline).map((x) => ({
      feature: x.feature,
      importance: x.importance,
    }));
    if (list.length === 0) {
      const run = await runOf(m);
      list = Array.isArray(run?.importances)
        ? (run.importances as { feature: string; importance: number }[])
        : [];
    }
    return list.slice(0, top);
  };
  const ImportanceQuery = Type.Object(
    { ...VersionSelect, top: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 10 })) },
    { additionalProperties: false },
  );
  app.get<P & { Querystring: Static<typeof ImportanceQuery> }>(
    "/models/:name/importance",
    {
      schema: {
        tags: ["models"],
        summary: "Top-N feature importances",
        params: ModelParams,
        querystring: ImportanceQuery,
      },
    },
    async (request) => {
      const m = await served(request.params.name, request.query);
      return {
        model: m.modelName,
        version: m.version,
        importances: await importances(m, request.query.top ?? 10),
      };
    },
  );

  const CurveQuery = Type.Object(
    {
      ...VersionSelect,
      dataset: Type.Optional(
        Type.String({ minLength: 1, description: "a registered dataset (default: the held-out rows)" }),
      ),
      positiveClass: Type.Optional(Type.String({ minLength: 1 })),
      bins: Type.Optional(Type.Integer({ minimum: 2, maximum: 100, default: 10 })),
    },
    { additionalProperties: false },
  );
  type CurveQuery = Static<typeof CurveQuery>;
  const curves = async (name: string, q: CurveQuery) => {
    const m = await served(name, q);
    const datasetPath = q.dataset ? (await r.datasets.get(idOrName(q.dataset))).source : undefined;
    const data = await evaluationData(r, m, { datasetPath });
    return { m, data, curves: classifierCurves(m, data, { positiveClass: q.positiveClass, bins: q.bins }) };
  };
  app.get<P & { Querystring: CurveQuery }>(
    "/models/:name/curves",
    {
      schema: {
        tags: ["models"],
        summary: "ROC, precision-recall and calibration curves as data",
        params: ModelParams,
        querystring: CurveQuery,
      },
    },
    async (request) => {
      const { m, data, curves: c } = await curves(request.params.name, request.query);
      return { model: m.modelName, version: m.version, data: { kind: data.kind, source: data.source }, ...c };
    },
  );

  const PlotParams = Type.Composite([
    ModelParams,
    Type.Object({
      kind: Type.Union([
        Type.Literal("confusion_matrix"),
        Type.Literal("roc"),
        Type.Literal("pr"),
        Type.Literal("calibration"),
        Type.Literal("importance"),
      ]),
    }),
  ]);
  const PlotQuery = Type.Object(
    {
      ...CurveQuery.properties,
      format: Type.Optional(Type.Union([Type.Literal("svg"), Type.Literal("png")], { default: "svg" })),
      top: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 15 })),
    },
    { additionalProperties: false },
  );
  app.get<{ Params: Static<typeof PlotParams>; Querystring: Static<typeof PlotQuery> }>(
    "/models/:name/plots/:kind",
    {
      schema: {
        tags: ["models"],
        summary: "A plot as SVG (confusion_matrix, roc, pr, calibration, importance)",
        description:
          "PNG is not offered: rendering it would need a rasterizer dependency; convert the SVG client-side.",
        params: PlotParams,
        querystring: PlotQuery,
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (q.format === "png") {
        throw new HttpProblem(
          406,
          "plots are rendered as SVG only (no PNG rasterizer is bundled); ask for format=svg",
          [{ field: "querystring/format", message: "png is not available" }],
        );
      }
      const { name, kind } = request.params;
      let svg: string;
      if (kind === "confusion_matrix") {
        const m = await served(name, q);
        const cm = (await runOf(m))?.confusionMatrix as { labels: unknown[]; matrix: number[][] } | null;
        if (!cm) {
          throw new HttpProblem(
            409,
            `${m.modelName}@${m.version} has no recorded confusion matrix (a regression model, or trained outside the registry)`,
          );
        }
        svg = heatmap({
          title: `${m.modelName}@${m.version}: confusion matrix`,
          labels: cm.labels.map(String),
          matrix: cm.matrix,
        });
      } else if (kind === "importance") {
        const m = await served(name, q);
        const list = await importances(m, q.top ?? 15);
        svg = barChart({
          title: `${m.modelName}@${m.version}: feature importance`,
          bars: list.map((x) => ({ label: x.feature, value: x.importance })),
        });
      } else {
        const { m, curves: c } = await curves(name, q);
        const title = `${m.modelName}@${m.version}`;
        if (kind === "roc") {
          svg = lineChart({
            title: `${title}: ROC (class ${c.positiveClass}, AUC ${c.roc.auc.toFixed(3)})`,
            xLabel: "false positive rate",
            yLabel: "true positive rate",
            series: [
              { name: "ROC", x: c.roc.fpr, y: c.roc.tpr },
              { name: "chance", x: [0, 1], y: [0, 1], dashed: true },
            ],
          });
        } else if (kind === "pr") {
          svg = lineChart({
            title: `${title}: precision-recall (class ${c.positiveClass})`,
            xLabel: "recall",
            yLabel: "precision",
            series: [{ name: "precision-recall", x: c.pr.recall, y: c.pr.precision }],
          });
        } else {
          svg = lineChart({
            title: `${title}: calibration (class ${c.positiveClass})`,
            xLabel: "mean predicted probability",
            yLabel: "share of positives",
            series: [
              { name: "model", x: c.calibration.probPred, y: c.calibration.probTrue },
              { name: "perfectly calibrated", x: [0, 1], y: [0, 1], dashed: true },
            ],
          });
        }
      }
      return reply.type("image/svg+xml; charset=utf-8").send(svg);
    },
  );

  const ExplainBody = Type.Object(
    {
      row: Type.Record(Type.String(), Type.Unknown()),
      ...VersionSelect,
      positiveClass: Type.Optional(Type.String({ minLength: 1 })),
      nSamples: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, default: 200 })),
      seed: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  );
  app.post<P & { Body: Static<typeof ExplainBody> }>(
    "/models/:name/explain",
    {
      schema: {
        tags: ["models"],
        summary: "Why one prediction: each input's contribution (sampled Shapley values)",
        params: ModelParams,
        body: ExplainBody,
      },
    },
    async (request) => {
      const b = request.body;
      const m = await servedModel(deps, request.params.name, b, "body");
      let e: Awaited<ReturnType<typeof explainOne>>;
      try {
        e = await explainOne(r, m, b.row, { nSamples: b.nSamples, seed: b.seed, label: b.positiveClass });
      } catch (err) {
        if (!(err instanceof RowValidationError)) throw err;
        const errors = err.problems.map((p) => ({ field: `body/row/${p.field}`, message: p.message }));
        throw new HttpProblem(422, err.message, errors, "invalid-rows");
      }
      return { model: m.modelName, version: m.version, ...e };
    },
  );
}
