// The server under test, in its own process: `tsx bench/serving/server.ts HOME`. Prints
// {"url": …} on stdout once listening; stops on SIGTERM.
import { join } from "node:path";
import { buildApp } from "../../src/api/app.js";
import { createQueue } from "../../src/jobs/index.js";
import { Registry } from "../../src/registry/index.js";
import { ModelCache } from "../../src/serving/cache.js";

const home = process.argv[2];
if (!home) throw new Error("usage: server.ts HOME");
const registry = await Registry.open({ home, url: undefined });
const queue = await createQueue({ registry, concurrency: 1 });
const app = await buildApp({
  registry,
  queue,
  cache: new ModelCache(),
  uploadDir: join(home, "uploads"),
  logger: false,
});
const url = await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on("SIGTERM", async () => {
  await app.close();
  await queue.close({ graceMs: 1000 });
  await registry.close();
  process.exit(0);
});
