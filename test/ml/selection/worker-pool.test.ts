import { afterAll, describe, expect, it } from "vitest";
import { ParameterError } from "../../../src/ml/errors.js";
import { WorkerPool } from "../../../src/ml/parallel/pool.js";
import { toShared } from "../../../src/ml/parallel/transfer.js";

const TASKS = new URL("../../fixtures/selection/pool-tasks.ts", import.meta.url).href;
const pool = new WorkerPool(2);
afterAll(() => pool.close());

describe("WorkerPool", () => {
  it("runs module functions on worker threads over shared memory", async () => {
    const values = toShared(new Float64Array([1, 2, 3, 4]));
    const r = await pool.run<{ sum: number; thread: number; out: Float64Array }>(TASKS, "sumShared", {
      values,
      scale: 2,
    });
    expect(r.sum).toBe(20);
    expect(r.thread).toBeGreaterThan(0);
    expect([...r.out]).toEqual([1, 2, 3]);
    expect(values[0]).toBe(-1);
  });

  it("runs two tasks at once on two workers", async () => {
    const threads = await Promise.all([
      pool.run(TASKS, "spinThread", 300),
      pool.run(TASKS, "spinThread", 300),
    ]);
    expect(new Set(threads).size).toBe(2);
  });

  it("rebuilds trainyard errors with their class and fields", async () => {
    const e = await pool.run(TASKS, "fail", "maxDepth").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ParameterError);
    expect((e as ParameterError).param).toBe("maxDepth");
    expect((e as Error).message).toContain("maxDepth must be something else, got 3");
  });

  it("cancels a running task at once (its worker is replaced) and a queued one", async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const running = pool.run(TASKS, "spin", 10_000, { signal: ac.signal });
    const other = pool.run(TASKS, "spin", 10_000, { signal: ac.signal });
    const queued = pool.run(TASKS, "spin", 10_000, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error("cancelled")), 100);
    await expect(running).rejects.toThrow("cancelled");
    await expect(other).rejects.toThrow("cancelled");
    await expect(queued).rejects.toThrow("cancelled");
    expect(Date.now() - t0).toBeLessThan(3000);
    // the pool still works
    expect(await pool.run(TASKS, "spin", 1)).toBeGreaterThanOrEqual(0);
  });
});
