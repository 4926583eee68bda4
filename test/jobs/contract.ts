import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecutionOptions, JobEvent, JobQueue } from "../../src/jobs/index.js";
import type { JobRecord, JobStatus, NewJob, Registry } from "../../src/registry/index.js";

/**
 * The behaviour both queue engines promise (the JobQueue contract), run against each of them:
 * the engine's test file supplies how to open a registry and start a queue with its workers.
 */
export interface EngineFixture {
  name: string;
  openRegistry(): Promise<Registry>;
  /** A started queue and whatever executes its jobs. */
  start(registry: Registry, options: EngineOptions): Promise<StartedEngine>;
  cleanup(): Promise<void>;
}

export interface EngineOptions extends ExecutionOptions {
  concurrency?: number;
  staleMs?: number;
}

export interface StartedEngine {
  queue: JobQueue;
  /** Stops the queue and its workers (running jobs get `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export const IRIS = "/work/shared/datasets/iris.csv";
export const CANCER = "/work/shared/datasets/breast_cancer.csv";

/** Fast options for tests: beats and backoff in tens of milliseconds. */
export const FAST: EngineOptions = {
  heartbeatMs: 150,
  progressMs: 100,
  cancelGraceMs: 5000,
  backoff: { baseMs: 100, factor: 2, maxMs: 1000 },
  staleMs: 1000,
};

export function quick(model: string, extra: Record<string, unknown> = {}): NewJob["config"] {
  return {
    dataset: { path: IRIS },
    target: "target",
    algorithms: ["logistic_regression"],
    model: { name: model },
    ...extra,
  };
}

/** A training that runs for minutes unless stopped. */
export function slow(model: string): NewJob["config"] {
  return {
    dataset: { path: CANCER },
    target: "target",
    algorithms: ["random_forest"],
    tuning: { method: "random", trials: 500 },
    cvFolds: 5,
    model: { name: model },
  };
}

/**
 * A training of a second or more, so a test can act while it runs. A search with cross-validation,
 * not one big fit: a single forest on this data takes a fraction of a second on a fast machine.
 */
export function medium(model: string): NewJob["config"] {
  return {
    dataset: { path: CANCER },
    target: "target",
    algorithms: ["random_forest"],
    tuning: { method: "random", trials: 10 },
    cvFolds: 3,
    model: { name: model },
  };
}

const FINAL: JobStatus[] = ["COMPLETED", "FAILED", "CANCELLED"];

export async function waitFor<T>(
  what: string,
  f: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function waitFinal(r: Registry, id: string, timeoutMs = 90_000): Promise<JobRecord> {
  return waitFor(
    `job ${id} to end`,
    async () => {
      const j = await r.jobs.get(id);
      return FINAL.includes(j.status) ? j : null;
    },
    timeoutMs,
  );
}

export function waitStatus(r: Registry, id: string, status: JobStatus, minProgress = 0): Promise<JobRecord> {
  return waitFor(`job ${id} to be ${status}`, async () => {
    const j = await r.jobs.get(id);
    return j.status === status && j.progress >= minProgress ? j : null;
  });
}

export async function runsOf(r: Registry, jobId: string) {
  return (await r.runs.list({ limit: 500 })).filter((x) => x.jobId === jobId);
}

export function jobQueueContract(engine: EngineFixture): void {
  // Every test here runs real training jobs, several of them one after another: a slow machine
  // needs more than vitest's default 30 s per test.
  describe(`job queue contract: ${engine.name}`, { timeout: 120_000 }, () => {
    let r: Registry;
    const dir = mkdtempSync(join(tmpdir(), "trainyard-jobs-"));
    beforeAll(async () => {
      r = await engine.openRegistry();
    }, 120_000);
    afterAll(async () => {
      await r?.close();
      await engine.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    async function withEngine<T>(options: EngineOptions, f: (e: StartedEngine) => Promise<T>): Promise<T> {
      const e = await engine.start(r, { ...FAST, ...options });
      try {
        return await f(e);
      } finally {
        await e.stop(0);
      }
    }

    it("runs a job to COMPLETED: one COMPLETED run, a model version, a result, logs and events", async () => {
      await withEngine({}, async ({ queue }) => {
        const events: JobEvent[] = [];
        const off = queue.subscribe((e) => events.push(e));
        const job = await queue.enqueue(r, { config: quick("contract-basic"), modelName: "contract-basic" });
        expect(job.status).toBe("QUEUED");
        const done = await waitFinal(r, job.id);
        expect(done.status).toBe("COMPLETED");
        expect(done.attempts).toBe(1);
        expect(done.progress).toBe(100);
        const result = done.result as Record<string, unknown>;
        expect(result.bestAlgorithm).toBe("logistic_regression");
        expect((result.leaderboard as unknown[]).length).toBe(1);
        const model = result.model as { name: string; version: string; versionId: number };
        expect(model.name).toBe("contract-basic");
        const version = await r.models.resolve(`contract-basic@${model.version}`);
        expect(version.id).toBe(model.versionId);
        expect(version.active).toBe(true);
        const runs = await runsOf(r, job.id);
        expect(runs.map((x) => x.status)).toEqual(["COMPLETED"]);
        const logs = await r.jobs.logs(job.id);
        expect(logs.some((l) => l.message.startsWith("dataset loaded"))).toBe(true);
        expect(logs.some((l) => l.message.startsWith("completed"))).toBe(true);
        // The event may reach this process after the record says COMPLETED (BullMQ relays it
        // through Redis): keep listening until it does.
        await waitFor("the completed event", async () => events.some((e) => e.type === "completed"), 5000);
        off();
        const types = new Set(events.filter((e) => e.jobId === job.id).map((e) => e.type));
        expect(types.has("started")).toBe(true);
        const workers = await r.workers.list({ aliveWithinMs: 60_000 });
        expect(workers.length).toBeGreaterThan(0);
      });
    });

    it("trains a registered dataset by id and resets its new-rows counter", async () => {
      const d = await r.datasets.register({
        name: `iris-${engine.name.split(" ")[0]}`,
        source: IRIS,
        fingerprint: "f",
        rows: 150,
        columns: 5,
        schema: [],
      });
      await r.datasets.appended(d.id, 40, { rows: 150, fingerprint: "g" });
      expect((await r.datasets.get(d.id)).newRows).toBe(40);
      await withEngine({}, async ({ queue }) => {
        const config = { ...quick("contract-dataset"), dataset: { datasetId: d.id } };
        const job = await queue.enqueue(r, { config, datasetId: d.id });
        expect((await waitFinal(r, job.id)).status).toBe("COMPLETED");
      });
      expect((await r.datasets.get(d.id)).newRows).toBe(0);
    });

    it("runs higher priorities first", async () => {
      await withEngine({ concurrency: 1 }, async ({ queue }) => {
        const first = await queue.enqueue(r, { config: medium("contract-prio") });
        await waitStatus(r, first.id, "RUNNING");
        const low = await queue.enqueue(r, { config: quick("contract-prio-low"), priority: 0 });
        const high = await queue.enqueue(r, { config: quick("contract-prio-high"), priority: 5 });
        const mid = await queue.enqueue(r, { config: quick("contract-prio-mid"), priority: 1 });
        const ends: JobRecord[] = [];
        for (const j of [first, low, high, mid]) ends.push(await waitFinal(r, j.id));
        for (const j of ends) expect(j.status).toBe("COMPLETED");
        const order = ends
          .slice(1)
          .sort((a, b) => (a.startedAt as Date).getTime() - (b.startedAt as Date).getTime())
          .map((j) => j.id);
        expect(order).toEqual([high.id, mid.id, low.id]);
      });
    });

    it("runs up to `concurrency` jobs at once", async () => {
      await withEngine({ concurrency: 2 }, async ({ queue }) => {
        const jobs: JobRecord[] = [];
        for (let i = 0; i < 3; i++)
          jobs.push(await queue.enqueue(r, { config: medium(`contract-conc-${i}`) }));
        let most = 0;
        await waitFor("all three jobs to end", async () => {
          const states = await Promise.all(jobs.map((j) => r.jobs.get(j.id)));
          most = Math.max(most, states.filter((s) => s.status === "RUNNING").length);
          return states.every((s) => FINAL.includes(s.status));
        });
        expect(most).toBe(2);
        for (const j of jobs) expect((await r.jobs.get(j.id)).status).toBe("COMPLETED");
      });
    });

    it("retries a failed attempt after the backoff, then succeeds with one COMPLETED run set", async () => {
      await withEngine({ backoff: { baseMs: 1500, factor: 1 } }, async ({ queue }) => {
        const path = join(dir, "arrives-late.csv");
        const config = { ...quick("contract-retry"), dataset: { path } };
        const job = await queue.enqueue(r, { config, maxAttempts: 3 });
        const retrying = await waitFor("the first attempt to fail", async () => {
          const j = await r.jobs.get(job.id);
          return j.status === "QUEUED" && j.attempts === 1 ? j : null;
        });
        expect(retrying.error).toContain("arrives-late.csv");
        expect(retrying.runAfter.getTime()).toBeGreaterThan(Date.now() - 1000);
        copyFileSync(IRIS, path);
        const done = await waitFinal(r, job.id);
        expect(done.status).toBe("COMPLETED");
        expect(done.attempts).toBe(2);
        expect((await runsOf(r, job.id)).filter((x) => x.status === "COMPLETED")).toHaveLength(1);
        const logs = await r.jobs.logs(job.id);
        expect(logs.some((l) => l.attempt === 1 && /retrying in 1500 ms/.test(l.message))).toBe(true);
      });
    });

    it("fails a job after its last attempt; data unfit for training is not retried", async () => {
      await withEngine({}, async ({ queue }) => {
        const missing = { ...quick("contract-fail"), dataset: { path: join(dir, "never.csv") } };
        const job = await queue.enqueue(r, { config: missing, maxAttempts: 2 });
        const done = await waitFinal(r, job.id);
        expect(done.status).toBe("FAILED");
        expect(done.attempts).toBe(2);
        expect(done.error).toContain("never.csv");
        const unfit = await queue.enqueue(r, {
          config: { ...quick("contract-unfit"), quality: { minRows: 100_000 } },
          maxAttempts: 3,
        });
        const failed = await waitFinal(r, unfit.id);
        expect(failed.status).toBe("FAILED");
        expect(failed.attempts).toBe(1);
        expect(failed.error).toMatch(/DataQualityError/);
        const invalid = await queue.enqueue(r, { config: { target: "target", dataset: {} }, maxAttempts: 3 });
        const refused = await waitFinal(r, invalid.id);
        expect(refused.status).toBe("FAILED");
        expect(refused.attempts).toBe(1);
        expect(refused.error).toContain("/dataset");
      });
    });

    it("fails an attempt that runs past its timeout", async () => {
      await withEngine({}, async ({ queue }) => {
        const job = await queue.enqueue(r, {
          config: slow("contract-timeout"),
          timeoutSeconds: 1,
          maxAttempts: 1,
        });
        const done = await waitFinal(r, job.id);
        expect(done.status).toBe("FAILED");
        expect(done.error).toContain("timed out after 1 s");
        expect(
          (await runsOf(r, job.id)).filter((x) => x.status === "RUNNING" || x.status === "COMPLETED"),
        ).toEqual([]);
      });
    });

    it("cancels a queued job at once and a running one cooperatively", async () => {
      await withEngine({ concurrency: 1 }, async ({ queue }) => {
        const running = await queue.enqueue(r, { config: slow("contract-cancel") });
        await waitStatus(r, running.id, "RUNNING", 15);
        const queued = await queue.enqueue(r, { config: quick("contract-cancel-q") });
        const c1 = await queue.cancel(r, queued.id);
        expect(c1.status).toBe("CANCELLED");
        const c2 = await queue.cancel(r, running.id);
        expect(c2.status).toBe("RUNNING");
        expect(c2.cancelRequested).toBe(true);
        const done = await waitFinal(r, running.id, 20_000);
        expect(done.status).toBe("CANCELLED");
        expect(done.error).toBe("cancelled");
        expect((await runsOf(r, running.id)).map((x) => x.status)).toEqual(["CANCELLED"]);
        expect((await r.jobs.get(queued.id)).attempts).toBe(0);
      });
    });

    it("terminates a running job that does not stop within the grace period", async () => {
      await withEngine({ cancelGraceMs: 0 }, async ({ queue }) => {
        const job = await queue.enqueue(r, { config: slow("contract-hard") });
        await waitStatus(r, job.id, "RUNNING", 15);
        // Cancelled through the registry, as another process would: seen at the next heartbeat.
        await r.jobs.requestCancel(job.id);
        const done = await waitFinal(r, job.id, 20_000);
        expect(done.status).toBe("CANCELLED");
        expect(done.error).toContain("hard stop");
        expect((await runsOf(r, job.id)).map((x) => x.status)).toEqual(["CANCELLED"]);
      });
    });

    it("recovers jobs a dead worker left RUNNING: re-queued (its runs superseded), or FAILED without attempts", async () => {
      // A crashed process: its jobs RUNNING with an old heartbeat and a run it had started.
      const orphan = await r.jobs.create({ config: quick("contract-orphan"), maxAttempts: 3 });
      await r.jobs.claim(orphan.id, "dead-worker");
      const leftover = await r.runs.start({ jobId: orphan.id, modelName: "contract-orphan", algorithm: "x" });
      const spent = await r.jobs.create({ config: quick("contract-spent"), maxAttempts: 1 });
      await r.jobs.claim(spent.id, "dead-worker");
      await r.db
        .updateTable("training_job")
        .set({ heartbeat_at: new Date(Date.now() - 3_600_000) })
        .where("id", "in", [orphan.id, spent.id])
        .execute();
      await withEngine({ staleMs: 500 }, async () => {
        const done = await waitFinal(r, orphan.id);
        expect(done.status).toBe("COMPLETED");
        expect(done.attempts).toBe(2);
        const runs = await runsOf(r, orphan.id);
        expect(runs.filter((x) => x.status === "COMPLETED")).toHaveLength(1);
        expect((await r.runs.get(leftover)).status).toBe("CANCELLED");
        const failed = await waitFinal(r, spent.id);
        expect(failed.status).toBe("FAILED");
        expect(failed.error).toContain("dead-worker");
      });
    });

    it("re-queues a running job at shutdown when the grace period ends; another start completes it", async () => {
      let id = "";
      await withEngine({}, async ({ queue }) => {
        const job = await queue.enqueue(r, { config: medium("contract-shutdown"), maxAttempts: 1 });
        id = job.id;
        await waitStatus(r, id, "RUNNING", 15);
      });
      const requeued = await r.jobs.get(id);
      expect(requeued.status).toBe("QUEUED");
      expect(requeued.attempts).toBe(0);
      await withEngine({}, async () => {
        const done = await waitFinal(r, id);
        expect(done.status).toBe("COMPLETED");
        expect((await runsOf(r, id)).filter((x) => x.status === "COMPLETED")).toHaveLength(1);
      });
    });

    it("champion/challenger: promotes a better challenger, rejects one that does not win by the margin", async () => {
      // Every event goes to the notification outbox (a dispatcher, not started here, sends them).
      const sub = await r.subscriptions.create({ channel: "webhook", target: "http://127.0.0.1:9/hook" });
      await withEngine({}, async ({ queue }) => {
        const weak = {
          ...quick("contract-cc"),
          algorithms: ["decision_tree"],
          hyperparameters: { decision_tree: { maxDepth: 1 } },
        };
        const v1 = await waitFinal(r, (await queue.enqueue(r, { config: weak })).id);
        expect(v1.status).toBe("COMPLETED");
        const champion = await r.models.resolve("contract-cc");
        const retrain = (config: NewJob["config"], margin: number) =>
          queue.enqueue(r, {
            config,
            kind: "retrain",
            modelName: "contract-cc",
            origin: { type: "trigger", id: 1, promotion: { auto: true, margin } },
          });

        const better = await waitFinal(r, (await retrain(quick("contract-cc"), 0.05)).id);
        expect(better.status).toBe("COMPLETED");
        const [promoted] = await r.validations.list({ jobId: better.id });
        expect(promoted.decision).toBe("promoted");
        expect(promoted.championVersionId).toBe(champion.id);
        expect(promoted.challengerScore as number).toBeGreaterThan((promoted.championScore as number) + 0.05);
        const active = await r.models.resolve("contract-cc");
        expect(active.id).toBe(promoted.challengerVersionId);
        expect((better.result as { validation: { decision: string } }).validation.decision).toBe("promoted");

        const same = await waitFinal(r, (await retrain(quick("contract-cc"), 0.01)).id);
        const [rejected] = await r.validations.list({ jobId: same.id });
        expect(rejected.decision).toBe("rejected");
        expect(rejected.championScore).toBeCloseTo(rejected.challengerScore as number, 12);
        expect(rejected.reason).toContain("margin");
        expect((await r.models.resolve("contract-cc")).id).toBe(active.id);

        const events = (await r.subscriptions.deliveries({ subscriptionId: sub.id, limit: 500 })).map((d) => [
          d.event,
          (d.payload.data as { jobId?: string }).jobId,
        ]);
        expect(events).toContainEqual(["job.completed", better.id]);
        expect(events).toContainEqual(["validation.decided", better.id]);
        expect(events).toContainEqual(["model.activated", better.id]);
        expect(events).toContainEqual(["validation.decided", same.id]);
        expect(events).not.toContainEqual(["model.activated", same.id]);
      });
      await r.subscriptions.delete(sub.id);
    });
  });
}
