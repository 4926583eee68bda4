import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  http,
  ROOT,
  startServer,
  startTrainyard,
  type TrainyardProcess,
} from "../helpers/server-process.js";

/**
 * Scenario 5 of DESIGN.md (scale out) over HTTP: `trainyard serve` on PostgreSQL + Redis takes
 * the job, two `trainyard worker` processes share the database and artifact store; one of them
 * trains, the server streams its progress and serves the model.
 */

const REDIS = process.env.TRAINYARD_TEST_REDIS_URL;
const PG = process.env.TRAINYARD_TEST_DATABASE_URL;
const skip = !REDIS
  ? "TRAINYARD_TEST_REDIS_URL is not set"
  : !PG
    ? "TRAINYARD_TEST_DATABASE_URL is not set"
    : null;
if (skip) console.log(`scale-out end-to-end tests skipped: ${skip}`);

type Obj = Record<string, unknown>;

describe.skipIf(skip !== null)("scale out: server on PostgreSQL + Redis, trainyard worker processes", () => {
  const dbName = `trainyard_e2e_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const queueName = `trainyard-e2e-${process.pid}-${Date.now()}`;
  const home = mkdtempSync(join(tmpdir(), "trainyard-e2e-scale-"));
  let server: TrainyardProcess & { url: string };
  const workers: TrainyardProcess[] = [];
  let env: Record<string, string>;

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: PG });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await admin(`create database ${dbName}`);
    const url = new URL(PG as string);
    url.pathname = `/${dbName}`;
    env = {
      DATABASE_URL: url.toString(),
      TRAINYARD_REDIS_URL: REDIS as string,
      TRAINYARD_ARTIFACTS: "database",
      TRAINYARD_HOME: home,
    };
    server = await startServer(["--no-examples", "--queue", queueName, "--grace", "1"], env);
    for (let i = 0; i < 2; i++) {
      const w = startTrainyard(["worker", "--queue", queueName, "--grace", "1", "--heartbeat", "500"], env);
      await w.waitFor(/taking jobs/, 120_000);
      workers.push(w);
    }
  }, 240_000);

  afterAll(async () => {
    for (const p of [...workers, server]) {
      if (!p || p.proc.exitCode !== null) continue;
      p.proc.kill("SIGTERM");
      await p.exited;
    }
    await admin(`drop database if exists ${dbName} with (force)`);
    rmSync(home, { recursive: true, force: true });
  });

  it("a job posted to the server runs on a worker; the server reports its progress and serves the model", async () => {
    const started = await http(server.url, "POST", "/v1/train", {
      dataset: { path: join(ROOT, "examples/reference/iris.csv") },
      target: "target",
      algorithms: ["random_forest"],
      hyperparameters: { random_forest: { nEstimators: 20 } },
      model: { name: "iris" },
    });
    expect(started.status).toBe(202);
    const id = (started.body as Obj).jobId as string;
    const job = await eventually(async () => {
      const j = (await http(server.url, "GET", `/v1/jobs/${id}`)).body as Obj;
      return ["COMPLETED", "FAILED", "CANCELLED"].includes(j.status as string) ? j : undefined;
    }, 180_000);
    expect(job.error ?? null).toBeNull();
    expect(job.status).toBe("COMPLETED");
    expect(job.workerId).toMatch(/^bullmq-/);

    const status = (await http(server.url, "GET", "/v1/status")).body as Obj;
    expect(status.engine).toBe("bullmq");
    const live = (status.workers as Obj[]).filter((w) => w.engine === "bullmq" && w.state === "running");
    expect(live.length).toBeGreaterThanOrEqual(2);

    const pred = await http(server.url, "POST", "/v1/models/iris/predict", {
      rows: [
        {
          "sepal length (cm)": 5.1,
          "sepal width (cm)": 3.5,
          "petal length (cm)": 1.4,
          "petal width (cm)": 0.2,
        },
      ],
    });
    expect(pred.status).toBe(200);
    const [first] = (pred.body as { predictions: Obj[] }).predictions;
    expect(first.prediction).toBe("setosa");
    expect(
      Object.values(first.probabilities as Record<string, number>).reduce((a, b) => a + b, 0),
    ).toBeCloseTo(1, 9);
  }, 240_000);
});
