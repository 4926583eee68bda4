import { sql } from "kysely";
import type { Json, JsonObject } from "../ml/estimator.js";
import type { NewVersion } from "../training/store.js";
import type { Db } from "./database.js";
import { ConflictError, NotFoundError } from "./errors.js";
import { json } from "./tables.js";

export interface ModelRecord {
  id: number;
  name: string;
  task: string;
  inputSchema: Json;
  createdAt: Date;
  /** The active version's label, if any. */
  activeVersion: string | null;
  versionCount: number;
}

export interface VersionRecord {
  id: number;
  modelId: number;
  modelName: string;
  version: string;
  runId: number | null;
  artifactUri: string;
  checksum: string;
  sizeBytes: number;
  metrics: JsonObject;
  active: boolean;
  archived: boolean;
  aliases: string[];
  createdAt: Date;
}

export type { NewVersion } from "../training/store.js";

export interface Comparison {
  versions: VersionRecord[];
  /** Every metric name that a compared version has, with each version's value (null when absent). */
  metrics: { name: string; values: (number | null)[]; deltas: (number | null)[] }[];
}

type Tx = Db;

/** Models, their versions and aliases, in one workspace. */
export class ModelStore {
  constructor(
    private readonly db: Db,
    readonly workspace: string,
  ) {}

  /**
   * Records a new version (creating its model on first use). Everything happens in one
   * transaction: a failure leaves neither a half-recorded version nor a changed active version.
   */
  async addVersion(v: NewVersion): Promise<VersionRecord> {
    const id = await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto("model")
        .values({
          workspace: this.workspace,
          name: v.modelName,
          task: v.task,
          input_schema: json(v.inputSchema),
        })
        .onConflict((oc) => oc.columns(["workspace", "name"]).doNothing())
        .execute();
      const model = await this.lockModel(tx, v.modelName);
      if (model.task !== v.task) {
        throw new ConflictError(
          `model "${v.modelName}" is a ${model.task} model; a ${v.task} version cannot join it`,
        );
      }
      const exists = await tx
        .selectFrom("model_version")
        .select("id")
        .where("model_id", "=", model.id)
        .where("version", "=", v.version)
        .executeTakeFirst();
      if (exists) throw new ConflictError(`model "${v.modelName}" already has a version "${v.version}"`);
      const row = await tx
        .insertInto("model_version")
        .values({
          model_id: model.id,
          version: v.version,
          run_id: v.runId ?? null,
          artifact_uri: v.artifactUri,
          checksum: v.checksum,
          size_bytes: v.sizeBytes,
          metrics: json(v.metrics ?? {}),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      // The model's input schema follows its newest version.
      await tx
        .updateTable("model")
        .set({ input_schema: json(v.inputSchema) })
        .where("id", "=", model.id)
        .execute();
      if (v.activate) await this.switchActive(tx, model.id, row.id);
      return row.id;
    });
    return this.versionById(id);
  }

