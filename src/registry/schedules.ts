import { Cron } from "croner";
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
import { json, type ScheduleTable } from "./tables.js";

/** A cron schedule that starts a (re)training of its configuration. */
export interface ScheduleRecord {
  id: number;
  workspace: string;
  name: string;
  /** Five or six fields (seconds first when six), e.g. `0 1 * * 0` = Sundays 01:00. */
  cron: string;
  /** IANA time zone the cron is read in (default UTC). */
  timezone: string;
  enabled: boolean;
  modelName: string | null;
  config: JsonObject;
  conditions: RetrainConditions;
  promotion: Promotion;
  lastFiredAt: Date | null;
  createdAt: Date;
  /** Ticks before the last change never fire (a new or edited cron starts from now). */
  updatedAt: Date;
}

export interface NewSchedule {
  name: string;
  cron: string;
  timezone?: string;
  enabled?: boolean;
  modelName?: string | null;
  config: JsonObject;
  conditions?: RetrainConditions;
  promotion?: Partial<Promotion>;
}

export type SchedulePatch = Partial<NewSchedule>;

/** What the ticker decided for one tick of one schedule. */
export interface FiringRecord {
  scheduleId: number;
  tick: Date;
  decision: "claimed" | "fired" | "skipped" | "failed";
  reason: string;
  jobId: string | null;
  at: Date;
}

/** A cron expression read in a time zone; throws InvalidInputError naming `/cron` or `/timezone`. */
export function parseCron(cron: unknown, timezone: unknown = "UTC"): Cron {
  const problems: { path: string; message: string }[] = [];
  checkCron(cron, timezone, problems);
  if (problems.length > 0) throw new InvalidInputError("schedule", problems);
  return new Cron(cron as string, { timezone: timezone as string, paused: true });
}

function checkCron(cron: unknown, timezone: unknown, problems: { path: string; message: string }[]): void {
  let zoneOk = false;
  if (typeof timezone !== "string" || timezone.length === 0) {
    problems.push({ path: "/timezone", message: "must be an IANA time zone name, e.g. Europe/Berlin" });
  } else {
    try {
      new Intl.DateTimeFormat("en", { timeZone: timezone });
      zoneOk = true;
    } catch {
      problems.push({
        path: "/timezone",
        message: `${JSON.stringify(timezone)} is not an IANA time zone (e.g. UTC, Europe/Berlin)`,
      });
    }
  }
  if (typeof cron !== "string" || cron.trim().length === 0) {
    problems.push({ path: "/cron", message: "must be a cron expression, e.g. '0 1 * * 0'" });
    return;
  }
  try {
    const c = new Cron(cron, { timezone: zoneOk ? (timezone as string) : "UTC", paused: true });
    if (c.nextRun() === null) problems.push({ path: "/cron", message: "never fires" });
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^CronPattern: /, "") : String(e);
    problems.push({ path: "/cron", message: `${JSON.stringify(cron)} is not a cron expression: ${why}` });
  }
}

/** The latest tick at or before `now`, or null when none. */
export function latestTick(cron: Cron, now: Date): Date | null {
  // previousRuns excludes its reference: look from just after `now`.
  return cron.previousRuns(1, new Date(now.getTime() + 1))[0] ?? null;
}

