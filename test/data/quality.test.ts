import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tableFromRecords } from "../../src/data/builder.js";
import { DataLoadError } from "../../src/data/errors.js";
import { duplicateRows } from "../../src/data/quality/duplicates.js";
import { sortFindings, verdictOf } from "../../src/data/quality/findings.js";
import { renderQualityReport } from "../../src/data/quality/render.js";
import { type QualityReport, qualityReport } from "../../src/data/quality/report.js";
import { quantileSorted } from "../../src/data/quality/stats.js";
import { Random } from "../../src/data/random.js";

/** numpy's default percentile, written from its definition: rank p·(n−1), then interpolate. */
function naiveQuantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const rank = p * (s.length - 1);
  const below = s[Math.floor(rank)];
  const above = s[Math.ceil(rank)];
  return below + (above - below) * (rank - Math.floor(rank));
}

function twoPassStd(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
}

const ESC = String.fromCharCode(27);
const close = (a: number, b: number, rel = 1e-9) =>
  Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
const codes = (r: QualityReport) => r.findings.map((f) => f.code);
const find = (r: QualityReport, code: string, column?: string) =>
  r.findings.find((f) => f.code === code && (column === undefined || f.column === column));

describe("numeric summaries", () => {
  it("match numpy on a fixed sample (values computed with numpy.percentile and std(ddof=1))", () => {
    const x = [3.5, -1, 0, 0, 2.25, 10, 7, 7, 1e6, -3.75, 0.5];
    const r = qualityReport(tableFromRecords(x.map((v) => ({ x: v }))));
    const n = r.schema[0].numeric;
    expect(n?.quantiles.p1).toBeCloseTo(-3.475, 9);
    expect(n?.quantiles.p5).toBeCloseTo(-2.375, 9);
    expect(n?.quantiles.p25).toBe(0);
    expect(n?.quantiles.p50).toBe(2.25);
    expect(n?.quantiles.p75).toBe(7);
    expect(n?.quantiles.p95).toBeCloseTo(500005, 6);
    expect(n?.quantiles.p99).toBeCloseTo(900001, 6);
    expect(n?.std).toBeCloseTo(301510.5757512967, 6);
    expect(n?.zeros).toBe(2);
  });

  it("agree with naive sort-based quantiles and a two-pass std, ignoring missing values", () => {
    const value = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.constant(null),
      fc.constant(0),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 80 }), (xs) => {
        const r = qualityReport(tableFromRecords(xs.map((x) => ({ x }))));
        const present = xs.filter((x): x is number => x !== null).map((x) => (x === 0 ? 0 : x));
        const c = r.schema[0];
        expect(c.missing).toBe(xs.length - present.length);
        if (present.length === 0) {
          expect(c.numeric).toBeUndefined();
          return;
        }
        const n = c.numeric;
        if (!n) throw new Error("no numeric summary");
        // + 0 makes -0 and 0 alike: a column of -0 may report either.
        expect(n.min + 0).toBe(Math.min(...present) + 0);
        expect(n.max + 0).toBe(Math.max(...present) + 0);
        expect(close(n.mean, present.reduce((a, b) => a + b, 0) / present.length)).toBe(true);
        if (present.length > 1) expect(close(n.std ?? Number.NaN, twoPassStd(present), 1e-7)).toBe(true);
        else expect(n.std).toBeNull();
        const ps = { p1: 0.01, p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 };
        for (const [k, p] of Object.entries(ps)) {
          expect(close(n.quantiles[k as keyof typeof ps], naiveQuantile(present, p))).toBe(true);
        }
        expect(n.zeros).toBe(present.filter((x) => x === 0).length);
      }),
      { numRuns: 200 },
    );
  });

  it("quantiles are monotone in p and stay within [min, max]", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, p, q) => {
          const s = Float64Array.from(xs).sort();
          const [lo, hi] = p <= q ? [p, q] : [q, p];
          expect(quantileSorted(s, lo)).toBeLessThanOrEqual(quantileSorted(s, hi));
          expect(quantileSorted(s, lo)).toBeGreaterThanOrEqual(s[0]);
          expect(quantileSorted(s, hi)).toBeLessThanOrEqual(s[s.length - 1]);
        },
      ),
    );
  });

  it("summarises categoricals (top values with shares, mean length) and datetimes (ISO range)", () => {
    const t = tableFromRecords(
      ["bb", "a", "bb", "ccc", null, "bb", "a"].map((c, i) => ({
        c,
        d: new Date(Date.UTC(2021, 0, 1 + i * 10)).toISOString(),
      })),
    );
    const r = qualityReport(t);
    expect(r.schema[0].categorical?.top).toEqual([
      { value: "bb", count: 3, share: 0.5 },
      { value: "a", count: 2, share: 2 / 6 },
      { value: "ccc", count: 1, share: 1 / 6 },
    ]);
    expect(r.schema[0].categorical?.meanLength).toBeCloseTo((2 * 3 + 1 * 2 + 3) / 6, 12);
    expect(r.schema[0].missingPct).toBeCloseTo(100 / 7, 12);
    expect(r.schema[1].datetime).toEqual({
      min: "2021-01-01T00:00:00.000Z",
      max: "2021-03-02T00:00:00.000Z",
    });
  });
});

