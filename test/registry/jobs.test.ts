import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, type Registry } from "../../src/registry/index.js";
import { backends } from "../helpers/registries.js";

for (const backend of backends()) {
  describe(`job store on ${backend.name}`, () => {
    let r: Registry;
    beforeAll(async () => {
      r = await backend.open();
    }, 120_000);
    afterAll(async () => {
      await r?.close();
      await backend.cleanup();
    });

    /** Claims everything due, so each test starts with an empty queue. */
    async function drain(): Promise<void> {
      for (let job = await r.jobs.claimNext("drain"); job; job = await r.jobs.claimNext("drain"))
        await r.jobs.finish(job.id, "CANCELLED");
    }

    it("creates a QUEUED job and reads it back", async () => {
      const job = await r.jobs.create({ config: { target: "y" }, modelName: "m", priority: 2 });
      expect(job.status).toBe("QUEUED");
      expect(job.attempts).toBe(0);
      expect(job.maxAttempts).toBe(3);
      const again = await r.jobs.get(job.id);
      expect(again.config).toEqual({ target: "y" });
      expect(again.priority).toBe(2);
      await expect(r.jobs.get("nope")).rejects.toBeInstanceOf(NotFoundError);
      await drain();
    });

    it("claims by priority, then age, each job once", async () => {
      await drain();
      const low = await r.jobs.create({ config: {}, priority: 0 });
      const high = await r.jobs.create({ config: {}, priority: 5 });
      const low2 = await r.jobs.create({ config: {}, priority: 0 });
      const order = [];
      for (let j = await r.jobs.claimNext("w1"); j; j = await r.jobs.claimNext("w1")) {
        expect(j.status).toBe("RUNNING");
        expect(j.attempts).toBe(1);
        expect(j.workerId).toBe("w1");
        order.push(j.id);
      }
      expect(order).toEqual([high.id, low.id, low2.id]);
      expect(await r.jobs.depth()).toBe(0);
      for (const id of order)
        expect(await r.jobs.finish(id, "COMPLETED", { result: { ok: true } })).toBe(true);
      expect(await r.jobs.finish(high.id, "COMPLETED")).toBe(false);
      expect((await r.jobs.get(high.id)).result).toEqual({ ok: true });
    });

    it("claims concurrently without handing one job to two workers", async () => {
      await drain();
      for (let i = 0; i < 6; i++) await r.jobs.create({ config: { i } });
      const claimed = await Promise.all(Array.from({ length: 10 }, (_, i) => r.jobs.claimNext(`w${i}`)));
      const ids = claimed.filter((j) => j !== null).map((j) => j?.id);
      expect(ids).toHaveLength(6);
      expect(new Set(ids).size).toBe(6);
      for (const id of ids) await r.jobs.finish(id as string, "COMPLETED");
    });

    it("retries with backoff while attempts remain, then fails", async () => {
      await drain();
      const job = await r.jobs.create({ config: {}, maxAttempts: 2 });
      const first = await r.jobs.claimNext("w");
      expect(first?.id).toBe(job.id);
      expect(await r.jobs.retryOrFail(job.id, "boom", 60_000)).toBe("QUEUED");
      expect(await r.jobs.claimNext("w")).toBeNull(); // not due before the backoff
      expect(await r.jobs.retryOrFail(job.id, "boom", 0)).toBeNull(); // not RUNNING
      await r.db
        .updateTable("training_job")
        .set({ run_after: new Date(0) })
        .where("id", "=", job.id)
        .execute();
      const second = await r.jobs.claimNext("w");
      expect(second?.attempts).toBe(2);
      expect(await r.jobs.retryOrFail(job.id, "boom again", 0)).toBe("FAILED");
      const failed = await r.jobs.get(job.id);
      expect(failed.error).toBe("boom again");
      expect(failed.finishedAt).not.toBeNull();
    });

    it("cancels a queued job at once and flags a running one", async () => {
      await drain();
      const queued = await r.jobs.create({ config: {} });
      expect((await r.jobs.requestCancel(queued.id)).status).toBe("CANCELLED");
      const running = await r.jobs.create({ config: {} });
      await r.jobs.claimNext("w");
      const flagged = await r.jobs.requestCancel(running.id);
      expect(flagged.status).toBe("RUNNING");
      expect(flagged.cancelRequested).toBe(true);
      expect((await r.jobs.progress(running.id, { percent: 40, stage: "fit" })).cancelRequested).toBe(true);
      expect(await r.jobs.retryOrFail(running.id, "x", 0)).toBeNull(); // a cancelled job is not retried
      expect(await r.jobs.finish(running.id, "CANCELLED")).toBe(true);
      await expect(r.jobs.requestCancel(running.id)).rejects.toBeInstanceOf(ConflictError);
    });

    it("records progress, logs, counts and stale jobs", async () => {
      await drain();
      const job = await r.jobs.create({ config: {}, modelName: "a" });
      await r.jobs.claimNext("w9");
      await r.jobs.progress(job.id, { percent: 150, stage: "fit", message: "rf 1/2" });
      const got = await r.jobs.get(job.id);
      expect(got.progress).toBe(100);
      expect(got.stage).toBe("fit");
      await r.jobs.log(job.id, "info", "first", 1);
      await r.jobs.log(job.id, "warn", "second", 1);
      const logs = await r.jobs.logs(job.id);
      expect(logs.map((l) => l.message)).toEqual(["first", "second"]);
      expect((await r.jobs.logs(job.id, logs[0].id)).map((l) => l.message)).toEqual(["second"]);
      expect((await r.jobs.countByStatus()).RUNNING).toBeGreaterThanOrEqual(1);
      expect(await r.jobs.stale(new Date(Date.now() + 1000), "w9")).toHaveLength(1);
      expect(await r.jobs.stale(new Date(Date.now() - 60_000), "w9")).toHaveLength(0);
      expect((await r.jobs.list({ modelName: "a" })).map((j) => j.id)).toEqual([job.id]);
      expect((await r.jobs.list({ status: ["QUEUED"] })).every((j) => j.status === "QUEUED")).toBe(true);
    });
  });
}
