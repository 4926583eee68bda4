import type { Json, JsonObject } from "../ml/estimator.js";
import type { RunFields, RunStatus } from "../training/store.js";
import type { Db } from "./database.js";
import { NotFoundError } from "./errors.js";
import { json, type RunRow } from "./tables.js";

/** One training run: a fitted candidate (or a failed attempt) with everything needed to audit it. */
export interface RunRecord {
  id: number;
  workspace: string;
  status: RunStatus;
  modelName: string | null;
  modelVersion: string | null;
  modelPath: string | null;
  datasetId: number | null;
  datasetPath: string | null;
  datasetFingerprint: string | null;
  datasetRows: number | null;
  task: string | null;
  algorithm: string | null;
  params: JsonObject;
  metrics: JsonObject;
  perClass: Json | null;
  confusionMatrix: Json | null;
  curves: Json | null;
  importances: Json | null;
  features: Json | null;
  trainSize: number | null;
  testSize: number | null;
  durations: Json | null;
  trainedBy: string | null;
  notes: string | null;
  error: string | null;
  libraryVersion: string | null;
  parentRunId: number | null;
  jobId: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export type { RunFields } from "../training/store.js";

export interface RunListOptions {
  status?: RunStatus;
  modelName?: string;
  /** Newest first; `limit` default 50 (max 500). */
  limit?: number;
  offset?: number;
}

const JSON_FIELDS = [
  "params",
  "metrics",
  "perClass",
  "confusionMatrix",
  "curves",
  "importances",
  "features",
  "durations",
] as const;

const COLUMN: Record<keyof Required<RunFields>, string> = {
  status: "status",
  modelName: "model_name",
  modelVersion: "model_version",
  modelPath: "model_path",
  datasetId: "dataset_id",
  datasetPath: "dataset_path",
  datasetFingerprint: "dataset_fingerprint",
  datasetRows: "dataset_rows",
  task: "task",
  algorithm: "algorithm",
  params: "params",
  metrics: "metrics",
  perClass: "per_class",
  confusionMatrix: "confusion_matrix",
  curves: "curves",
  importances: "importances",
  features: "features",
  trainSize: "train_size",
  testSize: "test_size",
  durations: "durations",
  trainedBy: "trained_by",
  notes: "notes",
  error: "error",
  libraryVersion: "library_version",
  parentRunId: "parent_run_id",
  jobId: "job_id",
};

function toColumns(fields: RunFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const column = COLUMN[key as keyof RunFields];
    if (!column) continue;
    out[column] = (JSON_FIELDS as readonly string[]).includes(key) ? json(value) : value;
  }
  return out;
}

function fromRow(r: RunRow): RunRecord {
  return {
    id: r.id,
    workspace: r.workspace,
    status: r.status,
    modelName: r.model_name,
    modelVersion: r.model_version,
    modelPath: r.model_path,
    datasetId: r.dataset_id,
    datasetPath: r.dataset_path,
    datasetFingerprint: r.dataset_fingerprint,
    datasetRows: r.dataset_rows,
    task: r.task,
    algorithm: r.algorithm,
    params: r.params,
    metrics: r.metrics,
    perClass: r.per_class,
    confusionMatrix: r.confusion_matrix,
    curves: r.curves,
    importances: r.importances,
    features: r.features,
    trainSize: r.train_size,
    testSize: r.test_size,
    durations: r.durations,
    trainedBy: r.trained_by,
    notes: r.notes,
    error: r.error,
    libraryVersion: r.library_version,
    parentRunId: r.parent_run_id,
    jobId: r.job_id,
    startedAt: new Date(r.started_at),
    finishedAt: r.finished_at === null ? null : new Date(r.finished_at),
  };
}

/** Training runs of one workspace. */
export class RunStore {
  constructor(
    private readonly db: Db,
    readonly workspace: string,
  ) {}

  /** Records a run that starts now as RUNNING; returns its id. */
  async start(fields: RunFields = {}): Promise<number> {
    return this.insert({ ...fields, status: "RUNNING" }, false);
  }

  /** Records a run that already ended (COMPLETED unless `fields.status` says otherwise). */
  async record(fields: RunFields, startedAt?: Date): Promise<number> {
    return this.insert({ status: "COMPLETED", ...fields }, true, startedAt);
  }

  private async insert(fields: RunFields, finished: boolean, startedAt?: Date): Promise<number> {
    const values = {
      ...toColumns(fields),
      workspace: this.workspace,
      ...(startedAt ? { started_at: startedAt } : {}),
      ...(finished ? { finished_at: new Date() } : {}),
    };
    const row = await this.db
      .insertInto("training_run")
      .values(values as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Ends a RUNNING run as COMPLETED, FAILED or CANCELLED with its results. */
  async finish(id: number, status: Exclude<RunStatus, "RUNNING">, fields: RunFields = {}): Promise<void> {
    const result = await this.db
      .updateTable("training_run")
      .set({ ...toColumns(fields), status, finished_at: new Date() } as never)
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .where("status", "=", "RUNNING")
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      await this.get(id); // NotFoundError when it does not exist
      throw new Error(`run ${id} is not RUNNING; it cannot be finished again`);
    }
  }

  async get(id: number): Promise<RunRecord> {
    const row = await this.db
      .selectFrom("training_run")
      .selectAll()
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .executeTakeFirst();
    if (!row) throw new NotFoundError("run", String(id));
    return fromRow(row);
  }

  async list(options: RunListOptions = {}): Promise<RunRecord[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    let q = this.db.selectFrom("training_run").selectAll().where("workspace", "=", this.workspace);
    if (options.status) q = q.where("status", "=", options.status);
    if (options.modelName) q = q.where("model_name", "=", options.modelName);
    const rows = await q
      .orderBy("started_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(fromRow);
  }

  async count(status?: RunStatus): Promise<number> {
    let q = this.db
      .selectFrom("training_run")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("workspace", "=", this.workspace);
    if (status) q = q.where("status", "=", status);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
