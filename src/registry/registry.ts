import { join } from "node:path";
import { type ArtifactStore, DatabaseArtifactStore, LocalArtifactStore } from "./artifacts.js";
import { AuditLog } from "./audit.js";
import { type DatabaseOptions, type Db, openDatabase, trainyardHome } from "./database.js";
import { DatasetStore } from "./datasets.js";
import { JobStore } from "./jobs.js";
import { ModelStore } from "./models.js";
import { RunStore } from "./runs.js";
import { ScheduleStore } from "./schedules.js";
import { SubscriptionStore } from "./subscriptions.js";
import { TriggerStore } from "./triggers.js";
import { ValidationStore } from "./validations.js";
import { WorkerStore } from "./workers.js";

export interface RegistryOptions extends DatabaseOptions {
  /** Default "default". */
  workspace?: string;
  /** "local" (files under `<home>/artifacts`, the default) or "database" (rows in the metadata database). */
  artifacts?: "local" | "database";
}

/** The metadata database and artifact store, seen from one workspace. */
export class Registry {
  readonly runs: RunStore;
  readonly models: ModelStore;
  readonly datasets: DatasetStore;
  readonly audit: AuditLog;
  readonly jobs: JobStore;
  readonly workers: WorkerStore;
  readonly schedules: ScheduleStore;
  readonly triggers: TriggerStore;
  readonly validations: ValidationStore;
  readonly subscriptions: SubscriptionStore;

  private constructor(
    readonly db: Db,
    readonly artifacts: ArtifactStore,
    readonly workspace: string,
  ) {
    this.runs = new RunStore(db, workspace);
    this.models = new ModelStore(db, workspace);
    this.datasets = new DatasetStore(db, workspace);
    this.audit = new AuditLog(db, workspace);
    this.jobs = new JobStore(db, workspace);
    this.workers = new WorkerStore(db, workspace);
    this.schedules = new ScheduleStore(db, workspace);
    this.triggers = new TriggerStore(db, workspace);
    this.validations = new ValidationStore(db, workspace);
    this.subscriptions = new SubscriptionStore(db, workspace);
  }

  static async open(options: RegistryOptions = {}): Promise<Registry> {
    const db = await openDatabase(options);
    const workspace = options.workspace ?? "default";
    await db
      .insertInto("workspace")
      .values({ name: workspace })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const store =
      options.artifacts === "database"
        ? new DatabaseArtifactStore(db)
        : new LocalArtifactStore(join(trainyardHome(options.home), "artifacts"));
    return new Registry(db, store, workspace);
  }

  /** The same database and store, another workspace (created on first use). */
  async inWorkspace(workspace: string): Promise<Registry> {
    await this.db
      .insertInto("workspace")
      .values({ name: workspace })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return new Registry(this.db, this.artifacts, workspace);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
