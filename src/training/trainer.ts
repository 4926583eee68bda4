import { basename, extname } from "node:path";
import type { Column } from "../data/column.js";
import type { Table } from "../data/table.js";
import { LIBRARY_VERSION } from "../ml/catalog.js";
import type { Json, JsonObject } from "../ml/estimator.js";
import { throwIfAborted } from "../ml/estimator.js";
import type { ModelPipeline } from "./algorithms.js";
import { isClassification } from "./algorithms.js";
import { type Candidate, fitCandidate } from "./candidates.js";
import {
  type AlgorithmName,
  parseTrainingConfig,
  type TrainingConfig,
  type TrainingConfigInput,
} from "./config.js";
import { loadTrainingData, splitTrainingData, type TrainingData } from "./data.js";
import { TrainingError } from "./errors.js";
import {
  type Evaluation,
  evaluateModel,
  featureImportances,
  type Importance,
  modelParams,
  scoreModel,
  targetScorer,
} from "./evaluate.js";
import { type Logger, silentLogger } from "./logger.js";
import { type SavedModel, writeModel } from "./model-output.js";
import type { RecordedVersion, TrainingStore } from "./store.js";

export type Stage =
  | "load"
  | "validate"
  | "split"
  | "fit"
  | "evaluate"
  | "explain"
  | "save"
  | "record"
  | "done";

export interface TrainingProgress {
  stage: Stage;
  /** 0–100 over the whole training. */
  percent: number;
  message: string;
}

export interface TrainerOptions {
  /** Record runs and the model version here; without it nothing is recorded (and only savePath is written). */
  registry?: TrainingStore;
  logger?: Logger;
  signal?: AbortSignal;
  onProgress?: (p: TrainingProgress) => void;
  /** Groups the runs of one training (e.g. the job id of the queue). */
  jobId?: string;
}

export interface LeaderboardEntry {
  rank: number;
  algorithm: AlgorithmName;
  params: JsonObject;
  /** Cross-validated target metric, mean ± std (null without CV). */
  cvMean: number | null;
  cvStd: number | null;
  /** The target metric on the held-out test split. */
  testScore: number | null;
  fitMs: number;
  /** Median single-row prediction time, microseconds. */
  predictLatencyUs: number | null;
  runId: number | null;
  error: string | null;
  trials: number;
}

export interface TrainingResult {
  config: TrainingConfig;
  task: TrainingData["task"]["task"];
  target: string;
  classes: Json[] | null;
  data: {
    path: string;
    fingerprint: string;
    rows: number;
    droppedRows: number;
    features: string[];
    numeric: string[];
    categorical: string[];
    ignored: { name: string; type: string }[];
    classDistribution: { label: string; count: number; share: number }[] | null;
    imbalanceRatio: number | null;
    trainSize: number;
    testSize: number;
  };
  targetMetric: string;
  leaderboard: LeaderboardEntry[];
  best: {
    algorithm: AlgorithmName;
    params: JsonObject;
    model: ModelPipeline;
    evaluation: Evaluation;
    importances: Importance[];
    runId: number | null;
  };
  saved: SavedModel | null;
  model: { name: string; version: string; versionRecord: RecordedVersion | null };
  durationsMs: Record<string, number>;
  warnings: string[];
  /** The held-out test rows every candidate was scored on (a champion is scored on the same). */
  heldOut: { X: Table; y: Column };
}

const STAGE_START: Record<Stage, number> = {
  load: 0,
  validate: 8,
  split: 12,
  fit: 15,
  evaluate: 85,
  explain: 90,
  save: 92,
  record: 97,
  done: 100,
};

