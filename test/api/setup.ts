import { rmSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { type AppDeps, buildApp } from "../../src/api/app.js";
import { Registry } from "../../src/registry/index.js";
import { ModelCache } from "../../src/serving/cache.js";
import { freshHome } from "../helpers/home.js";
import { RecordingQueue } from "../helpers/recording-queue.js";

export { RecordingQueue };

export interface TestApp {
  app: FastifyInstance;
  registry: Registry;
  deps: AppDeps;
  home: string;
  close(): Promise<void>;
}

export async function openApp(overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const home = freshHome("trainyard-api-");
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
