import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { Json, JsonObject } from "../ml/estimator.js";

/** The registry's tables as Kysely sees them (see migrations.ts for the SQL). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as a value, written as JSON text (pg would turn a JS array into a Postgres array). */
type JsonColumn<T = Json> = ColumnType<T, string, string>;

export interface WorkspaceTable {
  name: string;
  created_at: Generated<Date>;
}

export interface DatasetTable {
  id: Generated<number>;
  workspace: string;
  name: string;
  source: string;
  fingerprint: string;
  rows: number;
  columns: number;
  schema: JsonColumn;
  new_rows: Generated<number>;
  created_at: Generated<Date>;
}

import type { RunStatus } from "../training/store.js";

export type { RunStatus };

export interface TrainingRunTable {
  id: Generated<number>;
  workspace: string;
  status: RunStatus;
  model_name: string | null;
  model_version: string | null;
  model_path: string | null;
  dataset_id: number | null;
  dataset_path: string | null;
  dataset_fingerprint: string | null;
  dataset_rows: number | null;
  task: string | null;
  algorithm: string | null;
  params: JsonColumn<JsonObject>;
  metrics: JsonColumn<JsonObject>;
  per_class: JsonColumn | null;
  confusion_matrix: JsonColumn | null;
  curves: JsonColumn | null;
  importances: JsonColumn | null;
  features: JsonColumn | null;
  train_size: number | null;
  test_size: number | null;
  durations: JsonColumn | null;
  trained_by: string | null;
  notes: string | null;
  error: string | null;
  library_version: string | null;
  parent_run_id: number | null;
  job_id: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface ModelTable {
  id: Generated<number>;
  workspace: string;
  name: string;
  task: string;
  input_schema: JsonColumn;
  created_at: Generated<Date>;
}

export interface ModelVersionTable {
  id: Generated<number>;
  model_id: number;
  version: string;
  run_id: number | null;
  artifact_uri: string;
  checksum: string;
  /** bigint: pg returns it as text. */
  size_bytes: ColumnType<string | number, number, number>;
  metrics: JsonColumn<JsonObject>;
  active: Generated<boolean>;
  archived: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ModelAliasTable {
  model_id: number;
  alias: string;
  version_id: number;
}

export interface ArtifactBlobTable {
  key: string;
  bytes: Uint8Array;
  checksum: string;
  created_at: Generated<Date>;
}

export interface AuditEventTable {
  id: Generated<number>;
  workspace: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: JsonColumn<JsonObject>;
  at: Generated<Date>;
}

export interface Tables {
  workspace: WorkspaceTable;
  dataset: DatasetTable;
  training_run: TrainingRunTable;
  model: ModelTable;
  model_version: ModelVersionTable;
  model_alias: ModelAliasTable;
  artifact_blob: ArtifactBlobTable;
  audit_event: AuditEventTable;
}

export type RunRow = Selectable<TrainingRunTable>;
export type NewRunRow = Insertable<TrainingRunTable>;

/** A value for a jsonb column. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}
