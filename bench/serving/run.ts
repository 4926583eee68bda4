// `npm run bench -- serving`: the HTTP server under load over loopback (autocannon).
// 1. single-row POST /v1/models/admit/predict on a 100-tree random forest (issue 7: ≥ 5,000 req/s,
//    p99 < 5 ms on this 2-core machine);
// 2. GET /healthz while a training job runs on the embedded queue's worker thread (p99 < 20 ms).
// The server runs in its own process; autocannon runs here.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { ADMISSIONS_ROW } from "../../examples/sample-rows.js";
import { Registry } from "../../src/registry/index.js";
import { Trainer } from "../../src/training/trainer.js";
import { numberArg, ROOT } from "../common.js";

const ADMISSIONS = resolve(ROOT, "examples/admissions.csv");
const ROW = ADMISSIONS_ROW;

interface Load {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  total: number;
}

async function load(options: autocannon.Options): Promise<Load> {
  const r = await autocannon(options);
  return {
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    total: r.requests.total,
  };
}

/** CPU time (user + system, ms) a process has used, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Load plus the server's CPU time per request: a figure that other load on the machine hardly moves. */
async function measured(
  pid: number,
  options: autocannon.Options,
): Promise<Load & { serverCpuUsPerRequest: number }> {
  const before = cpuMs(pid);
  const r = await load(options);
  const used = cpuMs(pid) - before;
  return { ...r, serverCpuUsPerRequest: Math.round((used * 1000) / Math.max(r.total, 1)) };
}

async function startServer(home: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", resolve(import.meta.dirname, "server.ts"), home],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((ok, fail) => {
    child.once("exit", (code) => fail(new Error(`server exited with ${code}`)));
    lines.once("line", (line) => ok((JSON.parse(line) as { url: string }).url));
  });
  return { url, child };
}

async function json(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const res = await fetch(url, init);
  return (await res.json()) as Record<string, unknown>;
}

export async function main(args: readonly string[]): Promise<void> {
  const duration = numberArg(args, "duration", 10);
  const connections = numberArg(args, "connections", 8);
  const loadAtStart = loadavg()[0];
  const home = mkdtempSync(join(tmpdir(), "trainyard-bench-serving-"));
  try {
    // A 100-tree forest, trained and activated before the server starts.
    const registry = await Registry.open({ home, url: undefined });
    await new Trainer({ registry }).run({
      dataset: { path: ADMISSIONS },
      target: "admitted",
      algorithms: ["random_forest"],
      hyperparameters: { random_forest: { nEstimators: 100 } },
      model: { name: "admit", version: "rf100", activate: true },
    });
    await registry.close();

    const { url, child } = await startServer(home);
    try {
      const body = JSON.stringify({ rows: [ROW] });
      const predictUrl = `${url}/v1/models/admit/predict`;
      const check = await json(predictUrl, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      if (!Array.isArray(check.predictions)) throw new Error(`predict failed: ${JSON.stringify(check)}`);
      const request = { method: "POST" as const, body, headers: { "content-type": "application/json" } };
      await load({ url: predictUrl, ...request, connections, duration: 3 }); // warm-up (JIT, caches)
      const pid = child.pid as number;
      const predict = await measured(pid, { url: predictUrl, ...request, connections, duration });
      console.log(`predict, 1 row, ${connections} connections, ${duration} s:`, predict);

      // Health while training: a job long enough to outlast the measurement (random search of 20
      // trials × 5-fold CV over two ensembles) on the queue's worker thread; cancelled after.
      const job = await json(`${url}/v1/train`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          dataset: { path: ADMISSIONS },
          target: "admitted",
          algorithms: ["random_forest", "gradient_boosting"],
          hyperparameters: { random_forest: { nEstimators: 300 } },
          tuning: { method: "random", trials: 20 },
          cvFolds: 5,
          model: { name: "busy", activate: false },
        }),
      });
      const jobUrl = `${url}/v1/jobs/${job.jobId}`;
      for (let i = 0; i < 200; i++) {
        if ((await json(jobUrl)).status === "RUNNING") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const health = await measured(pid, { url: `${url}/healthz`, connections: 4, duration });
      const after = await json(jobUrl);
      console.log(`healthz while training (job ${after.status}, ${after.progress}%):`, health);
      if (after.status !== "RUNNING")
        console.warn("warning: the training job ended before the measurement did");
      await fetch(jobUrl, { method: "DELETE" });

      const result = {
        bench: "serving",
        date: new Date().toISOString(),
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        loadAverageAtStart: loadAtStart,
        node: process.version,
        durationSeconds: duration,
        connections,
        predict,
        healthWhileTraining: { ...health, jobStatusAfter: after.status },
        targets: {
          predictRps: predict.requestsPerSecond >= 5000,
          predictP99: predict.p99 < 5,
          healthP99: health.p99 < 20,
        },
      };
      console.log(JSON.stringify(result.targets));
      const dir = join(ROOT, "bench/results");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "serving.json"), `${JSON.stringify(result, null, 2)}\n`);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
