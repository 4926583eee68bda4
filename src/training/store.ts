import type { Json, JsonObject } from "../ml/estimator.js";

/**
 * What training records, and where: the registry layer (below this one) implements
 * `TrainingStore`, so the trainer records runs and versions without importing it.
 */
export type RunStatus = "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";

/** The recorded fields of a training run (everything but id, workspace and timestamps). */
export interface RunFields {
  status?: RunStatus;
  modelName?: string | null;
  modelVersion?: string | null;
  modelPath?: string | null;
  datasetId?: number | null;
  datasetPath?: string | null;
  datasetFingerprint?: string | null;
  datasetRows?: number | null;
  task?: string | null;
  algorithm?: string | null;
  params?: JsonObject;
  metrics?: JsonObject;
  perClass?: Json | null;
  confusionMatrix?: Json | null;
  curves?: Json | null;
  importances?: Json | null;
  features?: Json | null;
  trainSize?: number | null;
  testSize?: number | null;
  durations?: Json | null;
  trainedBy?: string | null;
  notes?: string | null;
  error?: string | null;
  libraryVersion?: string | null;
  parentRunId?: number | null;
  jobId?: string | null;
}

/** A new model version to record. */
export interface NewVersion {
  modelName: string;
  task: string;
  inputSchema: Json;
  version: string;
  runId?: number | null;
  artifactUri: string;
  checksum: string;
  sizeBytes: number;
  metrics?: JsonObject;
  /** Make it the active version in the same transaction (default false). */
  activate?: boolean;
}

/** A recorded version, as far as training needs to know it. */
export interface RecordedVersion {
  id: number;
  modelName: string;
  version: string;
  active: boolean;
}

export interface StoredBytes {
  uri: string;
  checksum: string;
  sizeBytes: number;
}

export interface TrainingStore {
  readonly runs: {
    start(fields?: RunFields): Promise<number>;
    finish(id: number, status: Exclude<RunStatus, "RUNNING">, fields?: RunFields): Promise<void>;
    record(fields: RunFields, startedAt?: Date): Promise<number>;
  };
  readonly models: {
    addVersion(v: NewVersion): Promise<RecordedVersion>;
    hasActive(modelName: string): Promise<boolean>;
  };
  readonly artifacts: {
    put(key: string, bytes: Uint8Array): Promise<StoredBytes>;
    /** A path on this machine, or null for a store without one. */
    localPath(uri: string): string | null;
  };
  readonly datasets: { get(ref: number | string): Promise<{ source: string }> };
  readonly audit: {
    record(e: {
      actor: string;
      action: string;
      targetType: string;
      targetId: string | null;
      details?: JsonObject;
    }): Promise<void>;
  };
}

let opener: (() => Promise<TrainingStore & { close(): Promise<void> }>) | undefined;

/** The registry layer registers how to open the default store (the embedded registry). */
export function setDefaultTrainingStore(
  open: () => Promise<TrainingStore & { close(): Promise<void> }>,
): void {
  opener = open;
}

export function openDefaultTrainingStore(): Promise<TrainingStore & { close(): Promise<void> }> {
  if (!opener) throw new Error("no default registry: import trainyard's registry (or pass a registry)");
  return opener();
}
