import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { type AppDeps, buildApp } from "../../src/api/app.js";
import type { JobEvent, JobQueue } from "../../src/jobs/queue.js";
import { Registry } from "../../src/registry/index.js";
import { ModelCache } from "../../src/serving/cache.js";

/**
 * A queue that only records jobs (QUEUED rows in the real registry) and relays events a test
 * emits: enough for the API's contract; the engines have their own suite.
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

export interface TestApp {
  app: FastifyInstance;
  registry: Registry;
  deps: AppDeps;
  home: string;
  close(): Promise<void>;
}

export async function openApp(overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const home = mkdtempSync(join(tmpdir(), "trainyard-api-"));
  const registry = await Registry.open({ home, url: undefined });
  const deps: AppDeps = {
    registry,
    queue: new RecordingQueue(),
    cache: new ModelCache(),
    uploadDir: join(home, "uploads"),
    logger: false,
    ...overrides,
  };
  const app = await buildApp(deps);
  return {
    app,
    registry,
    deps,
    home,
    async close() {
      await app.close();
      await registry.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
