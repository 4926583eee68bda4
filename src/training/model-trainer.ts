import type { Column } from "../data/column.js";
import { DataLoadError } from "../data/errors.js";
import { readTable } from "../data/read.js";
import { Table } from "../data/table.js";
import { LIBRARY_VERSION, saveModel } from "../ml/catalog.js";
import type { Json, JsonObject } from "../ml/estimator.js";
import type { ConfusionMatrix } from "../ml/metrics/confusion.js";
import type { ClassMetrics } from "../ml/metrics/report.js";
import type { Label } from "../ml/target.js";
import { buildPipeline, type ModelPipeline } from "./algorithms.js";
import { parseTrainingConfig, type TrainingConfig } from "./config.js";
import { loadTrainingData, type SplitData, splitTrainingData, type TrainingData } from "./data.js";
import { ModelTrainerError, TrainingError } from "./errors.js";
import { evaluateModel, featureImportances, type Importance } from "./evaluate.js";
import { type Logger, stderrLogger } from "./logger.js";
import { openDefaultTrainingStore, type TrainingStore } from "./store.js";

export interface ModelTrainerOptions {
  datasetPath: string;
  /** The target column (default: the dataset's last column). */
  target?: string;
  /** Share of rows held out for evaluation (default 0.2). */
  testSplit?: number;
  /** Seed of the split and the model (default 42). */
  randomState?: number;
  /** Keep only rows whose target is one of these (e.g. ["HIGH", "MEDIUM"]). */
  classes?: Label[];
  /** Feature columns that must be present and are used (default: all but the target). */
  features?: string[];
  /** Columns never used as features. */
  exclude?: string[];
  /** Default: JSON lines on stderr at info level. */
  logger?: Logger;
  /** Where saveTrainingRun records runs: an open Registry (default: the embedded one under TRAINYARD_HOME). */
  registry?: TrainingStore;
}

/** Hyperparameters of S1's random forest (camelCase scikit-learn names). */
export interface ForestParams {
  nEstimators?: number;
  maxDepth?: number | null;
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  maxFeatures?: "sqrt" | "log2" | number | null;
  classWeight?: "balanced" | "balanced_subsample" | Record<string, number> | null;
  bootstrap?: boolean;
}

export interface DataSummary {
  rows: number;
  features: number;
  categorical: string[];
  numeric: string[];
  classDistribution: Record<string, number>;
  imbalanceRatio: number | null;
  trainSize: number;
  testSize: number;
}

/** S1's metric structure: macro averages, per-class accuracy and support, confusion matrix, report. */
export interface ClassifierMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  perClass: ClassMetrics[];
  confusionMatrix: ConfusionMatrix;
  classificationReport: string;
}

/**
 * S1's object-oriented training API (SCENARIOS.md): load and validate a dataset, train a
 * one-hot + scaling + random forest pipeline, evaluate, explain, save and record the run.
 * A thin facade over the training layer's pieces; errors are ModelTrainerErrors
 * (DataLoadError for data, TrainingError for fitting).
 */
export class ModelTrainer {
  private readonly log: Logger;
  private data?: TrainingData;
  private split?: SplitData;
  private model?: ModelPipeline;
  private params: ForestParams = {};
  private metrics?: ClassifierMetrics;
  private trainMs = 0;
  private ownRegistry?: TrainingStore & { close(): Promise<void> };

  constructor(private readonly options: ModelTrainerOptions) {
    this.log = options.logger ?? stderrLogger();
  }

  private config(target: string, params: ForestParams = {}): TrainingConfig {
    const o = this.options;
    return parseTrainingConfig({
      dataset: { path: o.datasetPath, classes: o.classes, include: o.features, exclude: o.exclude },
      target,
      testSplit: o.testSplit ?? 0.2,
      seed: o.randomState ?? 42,
      hyperparameters: { random_forest: params as Record<string, unknown> },
    });
  }

  /** Reads, validates, filters and splits the dataset; logs what it found. */
  async loadData(): Promise<DataSummary> {
    const { datasetPath } = this.options;
    const target = this.options.target ?? (await lastColumn(datasetPath));
    const config = this.config(target);
    const data = await loadTrainingData(datasetPath, config);
    if (data.task.task === "regression") {
      throw new DataLoadError(
        `target "${target}" looks numeric (regression); ModelTrainer trains classifiers`,
        {
          file: datasetPath,
          field: target,
        },
      );
    }
    this.data = data;
    this.split = splitTrainingData(data, config.testSplit, config.seed);
    const summary: DataSummary = {
      rows: data.table.nRows,
      features: data.numeric.length + data.categorical.length,
      categorical: data.categorical,
      numeric: data.numeric,
      classDistribution: Object.fromEntries(
        (data.quality.target?.classes ?? []).map((c) => [c.label, c.count]),
      ),
      imbalanceRatio: data.quality.target?.imbalanceRatio ?? null,
      trainSize: this.split.Xtrain.nRows,
      testSize: this.split.Xtest.nRows,
    };
    this.log.info({ path: datasetPath, rows: summary.rows, features: summary.features }, "dataset loaded");
    this.log.info({ categorical: summary.categorical, numeric: summary.numeric }, "feature types");
    this.log.info(
      { classes: summary.classDistribution, imbalanceRatio: summary.imbalanceRatio },
      "class distribution",
    );
    this.log.info({ train: summary.trainSize, test: summary.testSize }, "stratified split");
    return summary;
  }

