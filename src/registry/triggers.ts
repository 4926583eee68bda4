import type { Selectable } from "kysely";
import type { JsonObject } from "../ml/estimator.js";
import {
  checkConfig,
  checkName,
  configDatasetRef,
  configModelName,
  InvalidInputError,
  type Promotion,
  parseConditions,
  parsePromotion,
  type RetrainConditions,
} from "./continuous-input.js";
import type { Db } from "./database.js";
import { ConflictError, NotFoundError } from "./errors.js";
import { json, type TrainingTriggerTable } from "./tables.js";

/** The conditions a trigger gets when none are given. */
export const DEFAULT_TRIGGER_CONDITIONS: Readonly<RetrainConditions> = { newRows: 1000, maxAgeDays: 90 };

/** Retrains a model when its data has grown, its active version has aged, or its dataset is ready. */
export interface TriggerRecord {
  id: number;
  workspace: string;
  name: string;
  modelName: string;
  /** The dataset whose new rows and readiness are watched (from the config when not given). */
  datasetId: number | null;
  conditions: RetrainConditions;
  config: JsonObject;
  promotion: Promotion;
  enabled: boolean;
  lastFiredAt: Date | null;
  lastJobId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewTrigger {
  name: string;
  modelName: string;
  datasetId?: number | null;
  /** Default { newRows: 1000, maxAgeDays: 90 }. */
  conditions?: RetrainConditions;
  config: JsonObject;
  promotion?: Partial<Promotion>;
  enabled?: boolean;
}

export type TriggerPatch = Partial<NewTrigger>;

function toRecord(r: Selectable<TrainingTriggerTable>): TriggerRecord {
  const date = (d: Date | string | null) => (d === null ? null : new Date(d));
  return {
    id: r.id,
    workspace: r.workspace,
    name: r.name,
    modelName: r.model_name,
    datasetId: r.dataset_id,
    conditions: r.conditions as RetrainConditions,
    config: r.config,
    promotion: r.promotion as unknown as Promotion,
    enabled: r.enabled,
    lastFiredAt: date(r.last_fired_at),
    lastJobId: r.last_job_id,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** The columns of a validated trigger, as inserted and updated. */
function columns(t: Awaited<ReturnType<TriggerStore["validate"]>>) {
  return {
    name: t.name,
    model_name: t.modelName,
    dataset_id: t.datasetId,
    conditions: json(t.conditions),
    config: json(t.config),
    promotion: json(t.promotion),
    enabled: t.enabled,
  };
}

/** Retraining triggers: new rows, model age, dataset marked ready. */
export class TriggerStore {
  constructor(
    readonly db: Db,
    readonly workspace: string,
  ) {}

  /** Checks a whole trigger and resolves its dataset; throws InvalidInputError naming the field. */
  private async validate(t: NewTrigger) {
    const problems: { path: string; message: string }[] = [];
    checkName(t.name, problems);
    const modelName = checkName(t.modelName, problems, "/modelName");
    const config = checkConfig(t.config, problems);
    const empty =
      t.conditions === undefined || t.conditions === null || Object.keys(t.conditions).length === 0;
    const conditions = empty ? { ...DEFAULT_TRIGGER_CONDITIONS } : parseConditions(t.conditions, problems);
    const promotion = parsePromotion(t.promotion, problems);
    if (t.enabled !== undefined && typeof t.enabled !== "boolean")
      problems.push({ path: "/enabled", message: "must be true or false" });
    const named = configModelName(config);
    if (modelName && named !== null && named !== modelName)
      problems.push({ path: "/config/model/name", message: `must be the trigger's model "${modelName}"` });

    let datasetId: number | null = null;
    if (t.datasetId !== undefined && t.datasetId !== null) {
      if (typeof t.datasetId !== "number" || !Number.isInteger(t.datasetId) || t.datasetId < 1)
        problems.push({ path: "/datasetId", message: "must be a dataset id (integer ≥ 1)" });
      else datasetId = await this.datasetId(t.datasetId, "/datasetId", problems);
    } else {
      const ref = configDatasetRef(config);
      if (ref !== null) datasetId = await this.datasetId(ref, "/config/dataset/datasetId", problems);
    }
    if (datasetId === null && (conditions.newRows || conditions.datasetReady) && problems.length === 0) {
      problems.push({
        path: "/datasetId",
        message: "the newRows and datasetReady conditions need a registered dataset (datasetId)",
      });
    }
    if (problems.length > 0) throw new InvalidInputError("trigger", problems);
    return { name: t.name, modelName, datasetId, conditions, config, promotion, enabled: t.enabled ?? true };
  }

  private async datasetId(
    ref: number | string,
    path: string,
    problems: { path: string; message: string }[],
  ): Promise<number | null> {
    let q = this.db.selectFrom("dataset").select("id").where("workspace", "=", this.workspace);
    q = typeof ref === "number" ? q.where("id", "=", ref) : q.where("name", "=", ref);
    const row = await q.executeTakeFirst();
    if (!row) problems.push({ path, message: `no dataset ${JSON.stringify(ref)} in this workspace` });
    return row?.id ?? null;
  }

  private async assertNameFree(name: string, exceptId?: number): Promise<void> {
    let q = this.db
      .selectFrom("training_trigger")
      .select("id")
      .where("workspace", "=", this.workspace)
      .where("name", "=", name);
    if (exceptId !== undefined) q = q.where("id", "<>", exceptId);
    if (await q.executeTakeFirst()) throw new ConflictError(`a trigger named "${name}" exists already`);
  }

  async create(input: NewTrigger): Promise<TriggerRecord> {
    const t = await this.validate(input);
    await this.assertNameFree(t.name);
    const row = await this.db
      .insertInto("training_trigger")
      .values({
        workspace: this.workspace,
        ...columns(t),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** By id, or by name. */
  async get(ref: number | string): Promise<TriggerRecord> {
    let q = this.db.selectFrom("training_trigger").selectAll().where("workspace", "=", this.workspace);
    q = typeof ref === "number" ? q.where("id", "=", ref) : q.where("name", "=", ref);
    const row = await q.executeTakeFirst();
    if (!row) throw new NotFoundError("trigger", String(ref));
    return toRecord(row);
  }

  async list(
    options: {
      enabled?: boolean;
      modelName?: string;
      datasetId?: number;
      limit?: number;
      offset?: number;
    } = {},
  ): Promise<TriggerRecord[]> {
    let q = this.db.selectFrom("training_trigger").selectAll().where("workspace", "=", this.workspace);
    if (options.enabled !== undefined) q = q.where("enabled", "=", options.enabled);
    if (options.modelName) q = q.where("model_name", "=", options.modelName);
    if (options.datasetId !== undefined) q = q.where("dataset_id", "=", options.datasetId);
    const rows = await q
      .orderBy("id")
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toRecord);
  }

  /** Changes some fields; the whole result is validated again. */
  async update(id: number, patch: TriggerPatch, now = new Date()): Promise<TriggerRecord> {
    const current = await this.get(id);
    const merged: NewTrigger = {
      name: current.name,
      modelName: current.modelName,
      datasetId: current.datasetId,
      conditions: current.conditions,
      config: current.config,
      promotion: current.promotion,
      enabled: current.enabled,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    };
    // A new config names its own dataset unless the patch names one.
    if (patch.config !== undefined && patch.datasetId === undefined) merged.datasetId = null;
    const t = await this.validate(merged);
    if (t.name !== current.name) await this.assertNameFree(t.name, id);
    const row = await this.db
      .updateTable("training_trigger")
      .set({ ...columns(t), updated_at: now })
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError("trigger", String(id));
    return toRecord(row);
  }

  async delete(id: number): Promise<void> {
    const r = await this.db
      .deleteFrom("training_trigger")
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .executeTakeFirst();
    if (r.numDeletedRows === 0n) throw new NotFoundError("trigger", String(id));
  }

  /** Enabled triggers of every workspace, optionally only those watching one dataset. */
  async enabledEverywhere(options: { datasetId?: number } = {}): Promise<TriggerRecord[]> {
    let q = this.db.selectFrom("training_trigger").selectAll().where("enabled", "=", true);
    if (options.datasetId !== undefined) q = q.where("dataset_id", "=", options.datasetId);
    return (await q.orderBy("id").execute()).map(toRecord);
  }

  /**
   * Takes the right to fire: moves last_fired_at from the value the caller saw to `now`. Of two
   * processes that evaluated the same trigger at once, only one succeeds.
   */
  async claimFiring(id: number, seen: Date | null, now: Date): Promise<boolean> {
    let q = this.db.updateTable("training_trigger").set({ last_fired_at: now }).where("id", "=", id);
    q = seen === null ? q.where("last_fired_at", "is", null) : q.where("last_fired_at", "=", seen);
    const r = await q.executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async recordJob(id: number, jobId: string): Promise<void> {
    await this.db.updateTable("training_trigger").set({ last_job_id: jobId }).where("id", "=", id).execute();
  }
}
