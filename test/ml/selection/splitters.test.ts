import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ParameterError } from "../../../src/ml/errors.js";
import { GroupKFold } from "../../../src/ml/selection/group-kfold.js";
import { KFold, RepeatedKFold } from "../../../src/ml/selection/kfold.js";
import { numpyArgsort } from "../../../src/ml/selection/numpy-argsort.js";
import type { Permuter, Split } from "../../../src/ml/selection/splitter.js";
import { RepeatedStratifiedKFold, StratifiedKFold } from "../../../src/ml/selection/stratified-kfold.js";
import { TimeSeriesSplit } from "../../../src/ml/selection/time-series-split.js";

interface Fold {
  test: number[];
  train?: number[];
}
const F = JSON.parse(readFileSync(new URL("../../fixtures/selection/splits.json", import.meta.url), "utf8"));

/** Replays numpy's recorded permutations in order. */
function replay(perms: number[][]): Permuter {
  let i = 0;
  return (n) => {
    const p = perms[i++];
    expect(p.length).toBe(n);
    return Int32Array.from(p);
  };
}

function expectFolds(got: Split[], want: Fold[], n: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((s, f) => {
    expect([...s.test]).toEqual(want[f].test);
    const train = want[f].train ?? complement(n, want[f].test);
    expect([...s.train]).toEqual(train);
  });
}

function complement(n: number, test: number[]): number[] {
  const t = new Set(test);
  return Array.from({ length: n }, (_, i) => i).filter((i) => !t.has(i));
}

describe("splitters match scikit-learn 1.2.1", () => {
  it("KFold, plain and with numpy's permutation", () => {
    for (const c of F.kfold) {
      const kf = new KFold({ nSplits: c.k, shuffle: c.shuffle, seed: c.shuffle ? 1 : undefined });
      expectFolds(kf.split({ nRows: c.n }, c.perms ? replay(c.perms) : undefined), c.folds, c.n);
    }
  });

  it("StratifiedKFold, plain and with numpy's per-class permutations", () => {
    for (const c of F.stratified) {
      const skf = new StratifiedKFold({ nSplits: c.k, shuffle: c.shuffle, seed: c.shuffle ? 1 : undefined });
      const y = c.y as (string | number)[];
      expectFolds(
        skf.split({ nRows: y.length, y }, c.perms ? replay(c.perms) : undefined),
        c.folds,
        y.length,
      );
    }
  });

  it("RepeatedKFold and RepeatedStratifiedKFold draw successive permutations of one stream", () => {
    for (const c of F.repeatedKFold) {
      const r = new RepeatedKFold({ nSplits: c.k, nRepeats: c.repeats });
      expectFolds(r.split({ nRows: c.n }, replay(c.perms)), c.folds, c.n);
    }
    for (const c of F.repeatedStratified) {
      const r = new RepeatedStratifiedKFold({ nSplits: c.k, nRepeats: c.repeats });
      expectFolds(r.split({ nRows: c.y.length, y: c.y }, replay(c.perms)), c.folds, c.y.length);
    }
  });

  it("GroupKFold, including numpy's order of tied group sizes", () => {
    for (const c of F.group) {
      const g = new GroupKFold({ nSplits: c.k });
      expectFolds(g.split({ nRows: c.groups.length, groups: c.groups }), c.folds, c.groups.length);
    }
  });

  it("TimeSeriesSplit with testSize, gap and maxTrainSize", () => {
    for (const c of F.timeSeries) {
      const o = c.options;
      const ts = new TimeSeriesSplit({
        nSplits: o.n_splits,
        testSize: o.test_size,
        gap: o.gap,
        maxTrainSize: o.max_train_size,
      });
      expectFolds(ts.split({ nRows: c.n }), c.folds, c.n);
    }
  });
});

describe("splitter invariants", () => {
  it("KFold with a seed: a partition, sizes differ by at most one, same seed same folds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 0, max: 200 }),
        fc.nat(),
        (k, extra, seed) => {
          const n = k + extra;
          const kf = new KFold({ nSplits: k, shuffle: true, seed });
          const splits = kf.split({ nRows: n });
          const seen = new Uint8Array(n);
          const sizes = splits.map((s) => {
            for (const i of s.test) seen[i]++;
            expect(s.train.length + s.test.length).toBe(n);
            return s.test.length;
          });
          expect(seen.every((v) => v === 1)).toBe(true);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          expect(kf.split({ nRows: n })).toEqual(splits);
        },
      ),
    );
  });

  it("StratifiedKFold keeps each class's count per fold within one of its share", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 10, maxLength: 150 }),
        fc.integer({ min: 2, max: 5 }),
        fc.nat(),
        (y, k, seed) => {
          const counts = new Map<number, number>();
          for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
          fc.pre(Math.max(...counts.values()) >= k);
          const splits = new StratifiedKFold({ nSplits: k, shuffle: true, seed }).split({
            nRows: y.length,
            y,
          });
          for (const [cls, total] of counts) {
            for (const s of splits) {
              const inFold = [...s.test].filter((i) => y[i] === cls).length;
              expect(Math.abs(inFold - total / k)).toBeLessThan(1);
            }
          }
        },
      ),
    );
  });

  it("GroupKFold never puts one group on both sides", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 20, maxLength: 200 }), (groups) => {
        const k = 3;
        fc.pre(new Set(groups).size >= k);
        for (const s of new GroupKFold({ nSplits: k }).split({ nRows: groups.length, groups })) {
          const testGroups = new Set([...s.test].map((i) => groups[i]));
          for (const i of s.train) expect(testGroups.has(groups[i])).toBe(false);
        }
      }),
    );
  });

  it("numpyArgsort sorts (ties in any order)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 300 }), (v) => {
        const idx = numpyArgsort(v);
        expect([...idx].sort((a, b) => a - b)).toEqual(v.map((_, i) => i));
        for (let i = 1; i < idx.length; i++) expect(v[idx[i - 1]]).toBeLessThanOrEqual(v[idx[i]]);
      }),
    );
  });
});

describe("splitter errors name the parameter", () => {
  const cases: [string, () => unknown][] = [
    ["KFold.nSplits", () => new KFold({ nSplits: 1 })],
    ["KFold.nSplits", () => new KFold({ nSplits: 5 }).split({ nRows: 3 })],
    ["KFold.seed", () => new KFold({ seed: 3 })],
    ["StratifiedKFold.y", () => new StratifiedKFold().split({ nRows: 10 })],
    [
      "StratifiedKFold.nSplits",
      () => new StratifiedKFold({ nSplits: 4 }).split({ nRows: 6, y: [0, 0, 0, 1, 1, 1] }),
    ],
    ["GroupKFold.groups", () => new GroupKFold().split({ nRows: 10 })],
    ["GroupKFold.nSplits", () => new GroupKFold({ nSplits: 3 }).split({ nRows: 4, groups: [1, 1, 2, 2] })],
    ["TimeSeriesSplit.gap", () => new TimeSeriesSplit({ gap: -1 })],
    ["TimeSeriesSplit.nSplits", () => new TimeSeriesSplit({ nSplits: 5, gap: 3 }).split({ nRows: 8 })],
    ["RepeatedKFold.nRepeats", () => new RepeatedKFold({ nRepeats: 0 })],
  ];
  for (const [param, make] of cases) {
    it(param, () => {
      try {
        make();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ParameterError);
        expect((e as ParameterError).param).toBe(param);
      }
    });
  }
});
