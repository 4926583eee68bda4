import { afterAll, describe, expect, it } from "vitest";
import { readCsv } from "../../../src/data/csv/read.js";
import { Random } from "../../../src/data/random.js";
import type { Table } from "../../../src/data/table.js";
import { ParameterError } from "../../../src/ml/errors.js";
import { LogisticRegression, Ridge } from "../../../src/ml/linear/index.js";
import { WorkerPool } from "../../../src/ml/parallel/pool.js";
import { crossValidate } from "../../../src/ml/selection/cross-validate.js";
import { singleThreaded } from "../../../src/ml/selection/fold-runner.js";
import { HalvingSearch } from "../../../src/ml/selection/halving.js";
import { KFold } from "../../../src/ml/selection/kfold.js";
import type { SearchResult } from "../../../src/ml/selection/search.js";
import { choice, intRange, logUniform, uniform } from "../../../src/ml/selection/search-space.js";
import { BayesSearch, GridSearch, RandomSearch } from "../../../src/ml/selection/searches.js";
import { tpePropose } from "../../../src/ml/selection/tpe.js";

const pool = new WorkerPool(2);
afterAll(() => pool.close());

async function dataset(name: string): Promise<{ X: Table; y: Table["columns"][number] }> {
  const t = await readCsv(new URL(`../../../examples/reference/${name}.csv`, import.meta.url).pathname);
  return { X: t.drop(["target"]), y: t.column("target") };
}

/** What must repeat exactly with a fixed seed. */
function signature(r: SearchResult) {
  return r.trials.map((t) => ({ params: t.params, folds: t.foldScores, status: t.status, rung: t.rung }));
}

const cv = new KFold({ nSplits: 4, shuffle: true, seed: 3 });

describe("searches are reproducible", () => {
  it("RandomSearch: same seed, same trials in the same order, serial or on 2 workers", async () => {
    const { X, y } = await dataset("diabetes");
    const space = { alpha: logUniform(1e-3, 1e2), fitIntercept: choice([true, false]) };
    const run = (nJobs: number, seed = 7) =>
      new RandomSearch(new Ridge(), space, { nTrials: 12, seed, cv, nJobs, pool }).fit(X, y);
    const a = await run(1);
    const b = await run(2);
    const c = await run(2, 8);
    expect(a.trials.length).toBe(12);
    expect(signature(b)).toEqual(signature(a));
    expect(signature(c)).not.toEqual(signature(a));
    // each trial's mean is the mean of its folds, and equals crossValidate with those params
    const t = a.trials[a.bestIndex];
    const direct = await crossValidate(new Ridge(t.params as { alpha: number }), X, y, { cv, nJobs: 1 });
    expect(t.mean).toBeCloseTo(direct.test.r2.mean, 12);
    expect(a.bestScore).toBe(Math.max(...a.trials.map((x) => x.mean)));
    expect(a.bestEstimator?.params).toMatchObject(a.bestParams);
    expect(a.bestEstimator?.isFitted).toBe(true);
  });

  it("BayesSearch (TPE): same seed, same trials; nJobs does not change them", async () => {
    const { X, y } = await dataset("diabetes");
    const space = { alpha: logUniform(1e-4, 1e3) };
    const run = (nJobs: number) =>
      new BayesSearch(new Ridge(), space, { nTrials: 18, nStartup: 6, seed: 1, cv, nJobs, pool }).fit(X, y);
    const a = await run(1);
    const b = await run(2);
    expect(signature(b)).toEqual(signature(a));
    expect(a.trials.length).toBe(18);
    expect(a.search).toBe("BayesSearch(TPE)");
  });

  it("GridSearch tries every combination in scikit-learn's order", async () => {
    const { X, y } = await dataset("diabetes");
    const space = { fitIntercept: choice([true, false]), alpha: uniform(0.1, 1.1, { grid: 3 }) };
    const r = await new GridSearch(new Ridge(), space, { cv, nJobs: 2, pool }).fit(X, y);
    expect(r.trials.map((t) => [t.params.alpha, t.params.fitIntercept])).toEqual([
      [0.1, true],
      [0.1, false],
      [0.6, true],
      [0.6, false],
      [1.1, true],
      [1.1, false],
    ]);
    expect(r.stoppedBy).toBe("exhausted");
  });
});

