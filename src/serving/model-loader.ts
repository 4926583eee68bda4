import { estimatorFromParts } from "../ml/catalog.js";
import { ModelFormatError } from "../ml/errors.js";
import type { AnyEstimator, JsonObject, Predictor } from "../ml/estimator.js";
import { decodeModel, readModelFile } from "../ml/model-file.js";
import type { VersionRecord } from "../registry/models.js";
import type { Registry } from "../registry/registry.js";

/** A model ready to predict, with where it came from. */
export interface LoadedModel {
  readonly estimator: Predictor;
  /** `name@version` for a registry model, the file path otherwise. */
  readonly label: string;
  readonly checksum: string;
  /** What training recorded in the file's header (target, task, classes, dataset, metrics…). */
  readonly metadata: JsonObject;
}

function asPredictor(e: AnyEstimator, label: string): Predictor {
  if (e.task !== "classification" && e.task !== "regression") {
    throw new ModelFormatError(`${label} is a ${e.task} model; it cannot predict a target`);
  }
  return e as Predictor;
}

/**
 * Loads a registry model by reference (`name` for the active version, `name@version`,
 * `name:alias`): its artifact's bytes are checked against the recorded checksum, then decoded
 * and validated. Nothing in the file is executed.
 */
export async function loadRegistryModel(registry: Registry, ref: string): Promise<LoadedModel> {
  return loadVersion(registry, await registry.models.resolve(ref));
}

/** Loads a resolved registry version (its artifact checked against the recorded checksum). */
export async function loadVersion(registry: Registry, v: VersionRecord): Promise<LoadedModel> {
  const bytes = await registry.artifacts.get(v.artifactUri, v.checksum);
  const label = `${v.modelName}@${v.version}`;
  const decoded = decodeModel(bytes, label);
  return {
    estimator: asPredictor(estimatorFromParts(decoded.parts), label),
    label,
    checksum: v.checksum,
    metadata: decoded.header.metadata,
  };
}

/** Loads a model file from a path. */
export async function loadModelFile(path: string): Promise<LoadedModel> {
  const decoded = await readModelFile(path);
  return {
    estimator: asPredictor(estimatorFromParts(decoded.parts), path),
    label: path,
    checksum: decoded.checksum,
    metadata: decoded.header.metadata,
  };
}
