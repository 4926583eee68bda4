import { existsSync, readdirSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import type { ContinuousTraining } from "../jobs/continuous.js";
import type { JobQueue } from "../jobs/queue.js";
import { ConflictError } from "../registry/errors.js";
import type { Registry } from "../registry/registry.js";
import { integerOption, parseCommandArgs, UsageError } from "./args.js";
import type { Command } from "./command.js";
import { openRegistry, waitForSignal } from "./context.js";
import type { CliIo } from "./output.js";

const HELP = `Usage: trainyard serve [options]

Serves the REST API (OpenAPI docs at /docs) on the registry: datasets, training jobs, models,
predictions, schedules, triggers and notifications. Without Redis, training jobs run on this
process's worker threads; with Redis (TRAINYARD_REDIS_URL), \`trainyard worker\` processes run them.
Stops on SIGTERM or SIGINT: no new requests or jobs, running jobs get the grace period, then
are re-queued.

Options:
  -p, --port N               port (default PORT or 8080; 0 picks a free one)
      --host H               interface (default HOST or 127.0.0.1)
      --redis URL            run jobs through Redis/BullMQ (default TRAINYARD_REDIS_URL)
      --queue NAME           BullMQ queue name (default trainyard-training)
  -c, --concurrency N        jobs at once in this process, embedded engine (default 1)
      --grace S              seconds running jobs get at shutdown (default 30)
      --examples DIR         register the CSV files under DIR as datasets (default ./examples
                             when it exists; already registered names are kept)
      --no-examples          do not register example datasets
      --schedule-interval MS how often schedules are looked at (default 15000)
      --trigger-interval MS  how often triggers are checked (default 60000)
      --heartbeat MS         job and worker heartbeat (default 2000)
      --stale-after MS       a running job silent this long has a dead worker (default 30000)
      --log-requests         log every request (JSON lines on stderr)
  -h, --help                 show this help

Environment: DATABASE_URL (PostgreSQL; else the embedded database under TRAINYARD_HOME,
default ./.trainyard), TRAINYARD_HOME, TRAINYARD_WORKSPACE, TRAINYARD_ARTIFACTS=database,
TRAINYARD_REDIS_URL, TRAINYARD_SMTP_URL and TRAINYARD_SMTP_FROM (e-mail notifications).
`;

const EXAMPLE_EXTENSIONS = [".csv", ".tsv", ".jsonl", ".parquet"];

/** The data files under `dir`, with dataset names from their relative paths (fincoach/goals.csv → fincoach_goals). */
function exampleFiles(dir: string): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (EXAMPLE_EXTENSIONS.some((e) => entry.name.endsWith(e))) {
        const name = relative(dir, path)
          .replace(/\.[^.]+$/, "")
          .replace(/[^A-Za-z0-9_.-]+/g, "_");
        out.push({ name, path });
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * Registers each example file not registered yet, as a copy under `<home>/examples` (appending
 * rows through the API must not change the checkout's files); returns how many were added.
 */
async function registerExamples(registry: Registry, dir: string, home: string): Promise<number> {
  const { describeFile } = await import("../api/dataset-files.js");
  const known = new Set((await registry.datasets.list({ limit: 500 })).map((d) => d.name));
  let added = 0;
  for (const f of exampleFiles(dir)) {
    if (known.has(f.name)) continue;
    const copy = join(home, "examples", relative(dir, f.path));
    await mkdir(dirname(copy), { recursive: true });
    await copyFile(f.path, copy);
    try {
      await registry.datasets.register(await describeFile(f.name, copy));
      added++;
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e; // another replica registered it first
    }
  }
  return added;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("serve", argv, {
    port: { type: "string", short: "p" },
    host: { type: "string" },
    redis: { type: "string" },
    queue: { type: "string" },
    concurrency: { type: "string", short: "c" },
    grace: { type: "string" },
    examples: { type: "string" },
    "no-examples": { type: "boolean" },
    "schedule-interval": { type: "string" },
    "trigger-interval": { type: "string" },
    heartbeat: { type: "string" },
    "stale-after": { type: "string" },
    "log-requests": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}" (see trainyard serve --help)`);
  const env = io.env ?? process.env;
  const str = (v: string | boolean | undefined) => (typeof v === "string" ? v : undefined);
  const port = integerOption("port", str(values.port) ?? env.PORT) ?? 8080;
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const host = str(values.host) ?? env.HOST ?? "127.0.0.1";
  const redisUrl = str(values.redis) ?? (env.TRAINYARD_REDIS_URL || undefined);
  const concurrency = integerOption("concurrency", values.concurrency) ?? 1;
  if (concurrency < 1) throw new UsageError("--concurrency must be at least 1");
  const graceMs = (integerOption("grace", values.grace) ?? 30) * 1000;
  const examplesDir = values["no-examples"]
    ? null
    : str(values.examples)
      ? resolve(str(values.examples) as string)
      : existsSync("examples")
        ? resolve("examples")
        : null;
  if (examplesDir && !existsSync(examplesDir)) throw new UsageError(`--examples: no folder ${examplesDir}`);

  // The server's modules load here, not with the CLI: other commands start without them.
  const [
    { buildApp },
    { ContinuousTraining },
    { createQueue },
    { trainyardHome },
    { ModelCache },
    { stderrLogger },
  ] = await Promise.all([
    import("../api/app.js"),
    import("../jobs/continuous.js"),
    import("../jobs/factory.js"),
    import("../registry/database.js"),
    import("../serving/cache.js"),
    import("../training/logger.js"),
  ]);
  const home = trainyardHome(env.TRAINYARD_HOME || undefined);
  const registry = await openRegistry(env);
  let queue: JobQueue | null = null;
  let continuous: ContinuousTraining | null = null;
  try {
    queue = await createQueue({
      registry,
      redisUrl,
      queueName: str(values.queue),
      concurrency,
      heartbeatMs: integerOption("heartbeat", values.heartbeat),
      staleMs: integerOption("stale-after", values["stale-after"]),
    });
    continuous = new ContinuousTraining({
      registry,
      queue,
      scheduleIntervalMs: integerOption("schedule-interval", values["schedule-interval"]),
      triggerIntervalMs: integerOption("trigger-interval", values["trigger-interval"]),
      smtpUrl: env.TRAINYARD_SMTP_URL || undefined,
      from: env.TRAINYARD_SMTP_FROM || undefined,
      onError: (e) => io.stderr.write(`trainyard: ${e instanceof Error ? e.message : String(e)}\n`),
    });
    const watcher = continuous;
    const app = await buildApp({
      registry,
      queue,
      cache: new ModelCache(),
      uploadDir: join(home, "uploads"),
      logger: values["log-requests"] ? stderrLogger("info") : false,
      onAppend: async (dataset) => {
        await watcher.onDatasetAppended(registry, dataset.id);
      },
      onReady: async (dataset) => {
        await watcher.onDatasetAppended(registry, dataset.id);
      },
    });
    if (examplesDir) {
      const added = await registerExamples(registry, examplesDir, home);
      if (added > 0) io.stderr.write(`trainyard: registered ${added} example datasets from ${examplesDir}\n`);
    }
    continuous.start();
    const address = await app.listen({ port, host });
    const engine =
      queue.engine === "bullmq" ? "jobs on Redis (trainyard worker)" : `jobs in-process ×${concurrency}`;
    io.stdout.write(`trainyard: listening on ${address} (API /v1, docs ${address}/docs; ${engine})\n`);

    const signal = await waitForSignal();
    io.stderr.write(`trainyard: ${signal}: stopping (running jobs get ${graceMs / 1000} s)\n`);
    await app.close();
  } finally {
    await continuous?.stop();
    await queue?.close({ graceMs });
    await registry.close();
  }
  return 0;
}

export const serveCommand: Command = {
  name: "serve",
  summary: "serve the REST API, run jobs, schedules and triggers",
  help: HELP,
  run,
};
