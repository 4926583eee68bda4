import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BullMQQueue, JobWorker } from "../../src/jobs/index.js";
import { Registry } from "../../src/registry/index.js";
import { CANCER, jobQueueContract, medium, runsOf, waitFinal, waitFor } from "./contract.js";

const REDIS = process.env.TRAINYARD_TEST_REDIS_URL;
const PG = process.env.TRAINYARD_TEST_DATABASE_URL;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function ioredisMissing(): boolean {
  try {
    createRequire(createRequire(import.meta.url).resolve("bullmq")).resolve("ioredis");
    return false;
  } catch {
    return true;
  }
}

const skip = !REDIS
  ? "TRAINYARD_TEST_REDIS_URL is not set"
  : !PG
    ? "TRAINYARD_TEST_DATABASE_URL is not set (worker processes share a PostgreSQL database)"
    : ioredisMissing()
      ? "the ioredis package (BullMQ's Redis client) is not installed"
      : null;

/** A fresh PostgreSQL database and artifact folder for this file, dropped after. */
function postgres(adminUrl: string) {
  const name = `trainyard_jobs_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const home = mkdtempSync(join(tmpdir(), "trainyard-bullmq-"));
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  let created = false;
  return {
    url: url.toString(),
    home,
    async open() {
      if (!created) await admin(`create database ${name}`);
      created = true;
      return Registry.open({ url: url.toString(), home });
    },
    async cleanup() {
      if (created) await admin(`drop database if exists ${name} with (force)`);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

if (skip) {
  console.log(`BullMQ engine tests skipped: ${skip}`);
  describe("job queue contract: bullmq", () => {
    it.skip(`needs Redis, PostgreSQL and ioredis (${skip})`, () => undefined);
  });
} else {
  const redisUrl = REDIS as string;
  const queueName = `trainyard-test-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  const db = postgres(PG as string);
  const worker = {
    lockDurationMs: 2000,
    stalledIntervalMs: 1000,
    reconcileMs: 1000,
  };

  jobQueueContract({
    name: "bullmq (Redis + PostgreSQL)",
    openRegistry: () => db.open(),
    async start(registry, options) {
      const queue = new BullMQQueue({ registry, redisUrl, queueName });
      await queue.ready();
      const w = new JobWorker({ registry, redisUrl, queueName, ...worker, ...options });
      await w.start();
      return {
        queue,
        async stop(graceMs) {
          await w.stop({ graceMs });
          await queue.close();
        },
      };
    },
    // The worker-process tests below share the database and queue; both go at the end of the file.
    async cleanup() {},
  });

  afterAll(async () => {
    const q = new Queue(queueName, { connection: { url: redisUrl } });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
    await db.cleanup();
  });

  describe("trainyard worker processes", () => {
    let r: Registry;
    const children: ChildProcess[] = [];
    beforeAll(async () => {
      r = await db.open();
    }, 60_000);
    afterAll(async () => {
      for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
      await r?.close();
    });

    function startWorker(...extra: string[]): ChildProcess {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/cli/main.ts",
          "worker",
          "--redis",
          redisUrl,
          "--queue",
          queueName,
          "--heartbeat",
          "200",
          "--stale-after",
          "1500",
          "--lock-duration",
          "2000",
          "--stalled-interval",
          "1000",
          ...extra,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: db.url, TRAINYARD_HOME: db.home },
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      children.push(child);
      return child;
    }

    it("a worker killed with SIGKILL mid-job: the job completes on another worker, one COMPLETED run set", async () => {
      const child = startWorker();
      let stderr = "";
      child.stderr?.on("data", (d) => {
        stderr += String(d);
      });
      const producer = new BullMQQueue({ registry: r, redisUrl, queueName });
      await producer.ready();
      const job = await producer.enqueue(r, {
        config: {
          dataset: { path: CANCER },
          target: "target",
          algorithms: ["random_forest"],
          tuning: { method: "random", trials: 4 },
          cvFolds: 3,
          model: { name: "killed-mid-job" },
        },
      });
      const running = await waitFor("the child worker to train", async () => {
        const j = await r.jobs.get(job.id);
        return j.status === "RUNNING" && j.progress >= 15 ? j : null;
      });
      expect(stderr).toContain(running.workerId as string);
      child.kill("SIGKILL");
      await new Promise((res) => child.once("exit", res));

      const survivor = new JobWorker({
        registry: r,
        redisUrl,
        queueName,
        heartbeatMs: 200,
        staleMs: 1500,
        ...worker,
        reconcileMs: 60_000,
      });
      await survivor.start();
      try {
        const done = await waitFinal(r, job.id, 120_000);
        expect(done.status).toBe("COMPLETED");
        expect(done.attempts).toBe(2);
        expect(done.workerId).toBe(survivor.id);
        const runs = await runsOf(r, job.id);
        expect(runs.filter((x) => x.status === "COMPLETED")).toHaveLength(1);
        const interrupted = runs.filter((x) => x.status === "CANCELLED");
        expect(interrupted.length).toBeGreaterThan(0);
        expect(interrupted[0].error).toBe("attempt 1 was interrupted");
        const logs = await r.jobs.logs(job.id);
        expect(logs.some((l) => l.message.includes(`worker ${running.workerId} stopped responding`))).toBe(
          true,
        );
      } finally {
        await survivor.stop({ graceMs: 0 });
        await producer.close();
      }
    }, 180_000);

    it("SIGTERM: the worker stops taking jobs, re-queues the running one after the grace, and exits 0", async () => {
      const child = startWorker("--grace", "0");
      const producer = new BullMQQueue({ registry: r, redisUrl, queueName });
      await producer.ready();
      const job = await producer.enqueue(r, {
        config: medium("sigterm"),
      });
      await waitFor("the child worker to train", async () => {
        const j = await r.jobs.get(job.id);
        return j.status === "RUNNING" && j.progress >= 15 ? j : null;
      });
      child.kill("SIGTERM");
      const code = await new Promise((res) => child.once("exit", res));
      expect(code).toBe(0);
      const requeued = await r.jobs.get(job.id);
      expect(requeued.status).toBe("QUEUED");
      expect(requeued.attempts).toBe(0);
      const survivor = new JobWorker({ registry: r, redisUrl, queueName, heartbeatMs: 200, ...worker });
      await survivor.start();
      try {
        const done = await waitFinal(r, job.id, 120_000);
        expect(done.status).toBe("COMPLETED");
        expect(done.attempts).toBe(1);
        expect((await runsOf(r, job.id)).filter((x) => x.status === "COMPLETED")).toHaveLength(1);
      } finally {
        await survivor.stop({ graceMs: 0 });
        await producer.close();
      }
    }, 120_000);
  });
}
