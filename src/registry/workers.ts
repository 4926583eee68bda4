import type { Db } from "./database.js";

/** Processes that execute jobs (embedded threads or BullMQ workers) and their heartbeats. */
export class WorkerStore {
  constructor(
    readonly db: Db,
    readonly workspace: string,
  ) {}
}
