import type { FeatureSpec } from "../ml/features.js";
import type { VersionRecord } from "../registry/models.js";
import type { Registry } from "../registry/registry.js";
import { type LoadedModel, loadVersion } from "./model-loader.js";

/** Which version of a model to serve: the active one, a version label, or an alias. */
export interface ModelRef {
  name: string;
  version?: string;
  alias?: string;
}

/** A loaded model version, ready to predict; shared by every request that resolved to it. */
export interface ServedModel extends LoadedModel {
  readonly versionId: number;
  readonly modelName: string;
  readonly version: string;
  /** The pipeline's input features, as recorded at fit time. */
  readonly features: readonly FeatureSpec[];
}

export interface ModelCacheOptions {
  /** Loaded versions kept in memory (least recently used evicted first). Default 8. */
  maxModels?: number;
  /** How long a name/alias → version resolution is trusted (ms). Default 5000. */
  resolveTtlMs?: number;
}

interface Resolution {
  at: number;
  version: Promise<VersionRecord>;
  /** Resolved successfully (a stale entry can then stand in while it is refreshed). */
  settled: boolean;
}

export function refKey(ref: ModelRef): string {
  if (ref.version) return `${ref.name}@${ref.version}`;
  if (ref.alias) return `${ref.name}:${ref.alias}`;
  return ref.name;
}

/**
 * Loaded models keyed by version id, and a short-lived cache of which version a reference
 * means. Activation invalidates the model's resolutions; requests already holding the old
 * version finish on it (a ServedModel is never mutated or unloaded under a request), new ones
 * get the new version. Another process's activation is seen within `resolveTtlMs` (plus one
 * request: the one that finds the entry stale starts the refresh and is answered from it).
 */
export class ModelCache {
  private readonly models = new Map<number, Promise<ServedModel>>();
  private readonly resolutions = new Map<string, Resolution>();
  readonly maxModels: number;
  readonly resolveTtlMs: number;

  constructor(options: ModelCacheOptions = {}) {
    this.maxModels = Math.max(1, options.maxModels ?? 8);
    this.resolveTtlMs = Math.max(0, options.resolveTtlMs ?? 5000);
  }

  /** The served model for a reference (NotFoundError when it resolves to nothing). */
  async get(registry: Registry, ref: ModelRef): Promise<ServedModel> {
    const v = await this.resolve(registry, ref);
    return this.load(registry, v);
  }

  /**
   * The version a reference means now. A resolution younger than `resolveTtlMs` is trusted; an
   * older one is still answered at once while one refresh runs in the background (a request
   * never waits on the database for a reference it has resolved before).
   */
  resolve(registry: Registry, ref: ModelRef): Promise<VersionRecord> {
    const key = `${registry.workspace}\u0000${refKey(ref)}`;
    const now = Date.now();
    const hit = this.resolutions.get(key);
    if (hit && now - hit.at < this.resolveTtlMs) return hit.version;
    const fresh = registry.models.resolve(refKey(ref));
    const entry = { at: now, version: fresh };
    if (hit?.settled) {
      // Stale: answer with the old version; swap in the new one when it arrives.
      hit.at = now;
      fresh.then(
        () => {
          if (this.resolutions.get(key) === hit) this.resolutions.set(key, { ...entry, settled: true });
        },
        () => {
          if (this.resolutions.get(key) === hit) this.resolutions.delete(key);
        },
      );
      return hit.version;
    }
    const record: Resolution = { ...entry, settled: false };
    this.resolutions.set(key, record);
    fresh.then(
      () => {
        record.settled = true;
      },
      () => {
        if (this.resolutions.get(key) === record) this.resolutions.delete(key);
      },
    );
    return fresh;
  }

  /** Loads (once) and returns a version's model. */
  load(registry: Registry, v: VersionRecord): Promise<ServedModel> {
    const hit = this.models.get(v.id);
    if (hit) {
      // Most recently used goes last.
      this.models.delete(v.id);
      this.models.set(v.id, hit);
      return hit;
    }
    const loading = loadVersion(registry, v).then(
      (m): ServedModel => ({
        ...m,
        versionId: v.id,
        modelName: v.modelName,
        version: v.version,
        features: m.estimator.toParts().features,
      }),
    );
    this.models.set(v.id, loading);
    loading.catch(() => {
      if (this.models.get(v.id) === loading) this.models.delete(v.id);
    });
    while (this.models.size > this.maxModels) {
      const oldest = this.models.keys().next().value as number;
      this.models.delete(oldest);
    }
    return loading;
  }

  /** Forgets which versions a model's references mean (after an activation or alias change). */
  invalidate(registry: Registry, modelName: string): void {
    const prefix = `${registry.workspace}\u0000`;
    for (const key of this.resolutions.keys()) {
      if (!key.startsWith(prefix)) continue;
      const ref = key.slice(prefix.length);
      if (ref === modelName || ref.startsWith(`${modelName}@`) || ref.startsWith(`${modelName}:`)) {
        this.resolutions.delete(key);
      }
    }
  }

  /** Version ids currently loaded, least recently used first. */
  loaded(): number[] {
    return [...this.models.keys()];
  }

  clear(): void {
    this.models.clear();
    this.resolutions.clear();
  }
}
