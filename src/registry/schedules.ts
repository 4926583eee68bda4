import type { Db } from "./database.js";

/** Cron schedules that start (re)training, and the ticks they fired (one per tick across replicas). */
export class ScheduleStore {
  constructor(
    readonly db: Db,
    readonly workspace: string,
  ) {}
}
