import { rmSync } from "node:fs";
import { EmbeddedQueue } from "../../src/jobs/index.js";
import { Registry } from "../../src/registry/index.js";
import { freshHome } from "../helpers/home.js";
import { jobQueueContract } from "./contract.js";

const home = freshHome("trainyard-embedded-");

jobQueueContract({
  name: "embedded (PGlite)",
  openRegistry: () => Registry.open({ home }),
  async start(registry, options) {
    const queue = new EmbeddedQueue({ registry, pollMs: 100, ...options });
    await queue.start();
    return { queue, stop: (graceMs) => queue.close({ graceMs }) };
  },
  async cleanup() {
    rmSync(home, { recursive: true, force: true });
  },
});
