import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Table } from "../../src/data/table.js";
import { ParameterError } from "../../src/ml/errors.js";
import {
  holdoutSizes,
  splitTable,
  timeOrderedSplit,
  trainTestSplit,
} from "../../src/ml/selection/holdout.js";

function expectPartition(n: number, train: Int32Array, test: Int32Array): void {
  const seen = new Uint8Array(n);
  for (const i of [...train, ...test]) {
    expect(i >= 0 && i < n).toBe(true);
    seen[i]++;
  }
  expect([...seen].every((v) => v === 1)).toBe(true);
}

/** scikit-learn's documented sizes, written independently of the implementation. */
function sklearnSizes(n: number, testSize: number): [number, number] {
  const nTest = testSize < 1 ? Math.ceil(testSize * n) : testSize;
  return [n - nTest, nTest];
}

const sizeArb = fc
  .integer({ min: 2, max: 400 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.oneof(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.integer({ min: 1, max: n - 1 })),
    ),
  )
  .filter(([n, t]) => sklearnSizes(n, t)[0] > 0);

describe("holdoutSizes", () => {
  it("matches scikit-learn's formula on known cases", () => {
    expect(holdoutSizes(357, 0.2)).toEqual({ nTrain: 285, nTest: 72 });
    expect(holdoutSizes(5, 0.33)).toEqual({ nTrain: 3, nTest: 2 });
    expect(holdoutSizes(150, 0.25)).toEqual({ nTrain: 112, nTest: 38 });
    expect(holdoutSizes(10, 3)).toEqual({ nTrain: 7, nTest: 3 });
  });

  it("refuses bad sizes with an error naming testSize and the allowed range", () => {
    for (const bad of [0, -0.1, 1.5, 10, 11, Number.NaN, Number.POSITIVE_INFINITY]) {
      let err: unknown;
      try {
        holdoutSizes(10, bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).param).toBe("testSize");
      expect((err as Error).message).toMatch(/^testSize must be .*\[1, 10\)/);
    }
    // a fraction that takes every row leaves no training set
    expect(() => holdoutSizes(2, 0.9)).toThrow(/testSize must be small enough to leave a training row/);
    expect(() => holdoutSizes(1, 0.5)).toThrow(/nRows must be an integer ≥ 2/);
  });
});

describe("trainTestSplit", () => {
  it("train ∪ test = all rows, disjoint, sizes as scikit-learn's", () => {
    fc.assert(
      fc.property(sizeArb, fc.integer(), fc.boolean(), ([n, t], seed, shuffle) => {
        const { train, test } = trainTestSplit(n, { testSize: t, seed, shuffle });
        const [nTrain, nTest] = sklearnSizes(n, t);
        expect(train.length).toBe(nTrain);
        expect(test.length).toBe(nTest);
        expectPartition(n, train, test);
      }),
    );
  });

  it("without shuffling the last rows are the test set", () => {
    const { train, test } = trainTestSplit(10, { testSize: 0.3, seed: 1, shuffle: false });
    expect([...train]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...test]).toEqual([7, 8, 9]);
  });

  it("same seed ⇒ same split; different seeds ⇒ different splits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 300 }), fc.integer(), fc.integer(), (n, s1, s2) => {
        const a = trainTestSplit(n, { testSize: 0.3, seed: s1 });
        const b = trainTestSplit(n, { testSize: 0.3, seed: s1 });
        expect(b).toEqual(a);
        fc.pre(s1 >>> 0 !== s2 >>> 0);
        const c = trainTestSplit(n, { testSize: 0.3, seed: s2 });
        // C(30, 9) > 10^7 possible test sets: a collision would point at a seeding bug.
        expect([...c.test]).not.toEqual([...a.test]);
      }),
    );
  });

  it("the test set is a uniform-looking draw: every row lands in test about testSize of the time", () => {
    const n = 20;
    const hits = new Float64Array(n);
    const runs = 2000;
    for (let s = 0; s < runs; s++)
      for (const i of trainTestSplit(n, { testSize: 0.25, seed: s }).test) hits[i]++;
    for (const h of hits) expect(Math.abs(h / runs - 0.25)).toBeLessThan(0.05);
  });

  const stratArb = fc
    .array(fc.integer({ min: 2, max: 60 }), { minLength: 1, maxLength: 6 })
    .chain((counts) => {
      const n = counts.reduce((s, c) => s + c, 0);
      return fc.tuple(
        fc.constant(counts),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer(),
        fc.constant(n),
      );
    })
    .filter(([counts, t, , n]) => {
      const [nTrain, nTest] = sklearnSizes(n, t);
      return nTrain >= counts.length && nTest >= counts.length;
    });

  it("stratified: test share of every class within one row of exact, and a partition", () => {
    fc.assert(
      fc.property(stratArb, fc.integer(), ([counts, t, seed, n], shuffleSeed) => {
        // class codes in a scrambled order so that classes are interleaved
        const y = new Int32Array(n);
        let p = 0;
        counts.forEach((c, k) => {
          for (let j = 0; j < c; j++) y[p++] = k;
        });
        for (let i = n - 1; i > 0; i--) {
          const j = Math.abs((shuffleSeed * (i + 7)) % (i + 1));
          [y[i], y[j]] = [y[j], y[i]];
        }
        const { train, test } = trainTestSplit(n, { testSize: t, seed, stratify: y });
        const [nTrain, nTest] = sklearnSizes(n, t);
        expect(train.length).toBe(nTrain);
        expect(test.length).toBe(nTest);
        expectPartition(n, train, test);
        counts.forEach((c, k) => {
          const inTest = [...test].filter((i) => y[i] === k).length;
          expect(Math.abs(inTest - (nTest * c) / n)).toBeLessThan(1);
        });
      }),
    );
  });

  it("stratified: equal classes split exactly", () => {
    const y = Int32Array.from({ length: 150 }, (_, i) => i % 3);
    const { test } = trainTestSplit(150, { testSize: 0.2, seed: 7, stratify: y });
    expect([0, 1, 2].map((k) => [...test].filter((i) => y[i] === k).length)).toEqual([10, 10, 10]);
  });

  it("stratified: a class with one member is named in the error", () => {
    const y = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 0, 1, 0]);
    expect(() =>
      trainTestSplit(10, { testSize: 0.3, seed: 1, stratify: y, classNames: ["a", "b", "rare"] }),
    ).toThrow(/class "rare" has 1/);
    expect(() => trainTestSplit(10, { testSize: 0.3, seed: 1, stratify: y })).toThrow(/class code 2 has 1/);
  });

  it("stratified: refuses missing codes, wrong length, no shuffling, too small a test set", () => {
    const y = Int32Array.from([0, 0, 1, 1, 2, 2, 0, 1, 2, 0]);
    expect(() => trainTestSplit(10, { testSize: 0.3, seed: 1, stratify: y.subarray(0, 9) })).toThrow(
      ParameterError,
    );
    expect(() =>
      trainTestSplit(10, { testSize: 0.3, seed: 1, stratify: Int32Array.from([...y.subarray(0, 9), -1]) }),
    ).toThrow(/row 9/);
    expect(() => trainTestSplit(10, { testSize: 0.3, seed: 1, stratify: y, shuffle: false })).toThrow(
      /^shuffle/,
    );
    expect(() => trainTestSplit(10, { testSize: 2, seed: 1, stratify: y })).toThrow(/3 classes/);
  });
});

