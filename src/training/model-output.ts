import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { LIBRARY_VERSION } from "../ml/catalog.js";
import type { JsonObject } from "../ml/estimator.js";
import { encodeModel, writeFileAtomic } from "../ml/model-file.js";
import type { Pipeline } from "../ml/pipeline/index.js";
import type { TrainingStore } from "./store.js";

/** Where a trained model was written. */
export interface SavedModel {
  /** A path on this machine, when there is one (a local store or an explicit save path). */
  path: string | null;
  /** Its metadata JSON, written next to the model file. */
  metadataPath: string | null;
  /** The artifact in the registry's store, when a registry is used. */
  uri: string | null;
  checksum: string;
  sizeBytes: number;
}

/** `x.model` → `x.json`; other names get `.json` appended. */
export function metadataPathOf(modelPath: string): string {
  return modelPath.endsWith(".model") ? `${modelPath.slice(0, -".model".length)}.json` : `${modelPath}.json`;
}

/**
 * Writes a model file and its metadata JSON: into the registry's artifact store under
 * `models/<name>/<version>.model` when a registry is given, and to `savePath` when one is given.
 */
export async function writeModel(
  model: Pipeline,
  metadata: JsonObject,
  target: { registry?: TrainingStore; name: string; version: string; savePath?: string },
): Promise<SavedModel> {
  const bytes = encodeModel(model.toParts(), metadata, LIBRARY_VERSION);
  const meta = Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`);
  let uri: string | null = null;
  let path: string | null = null;
  let metadataPath: string | null = null;
  if (target.registry) {
    const key = `models/${target.name}/${target.version}`;
    const stored = await target.registry.artifacts.put(`${key}.model`, bytes);
    const storedMeta = await target.registry.artifacts.put(`${key}.json`, meta);
    uri = stored.uri;
    path = target.registry.artifacts.localPath(stored.uri);
    metadataPath = target.registry.artifacts.localPath(storedMeta.uri);
  }
  if (target.savePath) {
    await writeFileAtomic(target.savePath, bytes);
    path = target.savePath;
    metadataPath = metadataPathOf(target.savePath);
    await writeFile(metadataPath, meta);
  }
  return {
    path,
    metadataPath,
    uri,
    checksum: createHash("sha256").update(bytes).digest("hex"),
    sizeBytes: bytes.length,
  };
}