  /** Fits one-hot + standard scaling + a random forest on the training split and evaluates it on the test split. */
  async train(params: ForestParams = {}): Promise<ClassifierMetrics> {
    if (!this.data || !this.split) await this.loadData();
    const data = this.data as TrainingData;
    const split = this.split as SplitData;
    const config = this.config(data.y.name, params);
    const started = performance.now();
    this.params = params; // recorded by saveFailedTrainingRun too
    try {
      const model = buildPipeline(
        "random_forest",
        data.task.task,
        config.hyperparameters.random_forest ?? {},
        {
          seed: config.seed,
        },
      );
      // S1 asks for scaled numerics even under a forest (harmless for trees, kept for parity).
      await model.fit(split.Xtrain, split.ytrain);
      this.model = model;
      this.trainMs = performance.now() - started;
      this.metrics = this.evaluate(split.Xtest, split.ytest);
    } catch (e) {
      const cause = e instanceof Error ? e.message : String(e);
      this.log.error({ err: cause, params }, "training failed");
      throw new TrainingError(`training failed: ${cause}`, { cause: e });
    }
    this.log.info(
      { accuracy: this.metrics.accuracy, f1: this.metrics.f1, durationMs: Math.round(this.trainMs) },
      "model trained",
    );
    return this.metrics;
  }

  /** The same metric structure for any labelled table: `y` given, or the target column inside `X`. */
  evaluate(X: Table, y?: Column): ClassifierMetrics {
    const model = this.fitted("evaluate");
    const target = (this.data as TrainingData).y.name;
    const labels = y ?? X.column(target);
    const e = evaluateModel(model, X, labels);
    const c = e.classification;
    if (!c) throw new TrainingError("evaluate: the model is not a classifier");
    return {
      accuracy: c.accuracy,
      precision: c.precisionMacro,
      recall: c.recallMacro,
      f1: c.f1Macro,
      perClass: c.perClass,
      confusionMatrix: c.confusionMatrix,
      classificationReport: c.report.text,
    };
  }

  /** Saves the fitted pipeline (folders created, written atomically); logs and returns its size. */
  async saveModel(path: string): Promise<{ path: string; sizeBytes: number }> {
    const model = this.fitted("saveModel");
    const sizeBytes = await saveModel(path, model, {
      target: (this.data as TrainingData).y.name,
      metrics: this.headline(),
      libraryVersion: LIBRARY_VERSION,
    });
    this.log.info({ path, sizeBytes, sizeKb: Math.round(sizeBytes / 1024) }, "model saved");
    return { path, sizeBytes };
  }

  /** Importances, descending, with expanded one-hot names (e.g. `skill_category_Soft Skill`). */
  getFeatureImportance(): Importance[] {
    return featureImportances(this.fitted("getFeatureImportance"));
  }

  /** Records a COMPLETED run (metrics, hyperparameters, duration, sizes, top-10 importances); returns its id. */
  async saveTrainingRun(run: { modelVersion: string; modelPath?: string; notes?: string }): Promise<number> {
    this.fitted("saveTrainingRun");
    const data = this.data as TrainingData;
    const registry = await this.registry();
    const id = await registry.runs.record({
      ...this.runBase(run.modelVersion),
      modelPath: run.modelPath ?? null,
      notes: run.notes ?? null,
      metrics: this.headline(),
      perClass: (this.metrics?.perClass ?? null) as Json,
      confusionMatrix: (this.metrics?.confusionMatrix ?? null) as unknown as Json,
      importances: this.getFeatureImportance().slice(0, 10) as unknown as Json,
      features: [...data.numeric, ...data.categorical],
      durations: { trainMs: this.trainMs },
    });
    this.log.info({ runId: id, modelVersion: run.modelVersion }, "training run recorded");
    return id;
  }

  /** Records a FAILED run with the error and the hyperparameters that were set; returns its id. */
  async saveFailedTrainingRun(run: { modelVersion: string; errorMessage: string }): Promise<number> {
    const registry = await this.registry();
    const id = await registry.runs.record({
      ...this.runBase(run.modelVersion),
      status: "FAILED",
      error: run.errorMessage,
    });
    this.log.info({ runId: id, modelVersion: run.modelVersion }, "failed training run recorded");
    return id;
  }

  /** Closes the registry this trainer opened (not one that was passed in). */
  async close(): Promise<void> {
    await this.ownRegistry?.close();
    this.ownRegistry = undefined;
  }

  private runBase(modelVersion: string) {
    const data = this.data;
    return {
      modelVersion,
      algorithm: "random_forest",
      task: data?.task.task ?? null,
      params: { ...this.params } as JsonObject,
      datasetPath: this.options.datasetPath,
      datasetFingerprint: data?.fingerprint ?? null,
      datasetRows: data?.table.nRows ?? null,
      trainSize: this.split?.Xtrain.nRows ?? null,
      testSize: this.split?.Xtest.nRows ?? null,
      libraryVersion: LIBRARY_VERSION,
    };
  }

  private headline(): JsonObject {
    const m = this.metrics;
    return m ? { accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1 } : {};
  }

  private fitted(what: string): ModelPipeline {
    if (!this.model) throw new ModelTrainerError(`${what}: no model yet; call train() first`);
    return this.model;
  }

  private async registry(): Promise<TrainingStore> {
    if (this.options.registry) return this.options.registry;
    this.ownRegistry ??= await openDefaultTrainingStore();
    return this.ownRegistry;
  }
}

/** The header's last column name (S1's datasets put the target last). */
async function lastColumn(path: string): Promise<string> {
  const head = await readTable(path, { maxRows: 1 });
  if (!(head instanceof Table) || head.nCols === 0) throw new DataLoadError("no columns", { file: path });
  return head.names[head.nCols - 1];
}