describe("budgets, early stopping, halving", () => {
  it("stops on patience, after a round, with that many trials without improvement", async () => {
    const { X, y } = await dataset("diabetes");
    const r = await new RandomSearch(
      new Ridge(),
      { alpha: logUniform(1e-3, 1e3) },
      {
        nTrials: 200,
        patience: 5,
        cv,
        nJobs: 1,
      },
    ).fit(X, y);
    expect(r.stoppedBy).toBe("patience");
    expect(r.trials.length).toBeLessThan(200);
    expect(r.trials.length - 1 - r.bestIndex).toBeGreaterThanOrEqual(5);
  });

  it("stops on the trial budget and on the time budget", async () => {
    const { X, y } = await dataset("breast_cancer");
    const space = { C: logUniform(1e-3, 1e2) };
    const est = new LogisticRegression({ maxIter: 300 });
    const byTrials = await new RandomSearch(est, space, { nTrials: 3, cv: 3, pool }).fit(X, y);
    expect(byTrials.trials.length).toBe(3);
    const byTime = await new RandomSearch(est, space, {
      nTrials: 10_000,
      timeBudgetMs: 400,
      cv: 3,
      pool,
    }).fit(X, y);
    expect(byTime.stoppedBy).toBe("time");
    expect(byTime.trials.length).toBeLessThan(10_000);
  });

  it("HalvingSearch over rows: a third go on with 3× the rows, the best comes from the last rung", async () => {
    const { X, y } = await dataset("diabetes");
    const r = await new HalvingSearch(
      new Ridge(),
      { alpha: logUniform(1e-3, 1e3) },
      {
        minResource: 49,
        factor: 3,
        cv,
        seed: 2,
        pool,
      },
    ).fit(X, y);
    const rungs = [0, 1, 2].map((k) => r.trials.filter((t) => t.rung === k));
    expect(rungs.map((t) => t.length)).toEqual([9, 3, 1]);
    expect(rungs.map((t) => t[0].resource)).toEqual([49, 147, 441]);
    // the survivors of rung 0 are its 3 best
    const top = [...rungs[0]].sort((a, b) => b.mean - a.mean).slice(0, 3);
    expect(rungs[1].map((t) => t.params.alpha)).toEqual(top.map((t) => t.params.alpha));
    expect(r.trials[r.bestIndex].rung).toBe(2);
  });

  it("HalvingSearch over a param resource sets it per rung", async () => {
    const { X, y } = await dataset("breast_cancer");
    const r = await new HalvingSearch(
      new LogisticRegression(),
      { C: logUniform(1e-2, 1e2) },
      {
        resource: "maxIter",
        minResource: 5,
        maxResource: 45,
        cv: 3,
        pool,
      },
    ).fit(X, y);
    expect([...new Set(r.trials.map((t) => t.params.maxIter))]).toEqual([5, 15, 45]);
    expect(r.bestParams.maxIter).toBe(45);
  });
});

