import type { Selectable } from "kysely";
import type { Json } from "../ml/estimator.js";
import type { Db } from "./database.js";
import { ConflictError, NotFoundError } from "./errors.js";
import { type DatasetTable, json } from "./tables.js";

export interface DatasetRecord {
  id: number;
  name: string;
  /** A path or URI the data was read from. */
  source: string;
  /** Content hash of the data (sha256 of the file's bytes). */
  fingerprint: string;
  rows: number;
  columns: number;
  schema: Json;
  /** Rows appended since the last training on it (what triggers retraining counts). */
  newRows: number;
  /** Marked ready by its owner (the "dataset ready" trigger fires on it). */
  ready: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewDataset {
  name: string;
  source: string;
  fingerprint: string;
  rows: number;
  columns: number;
  schema: Json;
}

function toRecord(r: Selectable<DatasetTable>): DatasetRecord {
  return {
    id: r.id,
    name: r.name,
    source: r.source,
    fingerprint: r.fingerprint,
    rows: r.rows,
    columns: r.columns,
    schema: r.schema,
    newRows: r.new_rows,
    ready: r.ready,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** Registered datasets of one workspace. */
export class DatasetStore {
  constructor(
    private readonly db: Db,
    readonly workspace: string,
  ) {}

  async register(d: NewDataset): Promise<DatasetRecord> {
    const exists = await this.db
      .selectFrom("dataset")
      .select("id")
      .where("workspace", "=", this.workspace)
      .where("name", "=", d.name)
      .executeTakeFirst();
    if (exists) throw new ConflictError(`a dataset named "${d.name}" exists already`);
    const row = await this.db
      .insertInto("dataset")
      .values({ ...d, schema: json(d.schema), workspace: this.workspace })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** By id or by name. */
  async get(ref: number | string): Promise<DatasetRecord> {
    let q = this.db.selectFrom("dataset").selectAll().where("workspace", "=", this.workspace);
    q = typeof ref === "number" ? q.where("id", "=", ref) : q.where("name", "=", ref);
    const row = await q.executeTakeFirst();
    if (!row) throw new NotFoundError("dataset", String(ref));
    return toRecord(row);
  }

  /** Newest first; `name` matches a part of the name (case-insensitive). */
  async list(
    options: { limit?: number; offset?: number; name?: string; ready?: boolean } = {},
  ): Promise<DatasetRecord[]> {
    let q = this.db.selectFrom("dataset").selectAll().where("workspace", "=", this.workspace);
    if (options.name) q = q.where("name", "ilike", `%${options.name.replace(/[\\%_]/g, "\\$&")}%`);
    if (options.ready !== undefined) q = q.where("ready", "=", options.ready);
    const rows = await q
      .orderBy("id", "desc")
      .limit(Math.min(Math.max(options.limit ?? 100, 1), 500))
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toRecord);
  }

  /** Records that the dataset now has `total` rows and a new fingerprint after `added` rows were appended. */
  async appended(
    id: number,
    added: number,
    update: { rows: number; fingerprint: string },
  ): Promise<DatasetRecord> {
    const row = await this.db
      .updateTable("dataset")
      .set((eb) => ({
        new_rows: eb("new_rows", "+", added),
        rows: update.rows,
        fingerprint: update.fingerprint,
        updated_at: new Date(),
      }))
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError("dataset", String(id));
    return toRecord(row);
  }

  /** Resets the new-rows counter (after a training on the dataset). */
  async resetNewRows(id: number): Promise<void> {
    await this.db
      .updateTable("dataset")
      .set({ new_rows: 0 })
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .execute();
  }

  /** Marks the dataset ready (or not) for training. */
  async markReady(id: number, ready = true): Promise<DatasetRecord> {
    const row = await this.db
      .updateTable("dataset")
      .set({ ready, updated_at: new Date() })
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError("dataset", String(id));
    return toRecord(row);
  }
}
