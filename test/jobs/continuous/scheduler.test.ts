import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Scheduler } from "../../../src/jobs/scheduler.js";
import {
  InvalidInputError,
  latestTick,
  parseCron,
  type Registry,
  type ScheduleRecord,
} from "../../../src/registry/index.js";
import { RecordingQueue } from "../../helpers/recording-queue.js";
import { backends } from "../../helpers/registries.js";
import { activeModel, DAY, dataset, finishJob, manualClock } from "./helpers.js";

describe("cron in a time zone", () => {
  it("reads Sundays 01:00 in the schedule's zone, across daylight-saving changes", () => {
    const berlin = parseCron("0 1 * * 0", "Europe/Berlin");
    // Summer (UTC+2): Sunday 2 June 2030 01:00 is Saturday 23:00 UTC.
    expect(latestTick(berlin, new Date("2030-06-01T22:59:59Z"))?.toISOString()).toBe(
      "2030-05-25T23:00:00.000Z",
    );
    expect(latestTick(berlin, new Date("2030-06-01T23:00:00Z"))?.toISOString()).toBe(
      "2030-06-01T23:00:00.000Z",
    );
    // Winter (UTC+1) after the change of 27 October: midnight UTC.
    expect(latestTick(berlin, new Date("2030-11-03T12:00:00Z"))?.toISOString()).toBe(
      "2030-11-03T00:00:00.000Z",
    );
    const newYork = parseCron("0 1 * * 0", "America/New_York");
    expect(latestTick(newYork, new Date("2030-06-02T12:00:00Z"))?.toISOString()).toBe(
      "2030-06-02T05:00:00.000Z",
    );
  });

  it("refuses a bad cron or zone, naming the field", () => {
    const fields = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidInputError);
        return (e as InvalidInputError).problems.map((p) => p.path);
      }
      throw new Error("no error");
    };
    expect(fields(() => parseCron("61 1 * * 0", "UTC"))).toEqual(["/cron"]);
    expect(fields(() => parseCron("* * *", "UTC"))).toEqual(["/cron"]);
    expect(fields(() => parseCron("0 1 * * 0", "Mars/Olympus"))).toEqual(["/timezone"]);
    expect(fields(() => parseCron("nope", "Nowhere/At_All"))).toEqual(["/timezone", "/cron"]);
  });
});

