import type { JsonObject } from "../ml/estimator.js";
import type { Db } from "./database.js";
import { json } from "./tables.js";

export interface AuditEvent {
  id: number;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: JsonObject;
  at: Date;
}

/** Who did what (train, activate, delete, …) in one workspace. */
export class AuditLog {
  constructor(
    private readonly db: Db,
    readonly workspace: string,
  ) {}

  async record(e: Omit<AuditEvent, "id" | "at" | "details"> & { details?: JsonObject }): Promise<void> {
    await this.db
      .insertInto("audit_event")
      .values({
        workspace: this.workspace,
        actor: e.actor,
        action: e.action,
        target_type: e.targetType,
        target_id: e.targetId,
        details: json(e.details ?? {}),
      })
      .execute();
  }

  async list(options: { action?: string; limit?: number; offset?: number } = {}): Promise<AuditEvent[]> {
    let q = this.db.selectFrom("audit_event").selectAll().where("workspace", "=", this.workspace);
    if (options.action) q = q.where("action", "=", options.action);
    const rows = await q
      .orderBy("id", "desc")
      .limit(Math.min(Math.max(options.limit ?? 100, 1), 500))
      .offset(options.offset ?? 0)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      actor: r.actor,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: r.details,
      at: new Date(r.at),
    }));
  }
}
