import { parentPort } from "node:worker_threads";
import { serializeError } from "./errors.js";
import { transferables } from "./transfer.js";

/**
 * A pool worker: runs one task at a time, `await (await import(module))[fn](args)`, and posts
 * the value back (its non-shared typed arrays transferred, not copied).
 */
export interface TaskMessage {
  readonly id: number;
  readonly module: string;
  readonly fn: string;
  readonly args: unknown;
}

const port = parentPort;
if (port) {
  port.on("message", async (msg: TaskMessage) => {
    try {
      const mod = (await import(msg.module)) as Record<string, unknown>;
      const fn = mod[msg.fn];
      if (typeof fn !== "function") throw new Error(`${msg.module} has no function ${msg.fn}`);
      const value: unknown = await fn(msg.args);
      port.postMessage({ id: msg.id, ok: true, value }, transferables(value));
    } catch (e) {
      port.postMessage({ id: msg.id, ok: false, error: serializeError(e) });
    }
  });
}
