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
  ready: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
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

export type JobStatus = "QUEUED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";

export interface TrainingJobTable {
  id: string;
  workspace: string;
  kind: Generated<string>;
  status: JobStatus;
  priority: Generated<number>;
  config: JsonColumn<JsonObject>;
  model_name: string | null;
  dataset_id: number | null;
  origin: ColumnType<JsonObject, string | undefined, string>;
  progress: Generated<number>;
  stage: string | null;
  message: string | null;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  timeout_seconds: number | null;
  cancel_requested: Generated<boolean>;
  worker_id: string | null;
  heartbeat_at: Timestamp | null;
  run_after: ColumnType<Date, Date | string | undefined, Date | string>;
  result: JsonColumn<JsonObject> | null;
  error: string | null;
  created_at: Generated<Date>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface JobLogTable {
  id: Generated<number>;
  job_id: string;
  attempt: Generated<number>;
  level: string;
  message: string;
  at: Generated<Date>;
}

export interface WorkerTable {
  id: string;
  engine: string;
  host: string;
  pid: number;
  concurrency: Generated<number>;
  state: Generated<string>;
  current_jobs: ColumnType<string[], string | undefined, string>;
  started_at: Generated<Date>;
  heartbeat_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ScheduleTable {
  id: Generated<number>;
  workspace: string;
  name: string;
  cron: string;
  timezone: Generated<string>;
  enabled: Generated<boolean>;
  model_name: string | null;
  config: JsonColumn<JsonObject>;
  conditions: ColumnType<JsonObject, string | undefined, string>;
  promotion: ColumnType<JsonObject, string | undefined, string>;
  last_fired_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ScheduleFiringTable {
  schedule_id: number;
  tick: Timestamp;
  job_id: string | null;
  decision: string;
  at: Generated<Date>;
}

export interface TrainingTriggerTable {
  id: Generated<number>;
  workspace: string;
  name: string;
  model_name: string;
  dataset_id: number | null;
  conditions: JsonColumn<JsonObject>;
  config: JsonColumn<JsonObject>;
  promotion: ColumnType<JsonObject, string | undefined, string>;
  enabled: Generated<boolean>;
  last_fired_at: Timestamp | null;
  last_job_id: string | null;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type ValidationDecision = "promoted" | "rejected" | "passed" | "no_champion";

export interface ValidationEventTable {
  id: Generated<number>;
  workspace: string;
  model_name: string;
  job_id: string | null;
  metric: string;
  champion_version_id: number | null;
  challenger_version_id: number | null;
  champion_score: number | null;
  challenger_score: number | null;
  margin: Generated<number>;
  decision: ValidationDecision;
  reason: string;
  at: Generated<Date>;
}

export interface SubscriptionTable {
  id: Generated<number>;
  workspace: string;
  channel: "webhook" | "email";
  target: string;
  secret: string | null;
  events: ColumnType<string[], string | undefined, string>;
  enabled: Generated<boolean>;
  created_at: Generated<Date>;
}

export type DeliveryStatus = "PENDING" | "DELIVERED" | "FAILED";

export interface DeliveryTable {
  id: Generated<number>;
  subscription_id: number;
  event: string;
  payload: JsonColumn<JsonObject>;
  status: DeliveryStatus;
  attempts: Generated<number>;
  last_error: string | null;
  response_status: number | null;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: Generated<Date>;
  delivered_at: Timestamp | null;
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
  training_job: TrainingJobTable;
  job_log: JobLogTable;
  worker: WorkerTable;
  schedule: ScheduleTable;
  schedule_firing: ScheduleFiringTable;
  training_trigger: TrainingTriggerTable;
  validation_event: ValidationEventTable;
  subscription: SubscriptionTable;
  delivery: DeliveryTable;
}

export type RunRow = Selectable<TrainingRunTable>;
export type NewRunRow = Insertable<TrainingRunTable>;

/** A value for a jsonb column. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}