function toRecord(r: Selectable<ScheduleTable>): ScheduleRecord {
  return {
    id: r.id,
    workspace: r.workspace,
    name: r.name,
    cron: r.cron,
    timezone: r.timezone,
    enabled: r.enabled,
    modelName: r.model_name,
    config: r.config,
    conditions: r.conditions as RetrainConditions,
    promotion: r.promotion as unknown as Promotion,
    lastFiredAt: r.last_fired_at === null ? null : new Date(r.last_fired_at),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** Splits a stored decision ("skipped: no condition holds") into its word and reason. */
function toFiring(r: {
  schedule_id: number;
  tick: Date | string;
  job_id: string | null;
  decision: string;
  at: Date;
}): FiringRecord {
  const colon = r.decision.indexOf(":");
  const word = (colon < 0 ? r.decision : r.decision.slice(0, colon)) as FiringRecord["decision"];
  return {
    scheduleId: r.schedule_id,
    tick: new Date(r.tick),
    decision: word,
    reason: colon < 0 ? "" : r.decision.slice(colon + 1).trim(),
    jobId: r.job_id,
    at: new Date(r.at),
  };
}

/** Validates a whole schedule (after a patch is applied); throws InvalidInputError. */
function validate(s: NewSchedule): NewSchedule & { timezone: string; promotion: Promotion } {
  const problems: { path: string; message: string }[] = [];
  checkName(s.name, problems);
  const timezone = s.timezone ?? "UTC";
  checkCron(s.cron, timezone, problems);
  const config = checkConfig(s.config, problems);
  const conditions = parseConditions(s.conditions, problems);
  const promotion = parsePromotion(s.promotion, problems);
  if (s.enabled !== undefined && typeof s.enabled !== "boolean")
    problems.push({ path: "/enabled", message: "must be true or false" });
  const modelName = s.modelName ?? null;
  if (modelName !== null) checkName(modelName, problems, "/modelName");
  if ((conditions.newRows || conditions.datasetReady) && configDatasetRef(config) === null) {
    problems.push({
      path: conditions.newRows ? "/conditions/newRows" : "/conditions/datasetReady",
      message: "needs a registered dataset: set config.dataset.datasetId",
    });
  }
  if (conditions.maxAgeDays && modelName === null && configModelName(config) === null) {
    problems.push({ path: "/conditions/maxAgeDays", message: "needs a model: set modelName" });
  }
  if (problems.length > 0) throw new InvalidInputError("schedule", problems);
  return { ...s, timezone, conditions, promotion, modelName };
}

/** The columns of a validated schedule, as inserted and updated. */
function columns(s: ReturnType<typeof validate>) {
  return {
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    enabled: s.enabled ?? true,
    model_name: s.modelName ?? null,
    config: json(s.config),
    conditions: json(s.conditions ?? {}),
    promotion: json(s.promotion),
  };
}

/** Cron schedules that start (re)training, and the ticks they fired (one per tick across replicas). */
export class ScheduleStore {
  constructor(
    readonly db: Db,
    readonly workspace: string,
  ) {}

  async create(input: NewSchedule): Promise<ScheduleRecord> {
    const s = validate(input);
    await this.assertNameFree(s.name);
    const row = await this.db
      .insertInto("schedule")
      .values({
        workspace: this.workspace,
        ...columns(s),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  private async assertNameFree(name: string, exceptId?: number): Promise<void> {
    let q = this.db
      .selectFrom("schedule")
      .select("id")
      .where("workspace", "=", this.workspace)
      .where("name", "=", name);
    if (exceptId !== undefined) q = q.where("id", "<>", exceptId);
    if (await q.executeTakeFirst()) throw new ConflictError(`a schedule named "${name}" exists already`);
  }

  /** By id, or by name. */
  async get(ref: number | string): Promise<ScheduleRecord> {
    let q = this.db.selectFrom("schedule").selectAll().where("workspace", "=", this.workspace);
    q = typeof ref === "number" ? q.where("id", "=", ref) : q.where("name", "=", ref);
    const row = await q.executeTakeFirst();
    if (!row) throw new NotFoundError("schedule", String(ref));
    return toRecord(row);
  }

  async list(
    options: { enabled?: boolean; modelName?: string; limit?: number; offset?: number } = {},
  ): Promise<ScheduleRecord[]> {
    let q = this.db.selectFrom("schedule").selectAll().where("workspace", "=", this.workspace);
    if (options.enabled !== undefined) q = q.where("enabled", "=", options.enabled);
    if (options.modelName) q = q.where("model_name", "=", options.modelName);
    const rows = await q
      .orderBy("id")
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toRecord);
  }

  /** Changes some fields; the whole result is validated again. Ticks before the change never fire. */
  async update(id: number, patch: SchedulePatch, now = new Date()): Promise<ScheduleRecord> {
    const current = await this.get(id);
    const merged: NewSchedule = {
      name: current.name,
      cron: current.cron,
      timezone: current.timezone,
      enabled: current.enabled,
      modelName: current.modelName,
      config: current.config,
      conditions: current.conditions,
      promotion: current.promotion,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    };
    const s = validate(merged);
    if (s.name !== current.name) await this.assertNameFree(s.name, id);
    const row = await this.db
      .updateTable("schedule")
      .set({ ...columns(s), updated_at: now })
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError("schedule", String(id));
    return toRecord(row);
  }

  async delete(id: number): Promise<void> {
    const r = await this.db
      .deleteFrom("schedule")
      .where("id", "=", id)
      .where("workspace", "=", this.workspace)
      .executeTakeFirst();
    if (r.numDeletedRows === 0n) throw new NotFoundError("schedule", String(id));
  }

  /** Enabled schedules of every workspace (what a ticker looks at). */
  async enabledEverywhere(): Promise<ScheduleRecord[]> {
    const rows = await this.db.selectFrom("schedule").selectAll().where("enabled", "=", true).execute();
    return rows.map(toRecord);
  }

  /**
   * Claims one tick of a schedule for this process. The primary key (schedule_id, tick) lets
   * exactly one of several replicas insert it: the others get false and do nothing.
   */
  async claimTick(scheduleId: number, tick: Date, now = new Date()): Promise<boolean> {
    const row = await this.db
      .insertInto("schedule_firing")
      .values({ schedule_id: scheduleId, tick, decision: "claimed", at: now })
      .onConflict((oc) => oc.columns(["schedule_id", "tick"]).doNothing())
      .returning("schedule_id")
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Records what a claimed tick led to; a fired tick also becomes the schedule's last firing. */
  async recordFiring(
    scheduleId: number,
    tick: Date,
    outcome: { decision: "fired" | "skipped" | "failed"; reason: string; jobId?: string | null },
  ): Promise<void> {
    await this.db
      .updateTable("schedule_firing")
      .set({
        decision: outcome.reason ? `${outcome.decision}: ${outcome.reason}` : outcome.decision,
        job_id: outcome.jobId ?? null,
      })
      .where("schedule_id", "=", scheduleId)
      .where("tick", "=", tick)
      .execute();
    if (outcome.decision === "fired") {
      await this.db
        .updateTable("schedule")
        .set({ last_fired_at: tick })
        .where("id", "=", scheduleId)
        .execute();
    }
  }

  /**
   * Forgets ticks recorded before `before`, except each schedule's latest (which keeps its tick
   * claimed). Returns how many were removed.
   */
  async pruneFirings(before: Date): Promise<number> {
    const r = await this.db
      .deleteFrom("schedule_firing as f")
      .where("f.at", "<", before)
      .where(({ eb, selectFrom }) =>
        eb(
          "f.tick",
          "<",
          selectFrom("schedule_firing as g")
            .select(({ fn }) => fn.max("g.tick").as("latest"))
            .whereRef("g.schedule_id", "=", "f.schedule_id"),
        ),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** A schedule's ticks, newest first. */
  async firings(id: number, options: { limit?: number; offset?: number } = {}): Promise<FiringRecord[]> {
    await this.get(id);
    const rows = await this.db
      .selectFrom("schedule_firing")
      .selectAll()
      .where("schedule_id", "=", id)
      .orderBy("tick", "desc")
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toFiring);
  }
}
