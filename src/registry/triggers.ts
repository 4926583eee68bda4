import type { Db } from "./database.js";

/** Retraining triggers: new rows, model age, dataset marked ready. */
export class TriggerStore {
  constructor(
    readonly db: Db,
    readonly workspace: string,
  ) {}
}