for (const backend of backends()) {
  describe(`schedules on ${backend.name}`, () => {
    let r: Registry;
    const queue = new RecordingQueue();
    beforeAll(async () => {
      r = await backend.open();
    }, 120_000);
    afterAll(async () => {
      await r?.close();
      await backend.cleanup();
    });

    /** A schedule whose ticks count from `since` (as if it had been created then). */
    async function schedule(
      fields: Partial<Parameters<Registry["schedules"]["create"]>[0]>,
      since: string,
    ): Promise<ScheduleRecord> {
      const ds = await dataset(r);
      const s = await r.schedules.create({
        name: `s-${Math.random().toString(36).slice(2, 8)}`,
        cron: "0 1 * * 0",
        timezone: "Europe/Berlin",
        config: { dataset: { datasetId: ds.id }, target: "y" },
        ...fields,
      });
      return r.schedules.update(s.id, {}, new Date(since));
    }

    it("fires Sundays 01:00 Europe/Berlin once per tick, with the promotion policy", async () => {
      const s = await schedule(
        { modelName: "weekly", promotion: { auto: true, margin: 0.01 } },
        "2030-05-30T00:00Z",
      );
      const clock = manualClock("2030-06-01T22:59:59Z");
      const ticker = new Scheduler({ registry: r, queue, clock });
      expect((await ticker.tick()).filter((o) => o.scheduleId === s.id)).toEqual([]);

      clock.set("2030-06-01T23:00:05Z");
      const [fired] = (await ticker.tick()).filter((o) => o.scheduleId === s.id);
      expect(fired.decision).toBe("fired");
      expect(fired.tick.toISOString()).toBe("2030-06-01T23:00:00.000Z");
      const job = await r.jobs.get(fired.jobId as string);
      expect(job.kind).toBe("retrain");
      expect(job.modelName).toBe("weekly");
      expect(job.origin).toEqual({ type: "schedule", id: s.id, promotion: { auto: true, margin: 0.01 } });
      expect((job.config.model as { name: string }).name).toBe("weekly");

      // The same tick again, a minute later: nothing.
      clock.advance(60_000);
      expect((await ticker.tick()).filter((o) => o.scheduleId === s.id)).toEqual([]);
      const firings = await r.schedules.firings(s.id);
      expect(firings.map((f) => [f.tick.toISOString(), f.decision, f.jobId])).toEqual([
        ["2030-06-01T23:00:00.000Z", "fired", job.id],
      ]);
      expect((await r.schedules.get(s.id)).lastFiredAt?.toISOString()).toBe("2030-06-01T23:00:00.000Z");
      await finishJob(r, job.id);

      // A week later (the model's job is done): the next tick fires.
      clock.set("2030-06-08T23:00:01Z");
      const [next] = (await ticker.tick()).filter((o) => o.scheduleId === s.id);
      expect(next.decision).toBe("fired");
      await finishJob(r, next.jobId as string);
    });

    it("fires each tick exactly once when two tickers race", async () => {
      // On PostgreSQL the second ticker has its own connection pool (another replica).
      const other = backend.name === "postgres" ? await backend.open() : r;
      try {
        const made = [];
        for (let i = 0; i < 6; i++)
          made.push(await schedule({ cron: "*/5 * * * *", timezone: "UTC" }, "2030-07-01T00:00Z"));
        const ids = new Set(made.map((s) => s.id));
        const clock = manualClock("2030-07-01T00:05:00Z");
        const a = new Scheduler({ registry: r, queue, clock });
        const b = new Scheduler({ registry: other, queue, clock });
        for (let round = 0; round < 3; round++) {
          const outcomes = (await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]))
            .flat()
            .filter((o) => ids.has(o.scheduleId));
          expect(outcomes).toHaveLength(6);
          expect(new Set(outcomes.map((o) => o.scheduleId)).size).toBe(6);
          for (const o of outcomes) {
            expect(o.decision).toBe("fired");
            await finishJob(r, o.jobId as string);
          }
          clock.advance(5 * 60_000);
        }
        for (const s of made) expect(await r.schedules.firings(s.id)).toHaveLength(3);
      } finally {
        if (other !== r) await other.close();
      }
    });

    it("checks conditions and records why a tick was skipped", async () => {
      const s = await schedule({ conditions: { newRows: 100 }, modelName: "cond" }, "2030-08-01T00:00Z");
      const ds = await r.datasets.get((s.config.dataset as { datasetId: number }).datasetId);
      const clock = manualClock("2030-08-03T23:00:00Z"); // Sunday 4 August, 01:00 Berlin
      const ticker = new Scheduler({ registry: r, queue, clock });
      const [skipped] = (await ticker.tick()).filter((o) => o.scheduleId === s.id);
      expect(skipped.decision).toBe("skipped");
      expect(skipped.reason).toMatch(/0 new rows < 100/);

      await r.datasets.appended(ds.id, 150, { rows: 250, fingerprint: "fp2" });
      clock.set("2030-08-10T23:00:00Z");
      const [fired] = (await ticker.tick()).filter((o) => o.scheduleId === s.id);
      expect(fired.decision).toBe("fired");
      expect(fired.reason).toMatch(/150 new rows ≥ 100/);

      // Still queued a week later: skipped, the model is busy.
      clock.set("2030-08-17T23:00:00Z");
      const [busy] = (await ticker.tick()).filter((o) => o.scheduleId === s.id);
      expect(busy).toMatchObject({ decision: "skipped" });
      expect(busy.reason).toMatch(/is QUEUED/);
      const log = await r.schedules.firings(s.id);
      expect(log.map((f) => f.decision)).toEqual(["skipped", "fired", "skipped"]);
      expect(log[2].reason).toMatch(/no condition holds/);
      await finishJob(r, fired.jobId as string);
    });

    it("fires on an aged model", async () => {
      await activeModel(r, "aged");
      const s = await schedule(
        { cron: "0 * * * *", timezone: "UTC", conditions: { maxAgeDays: 30 }, modelName: "aged" },
        "2026-01-01T00:00Z",
      );
      const onTheHour = (days: number) =>
        new Date(Math.ceil((Date.now() + days * DAY) / 3_600_000) * 3_600_000);
      const clock = manualClock(onTheHour(10));
      const ticker = new Scheduler({ registry: r, queue, clock });
      const [young] = (await ticker.tick()).filter((o) => o.scheduleId === s.id);
      expect(young.decision).toBe("skipped");
      expect(young.reason).toMatch(/active version is 1\d\.\d days old ≤ 30/);

      clock.set(onTheHour(40));
      const [old] = (await ticker.tick()).filter((o) => o.scheduleId === s.id);
      expect(old.decision).toBe("fired");
      expect(old.reason).toMatch(/days old > 30/);
      await finishJob(r, old.jobId as string);
    });

    it("records a tick found too late as missed", async () => {
      const s = await schedule({ cron: "0 * * * *", timezone: "UTC" }, "2030-09-05T00:00Z");
      const clock = manualClock("2030-09-05T10:30Z");
      const ticker = new Scheduler({ registry: r, queue, clock, maxLateMs: 10 * 60_000 });
      const [missed] = (await ticker.tick()).filter((o) => o.scheduleId === s.id);
      expect(missed).toMatchObject({ decision: "skipped", jobId: null });
      expect(missed.reason).toBe("missed: found 30 min late");
      clock.set("2030-09-05T11:01Z");
      const [fired] = (await ticker.tick()).filter((o) => o.scheduleId === s.id);
      expect(fired.decision).toBe("fired");
      await finishJob(r, fired.jobId as string);
    });

    it("forgets old ticks hourly, keeping each schedule's latest", async () => {
      const s = await schedule(
        { cron: "*/5 * * * *", timezone: "UTC", conditions: { newRows: 1_000_000 } },
        "2030-10-01T00:00Z",
      );
      const clock = manualClock("2030-10-01T00:05Z");
      const ticker = new Scheduler({ registry: r, queue, clock, keepFiringsMs: 10 * 60_000 });
      for (let i = 0; i < 14; i++) {
        await ticker.tick();
        clock.advance(5 * 60_000);
      }
      const ticks = (await r.schedules.firings(s.id)).map((f) => f.tick.toISOString().slice(11, 16));
      // The prune at 01:05 kept 00:55 onwards; 01:10 came after it.
      expect(ticks).toEqual(["01:10", "01:05", "01:00", "00:55"]);
    });

    it("keeps an edited schedule from firing ticks before the edit", async () => {
      const s = await schedule({ cron: "0 * * * *", timezone: "UTC" }, "2030-09-01T10:30Z");
      const clock = manualClock("2030-09-01T10:45Z");
      const ticker = new Scheduler({ registry: r, queue, clock });
      expect((await ticker.tick()).filter((o) => o.scheduleId === s.id)).toEqual([]);
      await r.schedules.update(s.id, { enabled: false }, new Date("2030-09-01T10:50Z"));
      clock.set("2030-09-01T11:00Z");
      expect((await ticker.tick()).filter((o) => o.scheduleId === s.id)).toEqual([]);
    });

    it("validates schedules, naming the field", async () => {
      const ds = await dataset(r);
      const config = { dataset: { datasetId: ds.id }, target: "y" };
      const bad = async (fields: Record<string, unknown>) => {
        try {
          await r.schedules.create({ name: "bad", cron: "0 1 * * 0", config, ...fields } as never);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidInputError);
          return [...new Set((e as InvalidInputError).problems.map((p) => p.path))];
        }
        throw new Error("accepted");
      };
      expect(await bad({ cron: "0 25 * * *" })).toEqual(["/cron"]);
      expect(await bad({ timezone: "Berlin" })).toEqual(["/timezone"]);
      expect(await bad({ config: { target: "y" } })).toEqual(["/config/dataset"]);
      expect(await bad({ conditions: { newRows: 0, since: 3 } })).toEqual([
        "/conditions/newRows",
        "/conditions/since",
      ]);
      expect(await bad({ conditions: { maxAgeDays: 5 } })).toEqual(["/conditions/maxAgeDays"]);
      expect(await bad({ promotion: { auto: "yes" } })).toEqual(["/promotion/auto"]);
      expect(await bad({ name: "" })).toEqual(["/name"]);
    });
  });
}
