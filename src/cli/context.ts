import { TrainyardError } from "../data/errors.js";
import type { Registry } from "../registry/registry.js";

/**
 * The registry the CLI works on: `DATABASE_URL` (PostgreSQL) or the embedded database under
 * `TRAINYARD_HOME` (default ./.trainyard), workspace `TRAINYARD_WORKSPACE` (default "default");
 * model files under the home, or in the database with `TRAINYARD_ARTIFACTS=database`.
 */
export async function openRegistry(env: Record<string, string | undefined> = process.env): Promise<Registry> {
  try {
    // Loaded on first use: commands that need no registry start without it.
    const { Registry } = await import("../registry/registry.js");
    return await Registry.open({
      url: env.DATABASE_URL || undefined,
      home: env.TRAINYARD_HOME || undefined,
      workspace: env.TRAINYARD_WORKSPACE || undefined,
      artifacts: env.TRAINYARD_ARTIFACTS === "database" ? "database" : "local",
    });
  } catch (e) {
    if (e instanceof TrainyardError) throw e;
    const where = env.DATABASE_URL ? "the database at DATABASE_URL" : "the embedded database";
    throw new TrainyardError(`cannot open ${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Runs `f` with an open registry and closes it after, whatever happens. */
export async function withRegistry<T>(
  env: Record<string, string | undefined> | undefined,
  f: (r: Registry) => Promise<T>,
): Promise<T> {
  const registry = await openRegistry(env ?? process.env);
  try {
    return await f(registry);
  } finally {
    await registry.close();
  }
}

/** Resolves with the signal's name at the first SIGTERM or SIGINT (a long-running command's stop). */
export function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      resolve(signal);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