describe("timeOrderedSplit", () => {
  it("the most recent rows are the test set, in time order", () => {
    const times = Float64Array.from([50, 10, 40, 20, 30]);
    const { train, test } = timeOrderedSplit(times, { testSize: 0.4 });
    expect([...train]).toEqual([1, 3, 4]);
    expect([...test]).toEqual([2, 0]);
  });

  it("every test time ≥ every train time, sizes as scikit-learn's", () => {
    fc.assert(
      fc.property(
        sizeArb.chain(([n, t]) =>
          fc.tuple(fc.constant(t), fc.array(fc.integer({ min: 0, max: 50 }), { minLength: n, maxLength: n })),
        ),
        ([t, ts]) => {
          const times = Float64Array.from(ts);
          const { train, test } = timeOrderedSplit(times, { testSize: t });
          const [nTrain, nTest] = sklearnSizes(times.length, t);
          expect([train.length, test.length]).toEqual([nTrain, nTest]);
          expectPartition(times.length, train, test);
          const maxTrain = Math.max(...[...train].map((i) => times[i]));
          const minTest = Math.min(...[...test].map((i) => times[i]));
          expect(minTest).toBeGreaterThanOrEqual(maxTrain);
        },
      ),
    );
  });

  it("missing times are an error naming the row", () => {
    expect(() => timeOrderedSplit(Float64Array.from([1, 2, Number.NaN, 4]), { testSize: 0.5 })).toThrow(
      /^times .*row 2 is missing/,
    );
  });
});

describe("splitTable", () => {
  it("takes the split's rows", () => {
    const t = new Table([
      { kind: "numeric", name: "x", values: Float64Array.from([0, 10, 20, 30, 40]) },
      { kind: "categorical", name: "c", codes: Int32Array.from([0, 1, 0, 1, -1]), levels: ["a", "b"] },
    ]);
    const { train, test } = splitTable(t, {
      train: Int32Array.from([0, 2, 4]),
      test: Int32Array.from([1, 3]),
    });
    expect(train.toRecords()).toEqual([
      { x: 0, c: "a" },
      { x: 20, c: "a" },
      { x: 40, c: null },
    ]);
    expect(test.toRecords()).toEqual([
      { x: 10, c: "b" },
      { x: 30, c: "b" },
    ]);
    expect(() => splitTable(t, { train: Int32Array.from([0, 5]), test: Int32Array.from([1]) })).toThrow(
      /split.train must be row indices in \[0, 5\), got 5/,
    );
  });
});
