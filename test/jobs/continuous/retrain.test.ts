import { rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContinuousTraining, onDatasetAppended } from "../../../src/jobs/continuous.js";
import { EmbeddedQueue } from "../../../src/jobs/embedded.js";
import { verifyWebhook } from "../../../src/jobs/notify/signature.js";
import { type JobRecord, JobStore, Registry } from "../../../src/registry/index.js";
import { freshHome } from "../../helpers/home.js";

const CSV = resolve(import.meta.dirname, "../../../examples/admissions.csv");

/** Polls a job until it has ended (the training runs on a worker thread). */
async function ended(registry: Registry, id: string): Promise<JobRecord> {
  for (let i = 0; i < 1200; i++) {
    const job = await registry.jobs.get(id);
    if (JobStore.isFinal(job.status)) return job;
    await new Promise((s) => setTimeout(s, 100));
  }
  throw new Error(`job ${id} did not end`);
}

describe("a trigger on appended rows retrains through the embedded queue", () => {
  const home = freshHome("trainyard-retrain-");
  let registry: Registry;
  let queue: EmbeddedQueue;
  let continuous: ContinuousTraining;
  const hooks: { event: string; body: string; ok: boolean }[] = [];
  let server: Server;
  let secret: string;

  beforeAll(async () => {
    registry = await Registry.open({ home, url: undefined });
    queue = new EmbeddedQueue({ registry, pollMs: 100 });
    await queue.start();
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        const h = req.headers;
        hooks.push({
          event: String(h["x-trainyard-event"]),
          body,
          ok: verifyWebhook(
            secret,
            String(h["x-trainyard-timestamp"]),
            body,
            String(h["x-trainyard-signature"]),
          ),
        });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const sub = await registry.subscriptions.create({
      channel: "webhook",
      target: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    });
    secret = sub.secret as string;
    continuous = new ContinuousTraining({
      registry,
      queue,
      triggerIntervalMs: 3_600_000,
      scheduleIntervalMs: 3_600_000,
      notifyIntervalMs: 100,
    });
    continuous.start();
  }, 120_000);

  afterAll(async () => {
    await continuous?.stop();
    await queue?.close({ graceMs: 1000 });
    await new Promise<void>((r) => server.close(() => r()));
    await registry?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("fires on the append, validates the challenger against the champion, resets the counter and notifies", async () => {
    const ds = await registry.datasets.register({
      name: "admissions",
      source: CSV,
      fingerprint: "admissions",
      rows: 3000,
      columns: 15,
      schema: [],
    });
    const config = {
      dataset: { datasetId: ds.id, exclude: ["applicant_id"] },
      target: "admitted",
      algorithms: ["logistic_regression"],
      model: { name: "admit" },
    };
    // The champion: a first training, activated because the model had no active version.
    const first = await queue.enqueue(registry, { config, modelName: "admit", datasetId: ds.id });
    expect((await ended(registry, first.id)).status).toBe("COMPLETED");
    const champion = await registry.models.resolve("admit");

    const trigger = await registry.triggers.create({
      name: "admit-rows",
      modelName: "admit",
      conditions: { newRows: 50 },
      config,
      promotion: { auto: true, margin: 0.05 },
    });
    await registry.datasets.resetNewRows(ds.id);
    await registry.datasets.appended(ds.id, 60, { rows: 3060, fingerprint: "admissions+60" });
    const [outcome] = await onDatasetAppended(registry, ds.id);
    expect(outcome).toMatchObject({ triggerId: trigger.id, fired: true });
    const job = await ended(registry, outcome.jobId as string);
    expect(job.status).toBe("COMPLETED");
    expect(job.origin).toEqual({ type: "trigger", id: trigger.id, promotion: { auto: true, margin: 0.05 } });

    // Same data and seed: the challenger cannot win by 0.05, so the champion stays.
    const [validation] = await registry.validations.list({ modelName: "admit" });
    expect(validation).toMatchObject({ jobId: job.id, decision: "rejected", championVersionId: champion.id });
    expect(validation.challengerScore).toBeCloseTo(validation.championScore as number, 6);
    expect((await registry.models.resolve("admit")).id).toBe(champion.id);
    expect((await registry.datasets.get(ds.id)).newRows).toBe(0);
    // Nothing more to do: the counter was reset.
    expect((await onDatasetAppended(registry, ds.id))[0]).toMatchObject({ fired: false });

    for (let i = 0; i < 100 && !hooks.some((h) => h.event === "validation.decided"); i++)
      await new Promise((s) => setTimeout(s, 100));
    const decided = hooks.find((h) => h.event === "validation.decided");
    expect(decided?.ok).toBe(true);
    expect(JSON.parse(decided?.body ?? "{}").data).toMatchObject({ jobId: job.id, decision: "rejected" });
    expect(hooks.filter((h) => h.event === "job.completed").length).toBeGreaterThanOrEqual(1);
    expect(hooks.every((h) => h.ok)).toBe(true);
  }, 240_000);
});
