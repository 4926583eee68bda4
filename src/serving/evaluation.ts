import type { Column } from "../data/column.js";
import { readTable } from "../data/read.js";
import type { Table } from "../data/table.js";
import { InputError } from "../ml/errors.js";
import type { JsonObject } from "../ml/estimator.js";
import { precisionRecallCurve, rocCurve, trapezoid } from "../ml/metrics/curves.js";
import { calibrationCurve } from "../ml/metrics/probabilistic.js";
import type { Label } from "../ml/target.js";
import type { Registry } from "../registry/registry.js";
import { parseTrainingConfig } from "../training/config.js";
import { loadTrainingData, splitTrainingData } from "../training/data.js";
import type { ServedModel } from "./cache.js";

/** Rows a model is evaluated on, with where they came from. */
export interface EvaluationData {
  X: Table;
  y: Column;
  /** "held-out" (the training's test split, rebuilt) or "dataset" (every row of a given file). */
  kind: "held-out" | "dataset";
  source: string;
}

const memo = new Map<string, Promise<EvaluationData>>();

function target(model: ServedModel): string {
  const t = model.metadata.target;
  if (typeof t !== "string")
    throw new InputError(`${model.label} does not record its target column`, "target");
  return t;
}

/**
 * The model's held-out rows: the training's test split rebuilt from the same file with the
 * same configuration (the job's, when a job trained it; else the recorded dataset with the
 * default split). With `datasetPath`, every row of that file instead (it must have the target).
 */
export function evaluationData(
  registry: Registry,
  model: ServedModel,
  options: { datasetPath?: string } = {},
): Promise<EvaluationData> {
  const key = `${model.versionId}\u0000${options.datasetPath ?? ""}`;
  let hit = memo.get(key);
  if (!hit) {
    hit = load(registry, model, options.datasetPath);
    memo.set(key, hit);
    hit.catch(() => memo.delete(key));
    while (memo.size > 8) memo.delete(memo.keys().next().value as string);
  }
  return hit;
}

async function load(registry: Registry, model: ServedModel, datasetPath?: string): Promise<EvaluationData> {
  const y = target(model);
  if (datasetPath) {
    const table = await readTable(datasetPath);
    const col = table.column(y);
    return { X: table.drop([y]), y: col, kind: "dataset", source: datasetPath };
  }
  let config: JsonObject | null = null;
  const v = await registry.models.resolve(`${model.modelName}@${model.version}`);
  if (v.runId !== null) {
    const run = await registry.runs.get(v.runId);
    if (run.jobId) config = (await registry.jobs.get(run.jobId).catch(() => null))?.config ?? null;
  }
  const dataset = (model.metadata.dataset ?? {}) as JsonObject;
  if (!config) {
    if (typeof dataset.path !== "string")
      throw new InputError(`${model.label} does not record its training data; give a dataset`, "dataset");
    config = { dataset: { path: dataset.path }, target: y };
  }
  const parsed = parseTrainingConfig(config);
  if (typeof dataset.path === "string" && !parsed.dataset.path) parsed.dataset.path = dataset.path;
  if (!parsed.dataset.path) throw new InputError(`${model.label}: no path to its training data`, "dataset");
  const data = await loadTrainingData(parsed.dataset.path, parsed);
  const split = splitTrainingData(data, parsed.testSplit, parsed.seed);
  return { X: split.Xtest, y: split.ytest, kind: "held-out", source: parsed.dataset.path };
}

export interface CurveSet {
  positiveClass: string;
  rows: number;
  roc: { fpr: number[]; tpr: number[]; thresholds: number[]; auc: number };
  pr: { precision: number[]; recall: number[]; thresholds: number[] };
  calibration: { probTrue: number[]; probPred: number[]; counts: number[]; edges: number[] };
}

const arr = (a: Float64Array) => Array.from(a, (x) => (Number.isFinite(x) ? x : null) as number);

/** ROC, precision-recall and calibration of one class (one-vs-rest) of a classifier. */
export function classifierCurves(
  model: ServedModel,
  data: EvaluationData,
  options: { positiveClass?: string; bins?: number } = {},
): CurveSet {
  const est = model.estimator;
  if (est.task !== "classification")
    throw new InputError(`${model.label} is a regression model; curves are for classifiers`, "model");
  const classes = est.classes.map(String);
  const pos = options.positiveClass ?? classes[classes.length - 1];
  const k = classes.indexOf(pos);
  if (k < 0)
    throw new InputError(
      `"${pos}" is not a class of ${model.label} (${classes.join(", ")})`,
      "positiveClass",
    );
  const proba = est.predictProba(data.X);
  const n = data.X.nRows;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = proba[i * classes.length + k];
  const yBin = yLabels(data.y).map((l) => (String(l) === pos ? 1 : 0));
  const roc = rocCurve(yBin, scores, { posLabel: 1 });
  const pr = precisionRecallCurve(yBin, scores, { posLabel: 1 });
  const cal = calibrationCurve(yBin, scores, { posLabel: 1, nBins: options.bins ?? 10 });
  return {
    positiveClass: pos,
    rows: n,
    roc: {
      fpr: arr(roc.fpr),
      tpr: arr(roc.tpr),
      thresholds: arr(roc.thresholds),
      auc: trapezoid(roc.fpr, roc.tpr),
    },
    pr: { precision: arr(pr.precision), recall: arr(pr.recall), thresholds: arr(pr.thresholds) },
    calibration: { probTrue: cal.probTrue, probPred: cal.probPred, counts: cal.counts, edges: cal.edges },
  };
}

function yLabels(y: Column): Label[] {
  const out: Label[] = [];
  for (let i = 0; i < (y.kind === "categorical" ? y.codes.length : y.values.length); i++) {
    if (y.kind === "categorical") out.push(y.codes[i] < 0 ? "" : y.levels[y.codes[i]]);
    else if (y.kind === "boolean") out.push(y.values[i] === 1);
    else out.push(y.values[i]);
  }
  return out;
}
