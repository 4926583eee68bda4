import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FUTURE_SKILLS_ROW } from "../../examples/sample-rows.js";
import { Registry } from "../../src/registry/index.js";
import { ModelCache } from "../../src/serving/cache.js";
import { MicroBatcher, predictRows } from "../../src/serving/predict-rows.js";
import { RowValidationError, rowsToTable } from "../../src/serving/rows.js";
import { Trainer } from "../../src/training/trainer.js";
import { freshHome } from "../helpers/home.js";

const SKILLS = resolve(import.meta.dirname, "../../examples/future_skills.csv");
const home = freshHome("trainyard-serving-");
let registry: Registry;
const row = FUTURE_SKILLS_ROW;

beforeAll(async () => {
  registry = await Registry.open({ home, url: undefined });
  const trainer = new Trainer({ registry });
  for (const version of ["a", "b", "c"]) {
    await trainer.run({
      dataset: { path: SKILLS },
      target: "future_skill_priority",
      algorithms: ["random_forest"],
      hyperparameters: { random_forest: { nEstimators: 5 } },
      model: { name: "skills", version, activate: version === "a" },
    });
  }
}, 300_000);
afterAll(async () => {
  await registry.close();
  rmSync(home, { recursive: true, force: true });
});

describe("ModelCache", () => {
  it("loads each version once and shares it", async () => {
    const cache = new ModelCache();
    const [x, y] = await Promise.all([
      cache.get(registry, { name: "skills" }),
      cache.get(registry, { name: "skills" }),
    ]);
    expect(x).toBe(y);
    expect(x.version).toBe("a");
    expect(await cache.get(registry, { name: "skills", version: "a" })).toBe(x);
    expect(cache.loaded()).toEqual([x.versionId]);
  });

  it("swaps on activation after invalidate; a request holding the old version still predicts", async () => {
    const cache = new ModelCache({ resolveTtlMs: 60_000 });
    const old = await cache.get(registry, { name: "skills" });
    await registry.models.activate("skills", "b");
    // Within the TTL and without invalidation, the old resolution is still trusted.
    expect((await cache.get(registry, { name: "skills" })).version).toBe("a");
    cache.invalidate(registry, "skills");
    const now = await cache.get(registry, { name: "skills" });
    expect(now.version).toBe("b");
    expect(predictRows(old, [row])).toHaveLength(1);
    await registry.models.activate("skills", "a");
  });

  it("sees another process's activation once the TTL has passed", async () => {
    const cache = new ModelCache({ resolveTtlMs: 0 });
    expect((await cache.get(registry, { name: "skills" })).version).toBe("a");
    await registry.models.activate("skills", "c");
    // The request finding the entry stale is answered from it and starts the refresh.
    expect((await cache.get(registry, { name: "skills" })).version).toBe("a");
    // A slow machine may take over waitFor's default second to load the new version.
    await vi.waitFor(async () => expect((await cache.get(registry, { name: "skills" })).version).toBe("c"), {
      timeout: 20_000,
    });
    await registry.models.activate("skills", "a");
  });

  it("evicts the least recently used version", async () => {
    const cache = new ModelCache({ maxModels: 2 });
    const a = await cache.get(registry, { name: "skills", version: "a" });
    const b = await cache.get(registry, { name: "skills", version: "b" });
    await cache.get(registry, { name: "skills", version: "a" });
    await cache.get(registry, { name: "skills", version: "c" });
    expect(cache.loaded()).not.toContain(b.versionId);
    expect(cache.loaded()).toContain(a.versionId);
  });

  it("forgets a failed resolution so that a later request can succeed", async () => {
    const cache = new ModelCache();
    await expect(cache.get(registry, { name: "skills", alias: "best" })).rejects.toThrow(/best/);
    await registry.models.setAlias("skills", "best", "b");
    expect((await cache.get(registry, { name: "skills", alias: "best" })).version).toBe("b");
  });
});

describe("rowsToTable", () => {
  const features = [
    { kind: "numeric" as const, name: "x" },
    { kind: "categorical" as const, name: "c", levels: ["red", "blue"] },
  ];

  it("takes numbers, booleans, ISO dates, null as missing, and fitted levels", () => {
    const t = rowsToTable(features, [
      { x: 1.5, c: "blue" },
      { x: true, c: "green" },
      { x: null, c: null },
      { x: "2024-01-02", c: "red" },
    ]);
    const x = t.column("x");
    const c = t.column("c");
    expect(x.kind === "numeric" && Array.from(x.values)).toEqual([
      1.5,
      1,
      Number.NaN,
      Date.parse("2024-01-02"),
    ]);
    expect(c.kind === "categorical" && Array.from(c.codes)).toEqual([1, -1, -1, 0]);
    expect(c.kind === "categorical" && c.levels).toBe(features[1].levels);
  });

  it("lists every problem of every row", () => {
    try {
      rowsToTable(features, [{ x: "a", c: {} }, { c: "red", y: 1 }, null]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RowValidationError);
      expect((e as RowValidationError).problems).toEqual([
        { row: 0, field: "x", message: "must be a number, got a string" },
        { row: 0, field: "c", message: "must be a string, got an object" },
        { row: 1, field: "x", message: "is missing" },
        { row: 1, field: "y", message: "is not an input of the model" },
        { row: 2, field: "", message: "must be an object of feature values, got null" },
      ]);
    }
    expect(rowsToTable(features, [{ x: 1, c: "red", y: 1 }], { extra: "ignore" }).nRows).toBe(1);
  });
});

describe("MicroBatcher", () => {
  it("predicts requests of one turn together, each as it would alone; a bad one fails alone", async () => {
    const cache = new ModelCache();
    const model = await cache.get(registry, { name: "skills" });
    const other = await cache.get(registry, { name: "skills", version: "b" });
    const batcher = new MicroBatcher();
    const rows = [
      row,
      { ...row, trend_score: 10, skill_category: "Soft Skill" },
      { ...row, automation_risk: 0.1 },
    ];
    const results = await Promise.allSettled([
      batcher.predict(model, [rows[0]]),
      batcher.predict(model, [rows[1], rows[2]]),
      batcher.predict(model, [{ ...row, trend_score: "x" }]),
      batcher.predict(other, [rows[0]]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    const value = (k: number) => (results[k] as PromiseFulfilledResult<unknown>).value;
    expect(value(0)).toEqual(predictRows(model, [rows[0]]));
    expect(value(1)).toEqual(predictRows(model, [rows[1], rows[2]]));
    expect(value(3)).toEqual(predictRows(other, [rows[0]]));
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(RowValidationError);
  });

  it("predicts at once when a batch reaches its row cap", async () => {
    const model = await new ModelCache().get(registry, { name: "skills" });
    const batcher = new MicroBatcher(2);
    const out = await Promise.all([batcher.predict(model, [row, row]), batcher.predict(model, [row])]);
    expect(out.map((o) => o.length)).toEqual([2, 1]);
  });
});
