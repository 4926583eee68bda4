export { defaultJobs, type RunOptions, sharedPool, siblingModule, WorkerPool } from "./pool.js";
export { toShared } from "./transfer.js";
