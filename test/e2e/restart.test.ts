import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Registry } from "../../src/registry/index.js";
import { freshHome } from "../helpers/home.js";
import { eventually, http, ROOT, startServer, type TrainyardProcess } from "../helpers/server-process.js";

/**
 * The embedded engine across process deaths, over HTTP: a server killed with SIGKILL while a
 * job runs and another waits; a new server on the same database re-queues the interrupted job
 * and runs both, each to exactly one COMPLETED set of runs. And a running job cancelled by HTTP.
 */

type Obj = Record<string, unknown>;
const ADMISSIONS = join(ROOT, "examples/admissions.csv");
const FLAGS = ["--no-examples", "--grace", "1", "--heartbeat", "300", "--stale-after", "2000"];

/** A job of several seconds: gradient boosting under a random search with CV. */
const slowJob = (name: string) => ({
  dataset: { path: ADMISSIONS },
  target: "admitted",
  algorithms: ["gradient_boosting"],
  tuning: { method: "random", trials: 4 },
  hyperparameters: { gradient_boosting: { nEstimators: 100 } },
  cvFolds: 3,
  model: { name },
});

let home: string;
let server: (TrainyardProcess & { url: string }) | null = null;

beforeAll(() => {
  home = freshHome("trainyard-e2e-restart-");
});

afterAll(async () => {
  if (server) {
    server.proc.kill("SIGTERM");
    await server.exited;
  }
  rmSync(home, { recursive: true, force: true });
});

const env = () => ({ TRAINYARD_HOME: home, DATABASE_URL: "" });

async function job(id: string): Promise<Obj> {
  return (await http((server as { url: string }).url, "GET", `/v1/jobs/${id}`)).body as Obj;
}

describe("restart of the server with queued and running jobs", () => {
  it("re-queues the interrupted job and completes both, each once", async () => {
    server = await startServer(FLAGS, env());
    const a = (await http(server.url, "POST", "/v1/train", slowJob("slow-a"))).body as Obj;
    const b = (
      await http(server.url, "POST", "/v1/train", { ...slowJob("slow-b"), tuning: { method: "none" } })
    ).body as Obj;
    await eventually(async () => {
      const j = await job(a.jobId as string);
      return j.status === "RUNNING" && (j.progress as number) >= 15 ? j : undefined;
    }, 120_000);
    expect((await job(b.jobId as string)).status).toBe("QUEUED");

    server.proc.kill("SIGKILL");
    expect(await server.exited).toBe("SIGKILL");

    server = await startServer(FLAGS, env());
    const done = await Promise.all(
      [a.jobId, b.jobId].map((id) =>
        eventually(async () => {
          const j = await job(id as string);
          return ["COMPLETED", "FAILED", "CANCELLED"].includes(j.status as string) ? j : undefined;
        }, 240_000),
      ),
    );
    expect(done.map((j) => j.status)).toEqual(["COMPLETED", "COMPLETED"]);
    expect(done[0].attempts).toBe(2); // the attempt the kill interrupted, then the retry
    expect(done[1].attempts).toBe(1);

    server.proc.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    server = null;

    // The embedded database is one process's at a time: read it now that the server is gone.
    const registry = await Registry.open({ home, url: undefined });
    try {
      for (const id of [a.jobId, b.jobId] as string[]) {
        const runs = (await registry.runs.list({ limit: 500 })).filter((r) => r.jobId === id);
        expect(runs.filter((r) => r.status === "COMPLETED")).toHaveLength(1);
        expect(runs.every((r) => r.status !== "RUNNING")).toBe(true);
      }
      expect(await registry.models.versions("slow-a")).toHaveLength(1);
    } finally {
      await registry.close();
    }
  }, 600_000);

  it("cancels a running job over HTTP", async () => {
    server = await startServer(FLAGS, env());
    const started = (await http(server.url, "POST", "/v1/train", slowJob("to-cancel"))).body as Obj;
    const id = started.jobId as string;
    await eventually(async () => ((await job(id)).status === "RUNNING" ? true : undefined), 120_000);
    const res = await http(server.url, "DELETE", `/v1/jobs/${id}`);
    expect(res.status).toBeLessThan(300);
    const ended = await eventually(async () => {
      const j = await job(id);
      return j.status === "RUNNING" ? undefined : j;
    }, 60_000);
    expect(ended.status).toBe("CANCELLED");
    const again = await http(server.url, "POST", `/v1/jobs/${id}/cancel`);
    expect(again.status).toBe(409);
  }, 300_000);
});
