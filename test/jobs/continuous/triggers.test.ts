import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContinuousTraining, onDatasetAppended } from "../../../src/jobs/continuous.js";
import { TriggerEvaluator } from "../../../src/jobs/triggers.js";
import { InvalidInputError, type Registry } from "../../../src/registry/index.js";
import { RecordingQueue } from "../../helpers/recording-queue.js";
import { backends } from "../../helpers/registries.js";
import { activeModel, DAY, dataset, finishJob, manualClock } from "./helpers.js";

for (const backend of backends()) {
  describe(`triggers on ${backend.name}`, () => {
    let r: Registry;
    const queue = new RecordingQueue();
    beforeAll(async () => {
      r = await backend.open();
    }, 120_000);
    afterAll(async () => {
      await r?.close();
      await backend.cleanup();
    });

    const config = (datasetId: number) => ({ dataset: { datasetId }, target: "y" });

    it("fires on ≥ N new rows when rows are appended, once, and not again after the reset", async () => {
      const ds = await dataset(r);
      const t = await r.triggers.create({ name: "rows", modelName: "rows-model", config: config(ds.id) });
      expect(t.conditions).toEqual({ newRows: 1000, maxAgeDays: 90 });
      expect(t.datasetId).toBe(ds.id);
      expect(t.promotion).toEqual({ auto: false, margin: 0 });
      const ev = new TriggerEvaluator({ registry: r, queue });

      await r.datasets.appended(ds.id, 999, { rows: 1099, fingerprint: "a" });
      const [no] = await ev.onDatasetAppended(ds.id);
      expect(no.fired).toBe(false);
      expect(no.reason).toMatch(/999 new rows < 1000/);
      expect(no.reason).toMatch(/no active version/);

      await r.datasets.appended(ds.id, 1, { rows: 1100, fingerprint: "b" });
      const [yes] = await ev.onDatasetAppended(ds.id);
      expect(yes).toMatchObject({ triggerId: t.id, fired: true });
      expect(yes.reason).toMatch(/1000 new rows ≥ 1000/);
      const job = await r.jobs.get(yes.jobId as string);
      expect(job).toMatchObject({ kind: "retrain", modelName: "rows-model", datasetId: ds.id });
      expect(job.origin).toEqual({ type: "trigger", id: t.id, promotion: { auto: false, margin: 0 } });
      const after = await r.triggers.get(t.id);
      expect(after.lastJobId).toBe(job.id);
      expect(after.lastFiredAt).not.toBeNull();

      // More rows while the job is queued, then running: no second job.
      await r.datasets.appended(ds.id, 500, { rows: 1600, fingerprint: "c" });
      expect((await ev.onDatasetAppended(ds.id))[0]).toMatchObject({ fired: false });
      await r.jobs.claim(job.id, "w");
      const [running] = await ev.evaluateAll().then((o) => o.filter((x) => x.triggerId === t.id));
      expect(running.fired).toBe(false);
      expect(running.reason).toMatch(/is RUNNING/);
      await r.jobs.finish(job.id, "COMPLETED");
      // The executor resets the counter after training on the dataset.
      await r.datasets.resetNewRows(ds.id);
      expect((await ev.onDatasetAppended(ds.id))[0]).toMatchObject({ fired: false });
      expect((await r.jobs.list({ modelName: "rows-model" })).length).toBe(1);
    });

    it("fires when the active version is older than D days, then waits another D days", async () => {
      const ds = await dataset(r);
      await activeModel(r, "old-model");
      const t = await r.triggers.create({
        name: "age",
        modelName: "old-model",
        conditions: { maxAgeDays: 90 },
        config: config(ds.id),
        promotion: { auto: true, margin: 0.02 },
      });
      const clock = manualClock(new Date(Date.now() + 89 * DAY));
      const ev = new TriggerEvaluator({ registry: r, queue, clock });
      expect((await ev.evaluate(t)).fired).toBe(false);
      clock.advance(2 * DAY);
      const fired = await ev.evaluate(await r.triggers.get(t.id));
      expect(fired.fired).toBe(true);
      expect(fired.reason).toMatch(/9[01]\.\d days old > 90/);
      expect((await r.jobs.get(fired.jobId as string)).origin).toMatchObject({
        promotion: { auto: true, margin: 0.02 },
      });
      await finishJob(r, fired.jobId as string);
      // The challenger lost (the active version stays old): not again the next day…
      clock.advance(DAY);
      const again = await ev.evaluate(await r.triggers.get(t.id));
      expect(again.fired).toBe(false);
      expect(again.reason).toMatch(/a retraining started within that period/);
      // …but after another 90 days.
      clock.advance(90 * DAY);
      const later = await ev.evaluate(await r.triggers.get(t.id));
      expect(later.fired).toBe(true);
      await finishJob(r, later.jobId as string);
    });

    it("fires once per ready marking of the dataset", async () => {
      const ds = await dataset(r);
      const t = await r.triggers.create({
        name: "ready",
        modelName: "ready-model",
        conditions: { datasetReady: true },
        config: config(ds.id),
      });
      // Real time here: a marking is stamped with the real clock.
      const tick = () => new Promise((s) => setTimeout(s, 5));
      const ev = new TriggerEvaluator({ registry: r, queue });
      expect((await ev.evaluate(t)).reason).toMatch(/is not marked ready/);
      await r.datasets.markReady(ds.id, true);
      await tick();
      const fired = await ev.onDatasetAppended(ds.id);
      expect(fired).toMatchObject([{ triggerId: t.id, fired: true }]);
      await finishJob(r, fired[0].jobId as string);
      const again = await ev.evaluate(await r.triggers.get(t.id));
      expect(again).toMatchObject({ fired: false });
      expect(again.reason).toMatch(/ready already at the last firing/);
      await tick();
      await r.datasets.markReady(ds.id, true);
      await tick();
      expect((await ev.evaluate(await r.triggers.get(t.id))).fired).toBe(true);
    });

    it("fires once when two evaluators check the same trigger at the same moment", async () => {
      const other = backend.name === "postgres" ? await backend.open() : r;
      try {
        const ds = await dataset(r);
        const t = await r.triggers.create({
          name: "race",
          modelName: "race-model",
          conditions: { newRows: 10 },
          config: config(ds.id),
        });
        await r.datasets.appended(ds.id, 50, { rows: 150, fingerprint: "r" });
        const a = new TriggerEvaluator({ registry: r, queue });
        const b = new TriggerEvaluator({ registry: other, queue });
        const seen = await r.triggers.get(t.id);
        const outcomes = await Promise.all([a.evaluate(seen), b.evaluate(seen), a.evaluate(seen)]);
        expect(outcomes.filter((o) => o.fired)).toHaveLength(1);
        expect(await r.jobs.list({ modelName: "race-model" })).toHaveLength(1);
      } finally {
        if (other !== r) await other.close();
      }
    });

    it("waits after a failed retraining before firing again", async () => {
      const ds = await dataset(r);
      const t = await r.triggers.create({
        name: "flaky",
        modelName: "flaky-model",
        conditions: { newRows: 1 },
        config: config(ds.id),
      });
      await r.datasets.appended(ds.id, 5, { rows: 105, fingerprint: "f" });
      const clock = manualClock(new Date(Date.now() + DAY));
      const ev = new TriggerEvaluator({ registry: r, queue, clock, failureBackoffMs: 3_600_000 });
      const first = await ev.evaluate(t);
      await finishJob(r, first.jobId as string, "FAILED");
      clock.advance(60_000);
      const wait = await ev.evaluate(await r.triggers.get(t.id));
      expect(wait).toMatchObject({ fired: false });
      expect(wait.reason).toMatch(/failed; waiting/);
      clock.advance(3_600_000);
      expect((await ev.evaluate(await r.triggers.get(t.id))).fired).toBe(true);
    });

    it("reaches a started ContinuousTraining through onDatasetAppended", async () => {
      const ds = await dataset(r);
      await r.triggers.create({
        name: "hook",
        modelName: "hook-model",
        conditions: { newRows: 3 },
        config: config(ds.id),
      });
      const ct = new ContinuousTraining({
        registry: r,
        queue,
        scheduleIntervalMs: 3_600_000,
        triggerIntervalMs: 3_600_000,
        notifyIntervalMs: 3_600_000,
      });
      expect(await onDatasetAppended(r, ds.id)).toEqual([]);
      ct.start();
      try {
        await r.datasets.appended(ds.id, 3, { rows: 103, fingerprint: "h" });
        const [outcome] = await onDatasetAppended(r, ds.id);
        // The evaluation that start() runs may have seen the rows first; either way, one job.
        if (!outcome.fired) expect(outcome.reason).toMatch(/is QUEUED|fired by another process/);
        expect(await r.jobs.list({ modelName: "hook-model" })).toHaveLength(1);
      } finally {
        await ct.stop();
      }
      expect(await onDatasetAppended(r, ds.id)).toEqual([]);
    });

    it("validates triggers, naming the field", async () => {
      const ds = await dataset(r);
      const bad = async (fields: Record<string, unknown>) => {
        try {
          await r.triggers.create({ name: "bad", modelName: "m", config: config(ds.id), ...fields } as never);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidInputError);
          return [...new Set((e as InvalidInputError).problems.map((p) => p.path))];
        }
        throw new Error("accepted");
      };
      expect(await bad({ modelName: "no spaces" })).toEqual(["/modelName"]);
      expect(await bad({ datasetId: 999_999 })).toEqual(["/datasetId"]);
      expect(await bad({ config: { dataset: { path: "/x.csv" }, target: "y" } })).toEqual(["/datasetId"]);
      expect(await bad({ config: { dataset: { datasetId: "missing" }, target: "y" } })).toEqual([
        "/config/dataset/datasetId",
      ]);
      expect(await bad({ config: { ...config(ds.id), model: { name: "other" } } })).toEqual([
        "/config/model/name",
      ]);
      expect(await bad({ conditions: { maxAgeDays: -1 } })).toEqual(["/conditions/maxAgeDays"]);
      // A path-based config is fine when only the model's age is watched.
      const ok = await r.triggers.create({
        name: "path-age",
        modelName: "m",
        conditions: { maxAgeDays: 30 },
        config: { dataset: { path: "/x.csv" }, target: "y" },
      });
      expect(ok.datasetId).toBeNull();
      await r.triggers.delete(ok.id);
    });
  });
}
