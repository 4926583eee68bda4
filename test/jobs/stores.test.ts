import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Registry } from "../../src/registry/index.js";
import { backends } from "../helpers/registries.js";

for (const backend of backends()) {
  describe(`job and worker stores for the engines on ${backend.name}`, () => {
    let r: Registry;
    beforeAll(async () => {
      r = await backend.open();
    }, 120_000);
    afterAll(async () => {
      await r?.close();
      await backend.cleanup();
    });

    it("registers workers, beats, lists the live ones and marks a stop", async () => {
      await r.workers.register({ id: "w-a", engine: "embedded", host: "h", pid: 1, concurrency: 2 });
      await r.workers.register({ id: "w-b", engine: "bullmq", host: "h", pid: 2, concurrency: 1 });
      await r.workers.heartbeat("w-a", ["job-1"]);
      expect((await r.workers.get("w-a"))?.currentJobs).toEqual(["job-1"]);
      await r.db
        .updateTable("worker")
        .set({ heartbeat_at: new Date(Date.now() - 60_000) })
        .where("id", "=", "w-b")
        .execute();
      expect((await r.workers.list({ aliveWithinMs: 10_000 })).map((w) => w.id)).toEqual(["w-a"]);
      await r.workers.stopped("w-a");
      expect(await r.workers.list({ aliveWithinMs: 10_000 })).toEqual([]);
      expect((await r.workers.list()).map((w) => w.id).sort()).toEqual(["w-a", "w-b"]);
      // Registering again under the same id is a restart, not a second row.
      await r.workers.register({ id: "w-a", engine: "embedded", host: "h", pid: 3, concurrency: 2 });
      expect((await r.workers.get("w-a"))?.state).toBe("running");
      expect(await r.workers.prune(new Date(Date.now() - 30_000))).toBe(1);
      expect(await r.workers.get("w-b")).toBeNull();
    });

    it("requeue gives the attempt back; recover counts it; both respect a cancel", async () => {
      const a = await r.jobs.create({ config: {}, maxAttempts: 1 });
      await r.jobs.claim(a.id, "w");
      expect(await r.jobs.requeue(a.id, "shutdown")).toBe("QUEUED");
      expect((await r.jobs.get(a.id)).attempts).toBe(0);
      await r.jobs.claim(a.id, "w");
      expect(await r.jobs.recover(a.id, "worker died", new Date(Date.now() - 60_000))).toBeNull();
      expect(await r.jobs.recover(a.id, "worker died")).toBe("FAILED");
      expect((await r.jobs.get(a.id)).finishedAt).not.toBeNull();

      const b = await r.jobs.create({ config: {}, maxAttempts: 3 });
      await r.jobs.claim(b.id, "w");
      expect(await r.jobs.recover(b.id, "worker died")).toBe("QUEUED");
      expect((await r.jobs.get(b.id)).finishedAt).toBeNull();
      await r.jobs.claim(b.id, "w");
      await r.jobs.requestCancel(b.id);
      expect(await r.jobs.requeue(b.id, "shutdown")).toBe("CANCELLED");

      const c = await r.jobs.create({ config: {} });
      await r.jobs.claim(c.id, "w");
      await r.jobs.requestCancel(c.id);
      expect(await r.jobs.recover(c.id, "worker died")).toBe("CANCELLED");
      expect((await r.jobs.queued()).map((j) => j.id)).not.toContain(c.id);
    });

    it("supersedes the RUNNING and COMPLETED runs of a job, not its failed ones or other jobs'", async () => {
      const job = await r.jobs.create({ config: {} });
      const running = await r.runs.start({ jobId: job.id });
      const done = await r.runs.record({ jobId: job.id });
      const failed = await r.runs.record({ jobId: job.id, status: "FAILED" });
      const other = await r.runs.start({ jobId: "another" });
      expect(await r.jobs.supersedeRuns(job.id, "attempt 1 was interrupted")).toBe(2);
      expect((await r.runs.get(running)).status).toBe("CANCELLED");
      expect((await r.runs.get(done)).error).toBe("attempt 1 was interrupted");
      expect((await r.runs.get(failed)).status).toBe("FAILED");
      expect((await r.runs.get(other)).status).toBe("RUNNING");
    });
  });
}