  /** Whether the model exists and has an active version. */
  async hasActive(modelName: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("model_version as v")
      .innerJoin("model as m", "m.id", "v.model_id")
      .select("v.id")
      .where("m.workspace", "=", this.workspace)
      .where("m.name", "=", modelName)
      .where("v.active", "=", true)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Makes `version` the one active version of its model, atomically. */
  async activate(modelName: string, version: string): Promise<VersionRecord> {
    const id = await this.db.transaction().execute(async (tx) => {
      const model = await this.lockModel(tx, modelName);
      const row = await tx
        .selectFrom("model_version")
        .select(["id", "archived"])
        .where("model_id", "=", model.id)
        .where("version", "=", version)
        .executeTakeFirst();
      if (!row) throw new NotFoundError("version", `${modelName}@${version}`);
      if (row.archived)
        throw new ConflictError(`${modelName}@${version} is archived; it cannot be activated`);
      await this.switchActive(tx, model.id, row.id);
      return row.id;
    });
    return this.versionById(id);
  }

  /** The model row, locked until the transaction ends so that concurrent switches queue up. */
  private async lockModel(tx: Tx, name: string): Promise<{ id: number; task: string }> {
    const model = await tx
      .selectFrom("model")
      .select(["id", "task"])
      .where("workspace", "=", this.workspace)
      .where("name", "=", name)
      .forUpdate()
      .executeTakeFirst();
    if (!model) throw new NotFoundError("model", name);
    return model;
  }

  private async switchActive(tx: Tx, modelId: number, versionId: number): Promise<void> {
    await tx
      .updateTable("model_version")
      .set({ active: false })
      .where("model_id", "=", modelId)
      .where("active", "=", true)
      .where("id", "<>", versionId)
      .execute();
    await tx.updateTable("model_version").set({ active: true }).where("id", "=", versionId).execute();
  }

  async list(
    options: { activeOnly?: boolean; limit?: number; offset?: number } = {},
  ): Promise<ModelRecord[]> {
    let q = this.db
      .selectFrom("model as m")
      .leftJoin("model_version as a", (j) => j.onRef("a.model_id", "=", "m.id").on("a.active", "=", true))
      .select([
        "m.id",
        "m.name",
        "m.task",
        "m.input_schema",
        "m.created_at",
        "a.version as active_version",
        sql<string>`(select count(*) from model_version v where v.model_id = m.id)`.as("version_count"),
      ])
      .where("m.workspace", "=", this.workspace);
    if (options.activeOnly) q = q.where("a.id", "is not", null);
    const rows = await q
      .orderBy("m.name")
      .limit(Math.min(Math.max(options.limit ?? 100, 1), 500))
      .offset(options.offset ?? 0)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      task: r.task,
      inputSchema: r.input_schema,
      createdAt: new Date(r.created_at),
      activeVersion: r.active_version,
      versionCount: Number(r.version_count),
    }));
  }

  async get(name: string): Promise<ModelRecord> {
    const found = (await this.list({ limit: 500 })).find((m) => m.name === name);
    if (!found) throw new NotFoundError("model", name);
    return found;
  }

  private versionsQuery() {
    return this.db
      .selectFrom("model_version as v")
      .innerJoin("model as m", "m.id", "v.model_id")
      .selectAll("v")
      .select([
        "m.name as model_name",
        sql<
          string[]
        >`coalesce((select array_agg(alias order by alias) from model_alias a where a.version_id = v.id), '{}')`.as(
          "aliases",
        ),
      ])
      .where("m.workspace", "=", this.workspace);
  }

  private async versionById(id: number): Promise<VersionRecord> {
    const row = await this.versionsQuery().where("v.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("version", String(id));
    return toVersion(row);
  }

  /** A model's versions, newest first. */
  async versions(
    modelName: string,
    options: { activeOnly?: boolean; includeArchived?: boolean; limit?: number; offset?: number } = {},
  ): Promise<VersionRecord[]> {
    await this.get(modelName);
    let q = this.versionsQuery().where("m.name", "=", modelName);
    if (options.activeOnly) q = q.where("v.active", "=", true);
    if (!options.includeArchived) q = q.where("v.archived", "=", false);
    const rows = await q
      .orderBy("v.id", "desc")
      .limit(Math.min(Math.max(options.limit ?? 100, 1), 500))
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toVersion);
  }

  /**
   * A version by reference: `name` (the active version), `name@label`, or `name:alias`.
   * A model without an active version, or an unknown label or alias, is a NotFoundError.
   */
  async resolve(ref: string): Promise<VersionRecord> {
    const at = ref.lastIndexOf("@");
    const colon = ref.lastIndexOf(":");
    let q = this.versionsQuery();
    if (at > 0) q = q.where("m.name", "=", ref.slice(0, at)).where("v.version", "=", ref.slice(at + 1));
    else if (colon > 0) {
      q = q.where("m.name", "=", ref.slice(0, colon)).where(({ exists, selectFrom }) =>
        exists(
          selectFrom("model_alias as al")
            .select("al.alias")
            .whereRef("al.version_id", "=", "v.id")
            .where("al.alias", "=", ref.slice(colon + 1)),
        ),
      );
    } else q = q.where("m.name", "=", ref).where("v.active", "=", true);
    const row = await q.executeTakeFirst();
    if (!row) throw new NotFoundError(at > 0 || colon > 0 ? "model version" : "active version of model", ref);
    return toVersion(row);
  }

  /** Points `alias` (e.g. "champion") of a model at one of its versions. */
  async setAlias(modelName: string, alias: string, version: string): Promise<void> {
    if (!/^[A-Za-z][\w.-]{0,63}$/.test(alias)) {
      throw new ConflictError(
        `alias ${JSON.stringify(alias)} must start with a letter and use letters, digits, _ . -`,
      );
    }
    const v = await this.resolve(`${modelName}@${version}`);
    await this.db
      .insertInto("model_alias")
      .values({ model_id: v.modelId, alias, version_id: v.id })
      .onConflict((oc) => oc.columns(["model_id", "alias"]).doUpdateSet({ version_id: v.id }))
      .execute();
  }

  async removeAlias(modelName: string, alias: string): Promise<void> {
    const model = await this.get(modelName);
    await this.db
      .deleteFrom("model_alias")
      .where("model_id", "=", model.id)
      .where("alias", "=", alias)
      .execute();
  }

  /** Versions side by side, with each metric's delta from the first version given. */
  async compare(modelName: string, versions: readonly string[]): Promise<Comparison> {
    if (versions.length < 2) throw new ConflictError("compare needs at least two versions");
    const records = await Promise.all(versions.map((v) => this.resolve(`${modelName}@${v}`)));
    const names = [...new Set(records.flatMap((r) => Object.keys(r.metrics)))].sort();
    const metrics = names.map((name) => {
      const values = records.map((r) =>
        typeof r.metrics[name] === "number" ? (r.metrics[name] as number) : null,
      );
      const base = values[0];
      return { name, values, deltas: values.map((x) => (x === null || base === null ? null : x - base)) };
    });
    return { versions: records, metrics };
  }

  /** Archives a version (kept, but hidden and not activatable); the active version is protected. */
  async archive(modelName: string, version: string): Promise<void> {
    const v = await this.resolve(`${modelName}@${version}`);
    if (v.active)
      throw new ConflictError(`${modelName}@${version} is the active version; activate another first`);
    await this.db.updateTable("model_version").set({ archived: true }).where("id", "=", v.id).execute();
  }

  /** Deletes a version's record and returns it (the caller removes its artifact); the active one is protected. */
  async deleteVersion(modelName: string, version: string): Promise<VersionRecord> {
    const v = await this.resolve(`${modelName}@${version}`);
    if (v.active)
      throw new ConflictError(`${modelName}@${version} is the active version; activate another first`);
    await this.db.deleteFrom("model_version").where("id", "=", v.id).where("active", "=", false).execute();
    return v;
  }
}

function toVersion(r: {
  id: number;
  model_id: number;
  model_name: string;
  version: string;
  run_id: number | null;
  artifact_uri: string;
  checksum: string;
  size_bytes: string | number;
  metrics: JsonObject;
  active: boolean;
  archived: boolean;
  aliases: string[];
  created_at: Date;
}): VersionRecord {
  return {
    id: r.id,
    modelId: r.model_id,
    modelName: r.model_name,
    version: r.version,
    runId: r.run_id,
    artifactUri: r.artifact_uri,
    checksum: r.checksum,
    sizeBytes: Number(r.size_bytes),
    metrics: r.metrics,
    active: r.active,
    archived: r.archived,
    aliases: r.aliases,
    createdAt: new Date(r.created_at),
  };
}