describe("duplicate rows", () => {
  it("counts rows equal to an earlier row, as a naive string join of the rows does", () => {
    const row = fc.record({
      n: fc.option(fc.constantFrom(0, -0, 1.5, 2), { nil: null }),
      c: fc.option(fc.constantFrom("a", "b"), { nil: null }),
      b: fc.option(fc.boolean(), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (records) => {
        const t = tableFromRecords(records);
        const seen = new Set<string>();
        let naive = 0;
        for (let i = 0; i < t.nRows; i++) {
          const key = JSON.stringify(t.row(i)); // -0 prints as 0 and missing as null: equal cells
          if (seen.has(key)) naive++;
          seen.add(key);
        }
        const d = duplicateRows(t);
        expect(d.count).toBe(naive);
        for (const e of d.examples) {
          expect(e.duplicateOf).toBeLessThan(e.row);
          expect(JSON.stringify(t.row(e.row))).toBe(JSON.stringify(t.row(e.duplicateOf)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("tells apart rows that differ in one cell among many columns (no false matches)", () => {
    const rng = new Random(7);
    const records = Array.from({ length: 2000 }, () => ({
      a: rng.int(3),
      b: rng.int(3),
      c: ["x", "y"][rng.int(2)],
      d: rng.int(2) === 0,
      e: rng.int(3) / 2,
    }));
    const keys = records.map((r) => JSON.stringify(r));
    expect(duplicateRows(tableFromRecords(records)).count).toBe(keys.length - new Set(keys).size);
  });
});

/** A learnable dataset: `y` depends on a weak and a noisy feature, plus planted columns. */
function dataset(
  n: number,
  seed: number,
  extra: (i: number, y: string, rng: Random) => Record<string, unknown>,
) {
  const rng = new Random(seed);
  return tableFromRecords(
    Array.from({ length: n }, (_, i) => {
      const signal = rng.normal();
      const y = signal + rng.normal() > 0 ? "yes" : "no";
      return {
        weak: signal + 0.5 * rng.normal(),
        noise: rng.normal(),
        colour: ["r", "g", "b"][rng.int(3)],
        y,
        ...extra(i, y, rng),
      };
    }),
  );
}

describe("target leakage", () => {
  it("flags a relabeled copy of the target as an error, and the data as unfit", () => {
    const r = qualityReport(
      dataset(300, 1, (_, y) => ({ copy: y === "yes" ? "Y" : "N" })),
      { target: "y" },
    );
    expect(find(r, "target_leak", "copy")?.severity).toBe("error");
    expect(r.leakage.map((l) => [l.column, l.kind])).toEqual([["copy", "equal"]]);
    expect(r.verdict).toBe("unfit");
  });

  it("flags a perfect threshold feature as a warning with its score, not the weak ones", () => {
    const r = qualityReport(
      dataset(400, 2, (_, y, rng) => ({ score: y === "yes" ? 0.5 + rng.next() : -rng.next() })),
      { target: "y" },
    );
    const leak = find(r, "target_leak", "score");
    expect(leak?.severity).toBe("warning");
    expect(leak?.message).toMatch(/score/);
    const suspect = r.leakage.find((l) => l.column === "score");
    expect(suspect).toMatchObject({ kind: "predictive", metric: "stump_accuracy", score: 1 });
    for (const weak of ["weak", "noise", "colour"]) expect(find(r, "target_leak", weak)).toBeUndefined();
    expect(r.verdict).toBe("fit_with_warnings");
  });

  it("flags a categorical feature whose levels give the class, not one that is right 80% of the time", () => {
    const r = qualityReport(
      dataset(400, 3, (i, y) => ({
        grade: y === "yes" ? ["A", "B"][i % 2] : ["C", "D"][i % 2],
        hint: i % 5 === 0 ? (y === "yes" ? "no" : "yes") : y,
      })),
      { target: "y" },
    );
    expect(r.leakage.find((l) => l.column === "grade")).toMatchObject({
      metric: "level_majority_accuracy",
      score: 1,
    });
    expect(r.leakage.find((l) => l.column === "hint")).toBeUndefined();
  });

  it("regression: flags |r| ≥ threshold and an identical column, not a weak correlate", () => {
    const rng = new Random(4);
    const t = tableFromRecords(
      Array.from({ length: 300 }, () => {
        const y = rng.normal() * 10;
        return { y, twin: y, almost: 2 * y + 0.01 * rng.normal(), weak: y + 10 * rng.normal() };
      }),
    );
    const r = qualityReport(t, { target: "y" });
    expect(r.target?.task?.task).toBe("regression");
    expect(r.leakage.find((l) => l.column === "twin")).toMatchObject({ kind: "equal" });
    expect(r.leakage.find((l) => l.column === "almost")).toMatchObject({
      kind: "predictive",
      metric: "abs_pearson_r",
    });
    expect(r.leakage.find((l) => l.column === "weak")).toBeUndefined();
  });

  it("does not call a feature predictive because the target is imbalanced", () => {
    // 99.5% "no": a constant-ish feature is 99.5% accurate but explains nothing.
    const t = tableFromRecords(
      Array.from({ length: 2000 }, (_, i) => ({
        f: i % 400 === 0 ? "u" : "v",
        y: i % 200 === 7 ? "yes" : "no",
      })),
    );
    expect(qualityReport(t, { target: "y" }).leakage).toEqual([]);
  });

  it("does not score id-like columns", () => {
    const r = qualityReport(
      dataset(300, 5, (i, y) => ({ id: `${y}-${i}` })),
      { target: "y" },
    );
    expect(r.schema.find((c) => c.name === "id")?.type).toBe("id");
    expect(r.leakage).toEqual([]);
  });
});

describe("findings and verdict", () => {
  it("blocks training on too few rows and on a class below minPerClass", () => {
    const small = dataset(20, 6, () => ({}));
    const r = qualityReport(small, { target: "y" });
    expect(find(r, "too_few_rows")?.severity).toBe("error");
    expect(r.verdict).toBe("unfit");
    const rare = tableFromRecords(
      Array.from({ length: 100 }, (_, i) => ({ x: i % 9, y: i < 3 ? "rare" : i % 2 ? "a" : "b" })),
    );
    const r2 = qualityReport(rare, { target: "y" });
    expect(find(r2, "class_too_small", "y")?.message).toMatch(/"rare" has 3 rows/);
    expect(r2.verdict).toBe("unfit");
    expect(qualityReport(rare, { target: "y", minPerClass: 3 }).verdict).not.toBe("unfit");
  });

  it("reports a single-class and an all-missing target as errors (not exceptions)", () => {
    const one = tableFromRecords(Array.from({ length: 60 }, (_, i) => ({ x: i, y: "a" })));
    expect(find(qualityReport(one, { target: "y" }), "single_class")?.severity).toBe("error");
    const none = tableFromRecords(Array.from({ length: 60 }, (_, i) => ({ x: i, y: null })));
    const r = qualityReport(none, { target: "y" });
    expect(codes(r)).toContain("target_all_missing");
    expect(r.verdict).toBe("unfit");
  });

  it("throws for a target that does not exist or a task it cannot support", () => {
    const t = dataset(60, 7, () => ({}));
    expect(() => qualityReport(t, { target: "nope" })).toThrow(DataLoadError);
    expect(() => qualityReport(t, { target: "y", task: "regression" })).toThrow(/"y"/);
  });

  it("reports column problems with stable codes", () => {
    const rng = new Random(8);
    const t = tableFromRecords(
      Array.from({ length: 200 }, (_, i) => ({
        id: i,
        k: "same",
        gone: null,
        rare: i === 0 ? "x" : "y",
        sparse: i % 3 === 0 ? i : null,
        city: `c${rng.int(120)}`,
        y: i % 2 ? "p" : "q",
      })),
    );
    const r = qualityReport(t, { target: "y" });
    const at = (code: string) => r.findings.filter((f) => f.code === code).map((f) => f.column);
    expect(at("id_like")).toEqual(["id"]);
    expect(at("constant_column")).toEqual(["k"]);
    expect(at("all_missing")).toEqual(["gone"]);
    expect(at("near_constant")).toEqual(["rare"]);
    expect(at("high_missing")).toEqual(["sparse"]);
    expect(at("high_cardinality")).toEqual(["city"]);
  });

  it("reports duplicates, missing targets and imbalance", () => {
    const records = Array.from({ length: 120 }, (_, i) => ({
      x: i % 40,
      y: i % 40 === 0 ? null : i % 20 < 2 ? "r" : "c",
    }));
    const r = qualityReport(tableFromRecords(records), { target: "y" });
    expect(find(r, "duplicate_rows")?.message).toMatch(/^80 rows/);
    expect(find(r, "missing_target")?.message).toMatch(/^3 rows/);
    const count = (label: string) => records.filter((x) => x.y === label).length;
    expect(r.target?.imbalanceRatio).toBe(count("c") / count("r"));
    expect(find(r, "imbalanced")?.severity).toBe("warning"); // 108 / 9 = 12 ≥ 10
  });

  it("sorts findings by severity, keeping order within a severity", () => {
    const f = (severity: "error" | "warning" | "info", code: string) => ({ severity, code, message: code });
    const sorted = sortFindings([
      f("info", "a"),
      f("warning", "b"),
      f("error", "c"),
      f("warning", "d"),
      f("error", "e"),
    ]);
    expect(sorted.map((x) => x.code)).toEqual(["c", "e", "b", "d", "a"]);
    expect(verdictOf(sorted)).toBe("unfit");
    expect(verdictOf(sorted.filter((x) => x.severity !== "error"))).toBe("fit_with_warnings");
    expect(verdictOf(sorted.filter((x) => x.severity === "info"))).toBe("fit");
  });

  it("every report has findings in severity order and a verdict consistent with them", () => {
    const r = qualityReport(
      dataset(30, 9, (i) => ({ id: i, k: 1 })),
      { target: "y" },
    );
    const rank = { error: 0, warning: 1, info: 2 };
    const ranks = r.findings.map((x) => rank[x.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(r.verdict === "unfit").toBe(r.findings.some((x) => x.severity === "error"));
  });
});

describe("serialisation and rendering", () => {
  const rng = new Random(10);
  const t = tableFromRecords(
    Array.from({ length: 80 }, (_, i) => ({
      n: i % 7 === 0 ? null : rng.normal(),
      one: 1,
      c: i % 5 === 0 ? null : ["a", "b", "c"][i % 3],
      b: i % 4 === 0,
      d: new Date(Date.UTC(2022, 0, 1 + i)).toISOString(),
      empty: null,
      y: i % 3 === 0 ? "x" : "z",
    })),
  );

  it("survives a JSON round trip unchanged (no typed arrays, NaN or undefined inside)", () => {
    const r = qualityReport(t, { target: "y", source: "mem.csv" });
    expect(JSON.parse(JSON.stringify(r))).toStrictEqual(r);
    const noTarget = qualityReport(t);
    expect(JSON.parse(JSON.stringify(noTarget))).toStrictEqual(noTarget);
  });

  it("renders the header, every column, the classes, the findings and the verdict", () => {
    const r = qualityReport(t, { target: "y", source: "mem.csv" });
    const text = renderQualityReport(r, { color: false, width: 100 });
    expect(text).toMatch(/^mem\.csv\n80 rows × 7 columns · target "y" · binary/);
    for (const c of t.names) expect(text).toMatch(new RegExp(`^${c}\\s`, "m"));
    expect(text).toMatch(/Classes of "y"/);
    expect(text).toMatch(/█/);
    expect(text).toMatch(/constant_column/);
    expect(text).toMatch(/Verdict: FIT for training, with warnings/);
    expect(text).not.toContain(ESC);
    for (const line of text.split("\n").filter((l) => !l.includes("[") && !l.startsWith("  "))) {
      expect(line.length).toBeLessThanOrEqual(100);
    }
    expect(renderQualityReport(r, { color: true })).toContain(ESC);
  });
});

describe("many small classes", () => {
  it("are summarised in one finding instead of one per class", () => {
    const t = tableFromRecords(Array.from({ length: 200 }, (_, i) => ({ x: i, y: i % 40 })));
    const r = qualityReport(t, { target: "y", task: "multiclass" });
    const small = r.findings.filter((f) => f.code === "class_too_small");
    expect(small).toHaveLength(1);
    expect(small[0].message).toMatch(/^40 classes have too few rows, e\.g\. "0" \(5\)/);
  });
});
