import type { JobEvent, JobQueue } from "../../src/jobs/queue.js";

/**
 * A queue that only records jobs (QUEUED rows in the real registry) and relays events a test
 * emits: what both engines do on enqueue, enough for the API's and continuous training's
 * contracts; the engines have their own suite.
 */
export class RecordingQueue implements JobQueue {
  readonly engine = "embedded" as const;
  private readonly listeners = new Set<(e: JobEvent) => void>();
  enqueue: JobQueue["enqueue"] = (registry, job) => registry.jobs.create(job);
  cancel: JobQueue["cancel"] = (registry, id) => registry.jobs.requestCancel(id);
  depth = async () => 0;
  subscribe(listener: (e: JobEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: JobEvent) {
    for (const l of this.listeners) l(e);
  }
  close = async () => {};
}
