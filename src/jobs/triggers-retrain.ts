import type { JsonObject } from "../ml/estimator.js";
import {
  configDatasetRef,
  configModelName,
  type JobRecord,
  NotFoundError,
  type Promotion,
  type Registry,
  type RetrainConditions,
} from "../registry/index.js";
import type { JobQueue } from "./queue.js";

const DAY_MS = 86_400_000;

/** Whether a retraining should start now, and why (each checked condition, in words). */
export interface ConditionVerdict {
  holds: boolean;
  reasons: string[];
}

/** What the conditions of a schedule or trigger look at. */
export interface ConditionSubject {
  conditions: RetrainConditions;
  /** The watched dataset (id or name in the registry's workspace); null when none. */
  dataset: number | string | null;
  modelName: string | null;
  /** The subject's last firing: a ready marking or an aged model fires once, not on every check. */
  lastFiredAt: Date | null;
}

/**
 * Checks the conditions: fires when any holds, or always when there is none. A condition that
 * cannot be checked (no dataset, no active version) does not hold, and says why.
 */
export async function evaluateConditions(
  registry: Registry,
  subject: ConditionSubject,
  now: Date,
): Promise<ConditionVerdict> {
  const c = subject.conditions;
  if (c.newRows === undefined && c.maxAgeDays === undefined && !c.datasetReady)
    return { holds: true, reasons: ["no conditions"] };
  const reasons: string[] = [];
  let holds = false;

  if (c.newRows !== undefined || c.datasetReady) {
    const ds = subject.dataset === null ? null : await datasetState(registry, subject.dataset);
    if (ds === null) reasons.push(`dataset ${JSON.stringify(subject.dataset)} not found`);
    else {
      if (c.newRows !== undefined) {
        const ok = ds.newRows >= c.newRows;
        holds ||= ok;
        reasons.push(`dataset "${ds.name}" has ${ds.newRows} new rows ${ok ? "≥" : "<"} ${c.newRows}`);
      }
      if (c.datasetReady) {
        const fresh = subject.lastFiredAt === null || ds.updatedAt > subject.lastFiredAt;
        const ok = ds.ready && fresh;
        holds ||= ok;
        reasons.push(
          ok
            ? `dataset "${ds.name}" is marked ready`
            : ds.ready
              ? `dataset "${ds.name}" was ready already at the last firing`
              : `dataset "${ds.name}" is not marked ready`,
        );
      }
    }
  }

  if (c.maxAgeDays !== undefined) {
    const active = subject.modelName === null ? null : await activeVersionDate(registry, subject.modelName);
    if (active === null) reasons.push(`model ${JSON.stringify(subject.modelName)} has no active version`);
    else {
      const days = (now.getTime() - active.getTime()) / DAY_MS;
      const old = days > c.maxAgeDays;
      // An aged model whose retraining was rejected stays old: wait another period before retrying.
      const recent =
        subject.lastFiredAt !== null &&
        now.getTime() - subject.lastFiredAt.getTime() <= c.maxAgeDays * DAY_MS;
      const ok = old && !recent;
      holds ||= ok;
      reasons.push(
        `active version is ${days.toFixed(1)} days old ${old ? ">" : "≤"} ${c.maxAgeDays}` +
          (old && recent ? " but a retraining started within that period" : ""),
      );
    }
  }
  return { holds, reasons };
}

async function datasetState(registry: Registry, ref: number | string) {
  try {
    return await registry.datasets.get(ref);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

async function activeVersionDate(registry: Registry, modelName: string): Promise<Date | null> {
  try {
    return (await registry.models.resolve(modelName)).createdAt;
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/** A QUEUED or RUNNING job of the model, if any (a retraining never runs twice at once). */
export async function busyJob(registry: Registry, modelName: string | null): Promise<JobRecord | null> {
  if (modelName === null) return null;
  const [job] = await registry.jobs.list({ status: ["QUEUED", "RUNNING"], modelName, limit: 1 });
  return job ?? null;
}

export interface RetrainRequest {
  config: JsonObject;
  modelName: string | null;
  datasetId: number | null;
  origin: { type: "schedule" | "trigger"; id: number; promotion: Promotion };
  priority?: number;
}

/** Enqueues a retraining; the config gets the model's name when it does not name one. */
export async function enqueueRetrain(
  queue: JobQueue,
  registry: Registry,
  r: RetrainRequest,
): Promise<JobRecord> {
  const model = (r.config.model ?? {}) as JsonObject;
  const config: JsonObject =
    r.modelName !== null && configModelName(r.config) === null
      ? { ...r.config, model: { ...model, name: r.modelName } }
      : r.config;
  return queue.enqueue(registry, {
    config,
    kind: "retrain",
    modelName: r.modelName ?? configModelName(config),
    datasetId: r.datasetId,
    origin: { type: r.origin.type, id: r.origin.id, promotion: { ...r.origin.promotion } },
    priority: r.priority ?? 0,
  });
}

/** The dataset a schedule's or trigger's config trains on, as its registry id (null when a path). */
export async function configDatasetId(registry: Registry, config: JsonObject): Promise<number | null> {
  const ref = configDatasetRef(config);
  if (ref === null) return null;
  try {
    return (await registry.datasets.get(ref)).id;
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/** Registries of other workspaces, opened once per process. */
export class WorkspaceRegistries {
  private readonly opened = new Map<string, Promise<Registry>>();
  constructor(private readonly root: Registry) {}
  get(workspace: string): Promise<Registry> {
    if (workspace === this.root.workspace) return Promise.resolve(this.root);
    let r = this.opened.get(workspace);
    if (!r) {
      r = this.root.inWorkspace(workspace);
      this.opened.set(workspace, r);
    }
    return r;
  }
}
