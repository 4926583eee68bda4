import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Column } from "../../../src/data/column.js";
import { Table } from "../../../src/data/table.js";
import { createEstimator, estimatorFromParts } from "../../../src/ml/catalog.js";
import type { Transformer } from "../../../src/ml/estimator.js";
import type { FeatureMatrix } from "../../../src/ml/features.js";
import { decodeModel, encodeModel } from "../../../src/ml/model-file.js";
import {
  ColumnTransformer,
  defaultPreprocessor,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
} from "../../../src/ml/preprocessing/index.js";
import { median, percentile } from "../../../src/ml/preprocessing/numeric.js";
import { selectKth } from "../../../src/ml/quickselect.js";

const LEVELS = ["a", "b", "c", "Zed", "é", "x y"];

/** A random table: numeric columns (some NaN) and categorical ones (some missing). */
const tableArb = fc.integer({ min: 2, max: 40 }).chain((n) =>
  fc
    .tuple(
      fc.array(
        fc.array(
          fc.oneof(
            fc.double({ min: -1e6, max: 1e6, noNaN: true }),
            fc.constant(Number.NaN),
            fc.integer({ min: -3, max: 3 }),
          ),
          {
            minLength: n,
            maxLength: n,
          },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      fc.array(fc.array(fc.integer({ min: -1, max: LEVELS.length - 1 }), { minLength: n, maxLength: n }), {
        minLength: 0,
        maxLength: 3,
      }),
    )
    .map(([nums, cats]) => {
      const columns: Column[] = [
        ...nums.map((v, j): Column => ({ kind: "numeric", name: `num${j}`, values: Float64Array.from(v) })),
        ...cats.map(
          (codes, j): Column => ({
            kind: "categorical",
            name: `cat${j}`,
            codes: Int32Array.from(codes),
            levels: LEVELS,
          }),
        ),
      ];
      return new Table(columns, n);
    }),
);

const numericOnly = (t: Table) => t.select(t.names.filter((n) => n.startsWith("num")));

/** Transformers and the part of the table each can take. */
const transformerArb: fc.Arbitrary<{ make: () => Transformer; input: (t: Table) => Table }> = fc.oneof(
  fc
    .record({
      strategy: fc.constantFrom("mean", "median", "most_frequent", "constant" as const),
      addIndicator: fc.boolean(),
    })
    .map((p) => ({
      make: () => new SimpleImputer(p),
      input: p.strategy === "mean" || p.strategy === "median" ? numericOnly : (t: Table) => t,
    })),
  fc
    .record({
      drop: fc.constantFrom(null, "first", "if_binary" as const),
      maxCategories: fc.constantFrom(null, 2, 3),
      minFrequency: fc.constantFrom(null, 2, 0.3),
    })
    .map((p) => ({
      make: () => new OneHotEncoder({ ...p, handleUnknown: "ignore" }),
      input: (t: Table) => t,
    })),
  fc.constant({ make: () => new OrdinalEncoder() as Transformer, input: (t: Table) => t }),
  fc
    .record({ withMean: fc.boolean(), withStd: fc.boolean() })
    .map((p) => ({ make: () => new StandardScaler(p), input: numericOnly })),
  fc
    .record({ clip: fc.boolean() })
    .map((p) => ({ make: () => new MinMaxScaler({ ...p, featureRange: [-2, 3] }), input: numericOnly })),
  fc.constantFrom<[number, number]>([25, 75], [0, 100], [10, 60]).map((q) => ({
    make: () => new RobustScaler({ quantileRange: q }),
    input: numericOnly,
  })),
  fc.constant({ make: () => defaultPreprocessor() as Transformer, input: (t: Table) => t }),
  fc.constant({
    make: () =>
      new ColumnTransformer([["s", new StandardScaler(), { types: ["numeric", "integer"] }]], {
        remainder: "passthrough",
      }) as Transformer,
    input: (t: Table) => t,
  }),
);

/** Rows `idx` of a transformed matrix, compared as plain cells. */
function rows(m: FeatureMatrix, idx: number[]): unknown[][] {
  return m.features.map((f) =>
    idx.map((i) =>
      f.kind === "numeric"
        ? f.values[i]
        : f.kind === "indicator"
          ? Number(f.codes[i] === f.level)
          : f.kind === "categorical"
            ? f.codes[i] < 0
              ? null
              : f.levels[f.codes[i]]
            : null,
    ),
  );
}

describe("transformer invariants (fast-check)", () => {
  it("shape and names; save/load gives the identical transform; rows transform independently", async () => {
    await fc.assert(
      fc.asyncProperty(
        tableArb,
        transformerArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
        async (table, spec, picks) => {
          const X = spec.input(table);
          const t = spec.make();
          await t.fit(X);
          const out = t.transform(X);
          expect(out.nRows).toBe(X.nRows);
          const names = t.featureNamesOut();
          expect(out.names).toEqual(names);
          expect(new Set(names).size).toBe(names.length);

          const loaded = estimatorFromParts(decodeModel(encodeModel(t.toParts())).parts) as Transformer;
          expect(loaded.featureNamesOut()).toEqual(names);
          const again = loaded.transform(X);
          expect(rows(again, [...Array(X.nRows).keys()])).toEqual(rows(out, [...Array(X.nRows).keys()]));

          // the spec, through JSON, rebuilds an unfitted twin that fits to the same result
          const twin = createEstimator(JSON.parse(JSON.stringify(t.toSpec()))) as Transformer;
          expect(twin.isFitted).toBe(false);
          await twin.fit(X);
          expect(rows(twin.transform(X), [...Array(X.nRows).keys()])).toEqual(
            rows(out, [...Array(X.nRows).keys()]),
          );

          const idx = picks.map((p) => p % X.nRows);
          expect(
            rows(
              t.transform(X.take(idx)),
              idx.map((_, k) => k),
            ),
          ).toEqual(rows(out, idx));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("StandardScaler: mean 0 and population variance 1 for non-constant features", async () => {
    await fc.assert(
      fc.asyncProperty(tableArb, async (table) => {
        const X = numericOnly(table);
        const out = (await new StandardScaler().fit(X)).transform(X);
        out.features.forEach((f, j) => {
          const raw = (X.columns[j] as { values: Float64Array }).values.filter((v) => !Number.isNaN(v));
          const v = (f as { values: Float64Array }).values.filter((x) => !Number.isNaN(x));
          // Near-constant features (spread within rounding of their size) keep scale 1, as in scikit-learn.
          const lo = Math.min(...raw);
          const hi = Math.max(...raw);
          if (raw.length < 2 || hi - lo <= 1e-6 * Math.max(1, Math.abs(lo), Math.abs(hi))) return;
          const mean = v.reduce((a, b) => a + b, 0) / v.length;
          const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
          expect(Math.abs(mean)).toBeLessThan(1e-9);
          expect(Math.abs(variance - 1)).toBeLessThan(1e-9);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("MinMaxScaler maps the training data into the feature range; OneHotEncoder gives exactly one 1 per source column", async () => {
    await fc.assert(
      fc.asyncProperty(tableArb, async (table) => {
        const X = numericOnly(table);
        const out = (await new MinMaxScaler({ featureRange: [-2, 3] }).fit(X)).transform(X);
        for (const f of out.features) {
          for (const v of (f as { values: Float64Array }).values)
            if (!Number.isNaN(v)) expect(v >= -2 - 1e-9 && v <= 3 + 1e-9).toBe(true);
        }
        const enc = await new OneHotEncoder().fit(table);
        const onehot = enc.transform(table);
        const dense = onehot.toRowMajor();
        for (let i = 0; i < table.nRows; i++) {
          let total = 0;
          for (let j = 0; j < onehot.nCols; j++) total += dense[i * onehot.nCols + j];
          expect(total).toBe(table.nCols);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("SimpleImputer leaves no missing value in the features it keeps", async () => {
    await fc.assert(
      fc.asyncProperty(
        tableArb,
        fc.constantFrom("most_frequent", "constant" as const),
        async (table, strategy) => {
          const out = (await new SimpleImputer({ strategy }).fit(table)).transform(table);
          for (const f of out.features) {
            if (f.kind === "numeric") expect(f.values.some((v) => Number.isNaN(v))).toBe(false);
            if (f.kind === "categorical") expect(f.codes.includes(-1)).toBe(false);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("order statistics by selection equal those of a full sort", () => {
  /** numpy's linear percentile on a sorted array, written from its documentation. */
  function reference(sorted: number[], q: number): number {
    const n = sorted.length;
    const virtual = (q / 100) * (n - 1);
    const lo = Math.floor(virtual);
    const hi = Math.min(lo + 1, n - 1);
    const g = virtual - lo;
    return sorted[lo] + (sorted[hi] - sorted[lo]) * g;
  }
  it("median and percentile", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e9, max: 1e9, noNaN: true })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (values, q) => {
          const sorted = [...values].sort((a, b) => a - b);
          const n = sorted.length;
          const med = n % 2 ? sorted[n >> 1] : (sorted[(n >> 1) - 1] + sorted[n >> 1]) / 2;
          expect(median(Float64Array.from(values)) === med).toBe(true); // -0 and 0 alike
          const p = percentile(Float64Array.from(values), q);
          const r = reference(sorted, q);
          // the reference's index arithmetic rounds differently from numpy's: compare at the data's scale
          const scale = Math.max(1, Math.abs(sorted[0]), Math.abs(sorted[n - 1]));
          expect(Math.abs(p - r)).toBeLessThanOrEqual(1e-12 * scale);
          expect(p >= sorted[0] && p <= sorted[n - 1]).toBe(true);
          // selectKth leaves the k-th smallest at k
          const a = Float64Array.from(values);
          const k = Math.floor((q / 100) * (n - 1));
          expect(selectKth(a, k) === sorted[k]).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
