import type { Selectable } from "kysely";
import type { Db } from "./database.js";
import type { ValidationDecision, ValidationEventTable } from "./tables.js";

export type { ValidationDecision };

/** One champion/challenger decision: both scores on the same held-out rows, and why. */
export interface ValidationRecord {
  id: number;
  modelName: string;
  jobId: string | null;
  metric: string;
  championVersionId: number | null;
  challengerVersionId: number | null;
  championScore: number | null;
  challengerScore: number | null;
  margin: number;
  decision: ValidationDecision;
  reason: string;
  at: Date;
}

export type NewValidation = Omit<ValidationRecord, "id" | "at">;

function toRecord(r: Selectable<ValidationEventTable>): ValidationRecord {
  return {
    id: r.id,
    modelName: r.model_name,
    jobId: r.job_id,
    metric: r.metric,
    championVersionId: r.champion_version_id,
    challengerVersionId: r.challenger_version_id,
    championScore: r.champion_score,
    challengerScore: r.challenger_score,
    margin: r.margin,
    decision: r.decision,
    reason: r.reason,
    at: new Date(r.at),
  };
}

/** Champion/challenger decisions on retrained models. */
export class ValidationStore {
  constructor(
    readonly db: Db,
    readonly workspace: string,
  ) {}

  async record(v: NewValidation): Promise<ValidationRecord> {
    const row = await this.db
      .insertInto("validation_event")
      .values({
        workspace: this.workspace,
        model_name: v.modelName,
        job_id: v.jobId,
        metric: v.metric,
        champion_version_id: v.championVersionId,
        challenger_version_id: v.challengerVersionId,
        champion_score: v.championScore,
        challenger_score: v.challengerScore,
        margin: v.margin,
        decision: v.decision,
        reason: v.reason,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** Newest first, optionally of one model or one job. */
  async list(options: { modelName?: string; jobId?: string; limit?: number; offset?: number } = {}) {
    let q = this.db.selectFrom("validation_event").selectAll().where("workspace", "=", this.workspace);
    if (options.modelName) q = q.where("model_name", "=", options.modelName);
    if (options.jobId) q = q.where("job_id", "=", options.jobId);
    const rows = await q
      .orderBy("at", "desc")
      .orderBy("id", "desc")
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toRecord);
  }
}
