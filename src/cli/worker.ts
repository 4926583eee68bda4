import { integerOption, parseCommandArgs, UsageError } from "./args.js";
import type { Command } from "./command.js";
import { openRegistry, waitForSignal } from "./context.js";
import type { CliIo } from "./output.js";

const HELP = `Usage: trainyard worker [options]

Runs training jobs from the Redis queue (the BullMQ engine) until SIGTERM or SIGINT, then lets
running jobs finish within the grace period and re-queues the rest. Any number of workers, on any
machines sharing the database and the artifact store, may run at once.

Options:
      --redis URL             Redis (default TRAINYARD_REDIS_URL)
  -c, --concurrency N         jobs at once, each on its own thread (default 1)
      --queue NAME            BullMQ queue name (default trainyard-training)
      --grace S               seconds running jobs get at shutdown (default 30)
      --heartbeat MS          job and worker heartbeat (default 2000)
      --stale-after MS        a job silent this long has a dead worker (default 30000)
      --lock-duration MS      BullMQ lock of a running job (default 30000)
      --stalled-interval MS   how often dead workers' jobs are looked for (default 30000)
  -h, --help                  show this help

Environment: DATABASE_URL (PostgreSQL; else the embedded database under TRAINYARD_HOME),
TRAINYARD_REDIS_URL, TRAINYARD_HOME, TRAINYARD_ARTIFACTS=database (model files in the database).
`;

function positive(name: string, value: string | boolean | undefined): number | undefined {
  const n = integerOption(name, value);
  if (n === 0) throw new UsageError(`--${name} must be at least 1`);
  return n;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("worker", argv, {
    redis: { type: "string" },
    concurrency: { type: "string", short: "c" },
    queue: { type: "string" },
    grace: { type: "string" },
    heartbeat: { type: "string" },
    "stale-after": { type: "string" },
    "lock-duration": { type: "string" },
    "stalled-interval": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}" (see trainyard worker --help)`);
  const env = io.env ?? process.env;
  const redisUrl = (typeof values.redis === "string" ? values.redis : undefined) || env.TRAINYARD_REDIS_URL;
  if (!redisUrl) {
    io.stderr.write(
      "trainyard: worker needs Redis: set TRAINYARD_REDIS_URL or pass --redis (without Redis, trainyard serve runs jobs itself)\n",
    );
    return 2;
  }
  const concurrency = positive("concurrency", values.concurrency) ?? 1;
  const graceMs = (integerOption("grace", values.grace) ?? 30) * 1000;
  if (!env.DATABASE_URL) {
    io.stderr.write(
      "trainyard worker: DATABASE_URL is not set; using the embedded database, which no other process (a server, another worker) may open meanwhile\n",
    );
  }
  const registry = await openRegistry(env);
  const { JobWorker } = await import("../jobs/bullmq.js");
  const worker = new JobWorker({
    registry,
    redisUrl,
    queueName: typeof values.queue === "string" ? values.queue : undefined,
    concurrency,
    heartbeatMs: positive("heartbeat", values.heartbeat),
    staleMs: positive("stale-after", values["stale-after"]),
    lockDurationMs: positive("lock-duration", values["lock-duration"]),
    stalledIntervalMs: positive("stalled-interval", values["stalled-interval"]),
  });
  worker.subscribe((e) => {
    if (e.type === "progress" || e.type === "log") return;
    io.stderr.write(
      `${JSON.stringify({ at: e.at.toISOString(), event: e.type, job: e.jobId, message: e.message ?? undefined })}\n`,
    );
  });
  try {
    await worker.start();
  } catch (e) {
    await registry.close();
    throw new Error(`cannot start the worker: ${e instanceof Error ? e.message : String(e)}`);
  }
  io.stderr.write(`trainyard worker ${worker.id}: taking jobs (concurrency ${concurrency})\n`);
  await waitForSignal();
  io.stderr.write(`trainyard worker ${worker.id}: stopping (grace ${graceMs / 1000} s)\n`);
  try {
    await worker.stop({ graceMs });
  } finally {
    await registry.close();
  }
  return 0;
}

export const workerCommand: Command = {
  name: "worker",
  summary: "run training jobs from the Redis queue (BullMQ)",
  help: HELP,
  run,
};
