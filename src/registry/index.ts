export * from "./artifacts.js";
export * from "./audit.js";
export * from "./continuous-input.js";
export * from "./database.js";
export * from "./datasets.js";
export * from "./errors.js";
export * from "./jobs.js";
export * from "./models.js";
export * from "./registry.js";
export * from "./runs.js";
export * from "./schedules.js";
export * from "./subscriptions.js";
export type { RunStatus } from "./tables.js";
export * from "./triggers.js";
export * from "./validations.js";
export * from "./workers.js";

import { setDefaultTrainingStore } from "../training/store.js";
import { Registry } from "./registry.js";

// Training code records into the embedded registry unless given another one.
setDefaultTrainingStore(() => Registry.open());
