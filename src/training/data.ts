import type { Column } from "../data/column.js";
import { DataLoadError } from "../data/errors.js";
import { dropMissing, keepValues, type RowCondition, selectColumns, whereRows } from "../data/filter.js";
import { fileSha256 } from "../data/fingerprint.js";
import { type QualityReport, qualityReport } from "../data/quality/report.js";
import { readTable } from "../data/read.js";
import type { Table } from "../data/table.js";
import type { TaskInfo } from "../data/task.js";
import { trainTestSplit } from "../ml/selection/holdout.js";
import { classTarget } from "../ml/target.js";
import type { TrainingConfig } from "./config.js";
import { DataQualityError } from "./errors.js";

/** A training dataset after loading, filtering and validation. */
export interface TrainingData {
  path: string;
  /** SHA-256 of the file's bytes. */
  fingerprint: string;
  /** Rows kept (class filter applied, missing targets dropped) with the target column. */
  table: Table;
  /** The feature columns (id-like, constant and text columns are still here; the preprocessor drops them). */
  X: Table;
  y: Column;
  task: TaskInfo;
  quality: QualityReport;
  /** Feature columns used by the model, by semantic type. */
  numeric: string[];
  categorical: string[];
  /** Columns present but not used (id-like, constant, text, date/time). */
  ignored: { name: string; type: string }[];
  /** Rows dropped by the class filter or for a missing target. */
  droppedRows: number;
}

/** Types the default preprocessor turns into features (see src/ml/preprocessing/default.ts). */
const NUMERIC_TYPES = new Set(["numeric", "integer", "boolean"]);

/**
 * Reads and validates a training dataset: the file must exist and hold the target and the
 * requested features (a DataLoadError names the path or column otherwise); the class filter
 * keeps the configured classes; rows with a missing target are dropped; the quality report
 * must not block training (a DataQualityError carries it otherwise).
 */
export async function loadTrainingData(path: string, config: TrainingConfig): Promise<TrainingData> {
  const memoryMb = config.resources.memoryMb;
  const [raw, fingerprint] = await Promise.all([
    readTable(path, memoryMb === undefined ? {} : { maxMemoryBytes: memoryMb * 1024 * 1024 }),
    fileSha256(path),
  ]);
  const { target } = config;
  if (!raw.has(target)) {
    throw new DataLoadError(`target column "${target}" not found (columns: ${raw.names.join(", ")})`, {
      file: path,
      field: target,
    });
  }
  for (const name of [...(config.dataset.include ?? []), ...(config.dataset.exclude ?? [])]) {
    if (!raw.has(name)) {
      throw new DataLoadError(`feature column "${name}" not found (columns: ${raw.names.join(", ")})`, {
        file: path,
        field: name,
      });
    }
  }
  const include = config.dataset.include;
  let table = selectColumns(raw, {
    include: include ? [...include.filter((c) => c !== target), target] : undefined,
    exclude: config.dataset.exclude?.filter((c) => c !== target),
  });
  if (config.dataset.filter) table = whereRows(table, config.dataset.filter as RowCondition[]);
  if (config.dataset.classes) table = keepValues(table, target, config.dataset.classes).table;
  table = dropMissing(table, [target]);
  const quality = qualityReport(table, {
    target,
    task: config.task,
    minRows: config.quality.minRows,
    minPerClass: config.quality.minPerClass,
    source: path,
  });
  if (quality.verdict === "unfit" && config.quality.failOnBlocking) {
    const errors = quality.findings.filter((f) => f.severity === "error").map((f) => f.message);
    throw new DataQualityError(`${path}: data unfit for training: ${errors.join("; ")}`, quality);
  }
  const task = quality.target?.task;
  if (!task) throw new DataQualityError(`${path}: target "${target}" cannot be learnt`, quality);
  const numeric: string[] = [];
  const categorical: string[] = [];
  const ignored: { name: string; type: string }[] = [];
  for (const c of quality.schema) {
    if (c.name === target) continue;
    if (NUMERIC_TYPES.has(c.type)) numeric.push(c.name);
    else if (c.type === "categorical") categorical.push(c.name);
    else ignored.push({ name: c.name, type: c.type });
  }
  if (numeric.length + categorical.length === 0) {
    throw new DataLoadError(
      `no usable feature columns besides the target (ignored: ${ignored.map((c) => c.name).join(", ")})`,
      {
        file: path,
      },
    );
  }
  return {
    path,
    fingerprint,
    table,
    X: table.drop([target]),
    y: table.column(target),
    task,
    quality,
    numeric,
    categorical,
    ignored,
    droppedRows: raw.nRows - table.nRows,
  };
}

/** The held-out split of a training dataset. */
export interface SplitData {
  Xtrain: Table;
  ytrain: Column;
  Xtest: Table;
  ytest: Column;
}

/** A holdout split, stratified by class for classification (scikit-learn's sizes and allocation). */
export function splitTrainingData(data: TrainingData, testSplit: number, seed: number): SplitData {
  const stratify = data.task.task === "regression" ? undefined : classTarget(data.y).codes;
  const split = trainTestSplit(data.table.nRows, { testSize: testSplit, seed, stratify });
  const target = data.y.name;
  const train = data.table.take(split.train);
  const test = data.table.take(split.test);
  return {
    Xtrain: train.drop([target]),
    ytrain: train.column(target),
    Xtest: test.drop([target]),
    ytest: test.column(target),
  };
}