describe("progress and cancellation", () => {
  it("reports done/total per trial and stops on abort", async () => {
    const { X, y } = await dataset("breast_cancer");
    const seen: [number, number][] = [];
    const r = await new RandomSearch(
      new LogisticRegression({ maxIter: 50 }),
      { C: logUniform(1e-3, 1) },
      {
        nTrials: 6,
        cv: 3,
        pool,
      },
    ).fit(X, y, { onProgress: (p) => seen.push([p.done, p.total]) });
    expect(r.trials.length).toBe(6);
    expect(seen.map((s) => s[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.every((s) => s[1] === 6)).toBe(true);
    for (const nJobs of [1, 2]) {
      const ac = new AbortController();
      const p = new RandomSearch(
        new LogisticRegression({ maxIter: 50 }),
        { C: logUniform(1e-3, 1) },
        {
          nTrials: 50,
          cv: 3,
          nJobs,
          pool,
        },
      ).fit(X, y, {
        signal: ac.signal,
        onProgress: (q) => {
          if (q.done === 2) ac.abort(new Error("user cancelled"));
        },
      });
      await expect(p).rejects.toThrow("user cancelled");
    }
  });
});

describe("bad search spaces are ParameterErrors naming the parameter", () => {
  const cases: [string, string, () => Promise<unknown>][] = [
    ["an empty space", "space", () => new RandomSearch(new Ridge(), {}).fit(tiny.X, tiny.y)],
    [
      "an unknown name",
      "space.alpah",
      () => new RandomSearch(new Ridge(), { alpah: uniform(0, 1) }).fit(tiny.X, tiny.y),
    ],
    [
      "a value the estimator refuses",
      "space.alpha",
      () => new RandomSearch(new Ridge(), { alpha: uniform(-1, 1) }).fit(tiny.X, tiny.y),
    ],
    [
      "reversed bounds",
      "space.alpha",
      () => new RandomSearch(new Ridge(), { alpha: uniform(2, 1) }).fit(tiny.X, tiny.y),
    ],
    [
      "log of zero",
      "space.alpha",
      () => new RandomSearch(new Ridge(), { alpha: logUniform(0, 1) }).fit(tiny.X, tiny.y),
    ],
    [
      "a continuous grid",
      "space.alpha",
      () => new GridSearch(new Ridge(), { alpha: uniform(0, 1) }).fit(tiny.X, tiny.y),
    ],
    [
      "a bad int range",
      "space.alpha",
      () => new GridSearch(new Ridge(), { alpha: intRange(3, 1) }).fit(tiny.X, tiny.y),
    ],
    [
      "a zero trial budget",
      "nTrials",
      () => new RandomSearch(new Ridge(), { alpha: uniform(0, 1) }, { nTrials: 0 }).fit(tiny.X, tiny.y),
    ],
  ];
  const n = 40;
  const rng = new Random(1);
  const tiny = {
    X: Float64Array.from({ length: n }, () => rng.next()),
    y: Float64Array.from({ length: n }, () => rng.next()),
  } as unknown as { X: Table; y: Float64Array };
  for (const [what, param, run] of cases) {
    it(what, async () => {
      const e = await run().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ParameterError);
      expect((e as ParameterError).param).toBe(param);
    });
  }
});

describe("TPE and threads", () => {
  it("TPE proposes near the best region of a 1-D objective", () => {
    const rng = new Random(5);
    const history = Array.from({ length: 40 }, () => {
      const x = rng.next();
      return { params: { x }, loss: (x - 0.3) ** 2 };
    });
    const proposals = Array.from(
      { length: 30 },
      () => tpePropose({ x: uniform(0, 1) }, history, rng).x as number,
    );
    const mean = proposals.reduce((a, b) => a + b, 0) / proposals.length;
    expect(Math.abs(mean - 0.3)).toBeLessThan(0.1);
    for (const p of proposals) expect(p >= 0 && p <= 1).toBe(true);
  });

  it("parallel fits get nThreads 1, nested estimators too", () => {
    const spec = {
      kind: "pipeline",
      params: { steps: ["a", "b"] },
      children: { a: { kind: "x", params: {} }, b: { kind: "forest", params: { nThreads: 0, depth: 3 } } },
    };
    expect(singleThreaded(spec).children?.b.params).toEqual({ nThreads: 1, depth: 3 });
    expect(singleThreaded(spec).children?.a.params).toEqual({});
  });
});

describe("failed trials", () => {
  it("are recorded with their error while the search goes on", async () => {
    const { X, y } = await dataset("diabetes");
    // a duplicated column makes the unregularized problem singular
    const age = X.column("age");
    const Xd = X.withColumn({ ...age, name: "age_copy" });
    const r = await new GridSearch(new Ridge(), { alpha: choice([0, 1]) }, { cv, pool }).fit(Xd, y);
    const byAlpha = Object.fromEntries(r.trials.map((t) => [String(t.params.alpha), t]));
    expect(byAlpha["1"].status).toBe("ok");
    expect(byAlpha["0"].status).toBe("failed");
    expect(byAlpha["0"].error).toBeTruthy();
    expect(r.bestParams).toEqual({ alpha: 1 });
  });
});