/** A version label from the clock: 20261123-014502. */
export function timestampVersion(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/** The model name a dataset path gives when the configuration names none. */
export function defaultModelName(path: string): string {
  const base = basename(path, extname(path))
    .replace(/[^A-Za-z0-9_.-]/g, "_")
    .replace(/^[^A-Za-z0-9]+/, "");
  return base.slice(0, 100) || "model";
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The training lifecycle: load → validate (quality report; fails early when unfit) → split →
 * fit each algorithm (tuned or cross-validated when asked) → evaluate on the held-out split →
 * explain → save the best model → record runs and the model version.
 */
export class Trainer {
  private readonly log: Logger;

  constructor(private readonly options: TrainerOptions = {}) {
    this.log = options.logger ?? silentLogger();
  }

  async run(input: TrainingConfigInput | TrainingConfig): Promise<TrainingResult> {
    const config = parseTrainingConfig(input);
    const { registry, onProgress } = this.options;
    const signals = [
      this.options.signal,
      config.resources.timeoutSeconds
        ? AbortSignal.timeout(config.resources.timeoutSeconds * 1000)
        : undefined,
    ].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
    const durations: Record<string, number> = {};
    const started = performance.now();
    let mark = started;
    const stage = (s: Stage, message: string, within = 0) => {
      const next = Object.keys(STAGE_START)[Object.keys(STAGE_START).indexOf(s) + 1] as Stage | undefined;
      const span = next ? STAGE_START[next] - STAGE_START[s] : 0;
      onProgress?.({ stage: s, percent: Math.min(100, STAGE_START[s] + span * within), message });
    };
    const lap = (name: string) => {
      const now = performance.now();
      durations[name] = now - mark;
      mark = now;
    };

    // load + validate
    stage("load", "reading the dataset");
    const path = await this.datasetPath(config);
    const data = await loadTrainingData(path, config);
    lap("loadMs");
    stage("validate", `quality: ${data.quality.verdict}`);
    this.logData(data);
    throwIfAborted(signal);

    // split
    stage("split", "splitting train/test");
    const classification = isClassification(data.task.task);
    const { Xtrain, ytrain, Xtest, ytest } = splitTrainingData(data, config.testSplit, config.seed);
    const split = { train: Xtrain.nRows, test: Xtest.nRows };
    this.log.info(split, "split");
    lap("splitMs");

    // fit every candidate
    const scorer = targetScorer(config.targetMetric, classification ? "classification" : "regression");
    if (scorer.task !== (classification ? "classification" : "regression")) {
      throw new TrainingError(
        `target metric "${scorer.name}" is for ${scorer.task}, but the task is ${data.task.task}`,
      );
    }
    const several = config.algorithms.length > 1 || config.tuning.method !== "none";
    const folds = config.cvFolds ?? (several ? 5 : null);
    const name = config.model.name ?? defaultModelName(path);
    const version = config.model.version ?? timestampVersion();
    const jobId = this.options.jobId ?? null;
    const candidates: {
      c: Candidate;
      runId: number | null;
      evaluation?: Evaluation;
      testScore: number | null;
      latencyUs: number | null;
    }[] = [];
    const n = config.algorithms.length;
    for (const [i, algorithm] of config.algorithms.entries()) {
      throwIfAborted(signal);
      stage("fit", `fitting ${algorithm} (${i + 1}/${n})`, i / n);
      const runId = registry
        ? await registry.runs.start({
            algorithm,
            task: data.task.task,
            params: (config.hyperparameters[algorithm] ?? {}) as JsonObject,
            modelName: name,
            modelVersion: version,
            datasetId: typeof config.dataset.datasetId === "number" ? config.dataset.datasetId : null,
            datasetPath: path,
            datasetFingerprint: data.fingerprint,
            datasetRows: data.table.nRows,
            trainSize: split.train,
            testSize: split.test,
            trainedBy: config.trainedBy ?? null,
            notes: config.notes ?? null,
            libraryVersion: LIBRARY_VERSION,
            jobId,
          })
        : null;
      let c: Candidate;
      try {
        c = await fitCandidate(algorithm, {
          config,
          task: data.task.task,
          X: Xtrain,
          y: ytrain,
          scorer,
          folds,
          signal,
          onProgress: (p) =>
            stage(
              "fit",
              `fitting ${algorithm}: ${p.done}/${p.total}`,
              (i + p.done / Math.max(p.total, 1)) / n,
            ),
        });
      } catch (e) {
        if (registry && runId !== null)
          await registry.runs.finish(runId, signal?.aborted ? "CANCELLED" : "FAILED", {
            error: errorText(e),
          });
        throw e;
      }
      if (c.error || !c.model) {
        this.log.warn({ algorithm, err: c.error?.message }, "candidate failed");
        if (registry && runId !== null)
          await registry.runs.finish(runId, "FAILED", { error: c.error?.message ?? "failed" });
        candidates.push({ c, runId, testScore: null, latencyUs: null });
        continue;
      }
      const evaluation = evaluateModel(c.model, Xtest, ytest);
      const testScore = scoreModel(c.model, scorer, Xtest, ytest);
      const latencyUs = singleRowLatencyUs(c.model, Xtest);
      this.log.info(
        { algorithm, cvMean: c.cvMean, cvStd: c.cvStd, testScore, fitMs: Math.round(c.fitMs) },
        "candidate fitted",
      );
      candidates.push({ c, runId, evaluation, testScore, latencyUs });
    }
    lap("fitMs");
    const ok = candidates.filter((x) => x.c.model && x.evaluation);
    if (ok.length === 0) {
      const why = candidates.map((x) => `${x.c.algorithm}: ${x.c.error?.message ?? "failed"}`).join("; ");
      throw new TrainingError(`every algorithm failed (${why})`);
    }
    const rankKey = (x: (typeof candidates)[number]) =>
      folds !== null ? (x.c.cvMean ?? -Infinity) : (x.testScore ?? -Infinity);
    const ranked = [...candidates].sort((a, b) => rankKey(b) - rankKey(a));
    const best = ranked[0];
    const bestModel = best.c.model as ModelPipeline;
    const evaluation = best.evaluation as Evaluation;

    // explain
    stage("explain", "feature importances");
    const importances = featureImportances(bestModel);
    lap("explainMs");

    // save
    stage("save", "saving the model");
    const metadata: JsonObject = {
      name,
      version,
      task: data.task.task,
      target: config.target,
      classes: classification ? (bestModel.classes as Json[]) : null,
      algorithm: best.c.algorithm,
      params: modelParams(bestModel),
      metrics: evaluation.metrics,
      dataset: { path, fingerprint: data.fingerprint, rows: data.table.nRows },
      features: { numeric: data.numeric, categorical: data.categorical },
      trainedAt: new Date().toISOString(),
      libraryVersion: LIBRARY_VERSION,
      runId: best.runId,
    };
    const saved =
      registry || config.model.savePath
        ? await writeModel(bestModel, metadata, { registry, name, version, savePath: config.model.savePath })
        : null;
    if (saved) this.log.info({ path: saved.path ?? saved.uri, bytes: saved.sizeBytes }, "model saved");
    lap("saveMs");

    // record
    stage("record", "recording runs");
    let versionRecord: RecordedVersion | null = null;
    if (registry) {
      for (const x of candidates) {
        if (x.runId === null || !x.c.model || !x.evaluation) continue;
        const isBest = x === best;
        await registry.runs.finish(x.runId, "COMPLETED", {
          params: modelParams(x.c.model),
          metrics: x.evaluation.metrics as JsonObject,
          perClass: (x.evaluation.classification?.perClass ?? null) as Json,
          confusionMatrix: (x.evaluation.classification?.confusionMatrix ?? null) as unknown as Json,
          importances: featureImportances(x.c.model).slice(0, 10) as unknown as Json,
          features: [...data.numeric, ...data.categorical],
          durations: {
            fitMs: x.c.fitMs,
            predictLatencyUs: x.latencyUs,
            cvMean: x.c.cvMean,
            cvStd: x.c.cvStd,
          },
          modelPath: isBest ? (saved?.path ?? saved?.uri ?? null) : null,
          modelVersion: isBest ? version : null,
        });
      }
      if (saved?.uri) {
        const activate =
          config.model.activate === "if_none"
            ? !(await registry.models.hasActive(name))
            : config.model.activate;
        versionRecord = await registry.models.addVersion({
          modelName: name,
          task: data.task.task,
          inputSchema: bestModel.toParts().features as unknown as Json,
          version,
          runId: best.runId,
          artifactUri: saved.uri,
          checksum: saved.checksum,
          sizeBytes: saved.sizeBytes,
          metrics: evaluation.metrics as JsonObject,
          activate,
        });
        await registry.audit.record({
          actor: config.trainedBy ?? "trainyard",
          action: "train",
          targetType: "model_version",
          targetId: `${name}@${version}`,
          details: { runId: best.runId, algorithm: best.c.algorithm, activated: activate },
        });
      }
    }
    lap("recordMs");
    durations.totalMs = performance.now() - started;
    stage("done", "done");

    const classes = data.quality.target?.classes ?? null;
    return {
      config,
      task: data.task.task,
      target: config.target,
      classes: classification ? (bestModel.classes as Json[]) : null,
      data: {
        path,
        fingerprint: data.fingerprint,
        rows: data.table.nRows,
        droppedRows: data.droppedRows,
        features: [...data.numeric, ...data.categorical],
        numeric: data.numeric,
        categorical: data.categorical,
        ignored: data.ignored,
        classDistribution: classes,
        imbalanceRatio: data.quality.target?.imbalanceRatio ?? null,
        trainSize: split.train,
        testSize: split.test,
      },
      targetMetric: scorer.name,
      leaderboard: ranked.map((x, k) => ({
        rank: k + 1,
        algorithm: x.c.algorithm,
        params: x.c.model
          ? modelParams(x.c.model)
          : ((config.hyperparameters[x.c.algorithm] ?? {}) as JsonObject),
        cvMean: x.c.cvMean,
        cvStd: x.c.cvStd,
        testScore: x.testScore,
        fitMs: x.c.fitMs,
        predictLatencyUs: x.latencyUs,
        runId: x.runId,
        error: x.c.error?.message ?? null,
        trials: x.c.search?.trials.length ?? 0,
      })),
      best: {
        algorithm: best.c.algorithm,
        params: modelParams(bestModel),
        model: bestModel,
        evaluation,
        importances,
        runId: best.runId,
      },
      saved,
      model: { name, version, versionRecord },
      durationsMs: durations,
      warnings: [...new Set(candidates.flatMap((x) => x.c.model?.warnings ?? []))],
      heldOut: { X: Xtest, y: ytest },
    };
  }

  private async datasetPath(config: TrainingConfig): Promise<string> {
    if (config.dataset.path) return config.dataset.path;
    const { registry } = this.options;
    if (!registry) throw new TrainingError("dataset.datasetId needs a registry to look the dataset up");
    return (await registry.datasets.get(config.dataset.datasetId as number | string)).source;
  }

  /** The information of S1's log lines: rows, features, categorical vs numeric, classes, imbalance. */
  private logData(d: TrainingData): void {
    this.log.info(
      {
        path: d.path,
        rows: d.table.nRows,
        droppedRows: d.droppedRows,
        features: d.numeric.length + d.categorical.length,
      },
      "dataset loaded",
    );
    this.log.info({ categorical: d.categorical, numeric: d.numeric, ignored: d.ignored }, "features");
    if (d.quality.target?.classes) {
      this.log.info(
        {
          classes: Object.fromEntries(d.quality.target.classes.map((c) => [c.label, c.count])),
          imbalanceRatio: d.quality.target.imbalanceRatio,
        },
        "class distribution",
      );
    }
    for (const f of d.quality.findings) if (f.severity !== "info") this.log.warn({ code: f.code }, f.message);
  }
}

/** Median time to predict one row, in microseconds (what serving one request costs). */
function singleRowLatencyUs(model: ModelPipeline, X: Table): number | null {
  if (X.nRows === 0) return null;
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const row = X.slice(i % X.nRows, (i % X.nRows) + 1);
    const t = performance.now();
    if (model.task === "classification") model.predictProba(row);
    else model.predict(row);
    times.push((performance.now() - t) * 1000);
  }
  times.sort((a, b) => a - b);
  return times[10];
}
