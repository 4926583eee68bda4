import type { Selectable } from "kysely";
import type { Db } from "./database.js";
import { json, type WorkerTable } from "./tables.js";

/** A process that executes jobs, as it last reported itself. */
export interface WorkerRecord {
  id: string;
  /** "embedded" (threads in a server process) or "bullmq" (`trainyard worker`). */
  engine: string;
  host: string;
  pid: number;
  concurrency: number;
  /** "running", "stopping" or "stopped". */
  state: string;
  currentJobs: string[];
  startedAt: Date;
  heartbeatAt: Date;
}

function toRecord(r: Selectable<WorkerTable>): WorkerRecord {
  return {
    id: r.id,
    engine: r.engine,
    host: r.host,
    pid: r.pid,
    concurrency: r.concurrency,
    state: r.state,
    currentJobs: r.current_jobs,
    startedAt: new Date(r.started_at),
    heartbeatAt: new Date(r.heartbeat_at),
  };
}

/**
 * Processes that execute jobs (embedded threads or BullMQ workers) and their heartbeats. Workers
 * serve every workspace, so these rows are not scoped to one.
 */
export class WorkerStore {
  constructor(
    readonly db: Db,
    readonly workspace: string,
  ) {}

  /** Records a worker that starts now (or again, under the same id). */
  async register(w: {
    id: string;
    engine: string;
    host: string;
    pid: number;
    concurrency: number;
  }): Promise<WorkerRecord> {
    const values = {
      id: w.id,
      engine: w.engine,
      host: w.host,
      pid: w.pid,
      concurrency: w.concurrency,
      state: "running",
      current_jobs: json([]),
      started_at: new Date(),
      heartbeat_at: new Date(),
    };
    const row = await this.db
      .insertInto("worker")
      .values(values)
      .onConflict((oc) => oc.column("id").doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** The worker is alive and runs `currentJobs`. */
  async heartbeat(id: string, currentJobs: readonly string[], state?: string): Promise<void> {
    await this.db
      .updateTable("worker")
      .set({
        heartbeat_at: new Date(),
        current_jobs: json(currentJobs),
        ...(state !== undefined ? { state } : {}),
      })
      .where("id", "=", id)
      .execute();
  }

  /** The worker has stopped (a graceful shutdown). */
  async stopped(id: string): Promise<void> {
    await this.db
      .updateTable("worker")
      .set({ state: "stopped", current_jobs: json([]), heartbeat_at: new Date() })
      .where("id", "=", id)
      .execute();
  }

  async get(id: string): Promise<WorkerRecord | null> {
    const row = await this.db.selectFrom("worker").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /**
   * Workers, most recently heard from first; `aliveWithinMs` keeps those not stopped that beat
   * within that many milliseconds.
   */
  async list(options: { aliveWithinMs?: number; limit?: number } = {}): Promise<WorkerRecord[]> {
    let q = this.db.selectFrom("worker").selectAll();
    if (options.aliveWithinMs !== undefined) {
      q = q
        .where("state", "!=", "stopped")
        .where("heartbeat_at", ">=", new Date(Date.now() - options.aliveWithinMs));
    }
    const rows = await q
      .orderBy("heartbeat_at", "desc")
      .limit(Math.min(Math.max(options.limit ?? 100, 1), 1000))
      .execute();
    return rows.map(toRecord);
  }

  /** Forgets workers not heard from since `before` (housekeeping). */
  async prune(before: Date): Promise<number> {
    const r = await this.db.deleteFrom("worker").where("heartbeat_at", "<", before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
