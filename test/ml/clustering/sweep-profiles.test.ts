import { describe, expect, it } from "vitest";
import { KMeans } from "../../../src/ml/clustering/kmeans.js";
import { clusterProfiles } from "../../../src/ml/clustering/profiles.js";
import { sweepK } from "../../../src/ml/clustering/sweep.js";
import { ParameterError } from "../../../src/ml/errors.js";
import { adjustedRandScore } from "../../../src/ml/metrics/clustering.js";
import { fincoach, rowsToMatrix } from "./helpers.js";

const fin = await fincoach();

describe("sweepK", () => {
  it("recommends the planted number of fincoach segments (4 to 6) and reports every k", async () => {
    const sweep = await sweepK(fin.X, { kValues: [2, 3, 4, 5, 6, 7, 8] });
    expect(sweep.points.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(sweep.recommendedK).toBeGreaterThanOrEqual(4);
    expect(sweep.recommendedK).toBeLessThanOrEqual(6);
    expect(sweep.reason).toMatch(/silhouette/);
    for (const p of sweep.points) expect(p.silhouette).not.toBeNull();
    // The recommendation is the best silhouette or within the tolerance of it.
    const best = Math.max(...sweep.points.map((p) => p.silhouette ?? -1));
    const pick = sweep.points.find((p) => p.k === sweep.recommendedK);
    expect(pick?.silhouette).toBeGreaterThanOrEqual(best - 0.02);
  });

  it("scores silhouettes on a seeded sample when asked, with the same recommendation", async () => {
    const options = { kValues: [3, 4, 5, 6, 7], silhouetteSampleSize: 600 };
    const a = await sweepK(fin.X, options);
    const b = await sweepK(fin.X, options);
    expect(a.points.map((p) => p.silhouette)).toEqual(b.points.map((p) => p.silhouette));
    const exact = await sweepK(fin.X, { ...options, silhouetteSampleSize: null });
    a.points.forEach((p, i) => {
      expect(Math.abs((p.silhouette ?? 0) - (exact.points[i].silhouette ?? 0))).toBeLessThan(0.05);
    });
    expect(a.recommendedK).toBeGreaterThanOrEqual(4);
    expect(a.recommendedK).toBeLessThanOrEqual(6);
  });

  it("takes the elbow on silhouette ties and rejects bad k values", async () => {
    // Three tight, equally spaced groups on a line: k = 3 is both the best silhouette and the elbow.
    const rows: number[][] = [];
    for (const c of [0, 10, 20]) for (let i = 0; i < 20; i++) rows.push([c + (i % 5) * 0.01, (i % 3) * 0.01]);
    const sweep = await sweepK(rowsToMatrix(rows), { kValues: [2, 3, 4, 5] });
    expect(sweep.elbowK).toBe(3);
    expect(sweep.recommendedK).toBe(3);
    await expect(sweepK(rowsToMatrix(rows), { kValues: [0] })).rejects.toThrow(ParameterError);
  });
});

describe("clusterProfiles", () => {
  it("describes each fincoach segment by its most distinctive features, in raw units", async () => {
    const km = await new KMeans({ nClusters: 5, nInit: 4, randomState: 0 }).fit(fin.X);
    const labels = km.labels ?? new Int32Array(0);
    const profiles = clusterProfiles(fin.raw, labels, { top: 2 });
    expect(profiles.map((p) => p.label)).toEqual([0, 1, 2, 3, 4]);
    expect(profiles.reduce((s, p) => s + p.size, 0)).toBe(fin.raw.nRows);
    expect(profiles.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 12);
    // Means checked against a direct computation for one feature.
    const age = fin.raw.numericColumn(fin.raw.names.indexOf("age"));
    for (const p of profiles) {
      let s = 0;
      let n = 0;
      labels.forEach((l, i) => {
        if (l === p.label) {
          s += age[i];
          n++;
        }
      });
      expect(p.features.find((f) => f.feature === "age")?.mean).toBeCloseTo(s / n, 9);
      expect(p.distinctive).toHaveLength(2);
      expect(Math.abs(p.distinctive[0].z)).toBeGreaterThanOrEqual(Math.abs(p.distinctive[1].z));
      expect(p.description).toContain(p.distinctive[0].feature);
    }
    // The segment that matches "affluent_investors" best is set apart by income or investments.
    const truth = fin.truth.map((t) => (t === "affluent_investors" ? 1 : 0));
    const best = profiles
      .map((p) => ({
        p,
        ari: adjustedRandScore(
          truth,
          Array.from(labels, (l) => (l === p.label ? 1 : 0)),
        ),
      }))
      .sort((a, b) => b.ari - a.ari)[0].p;
    expect(["monthly_income", "investment_balance", "savings_rate"]).toContain(best.distinctive[0].feature);
    expect(best.distinctive[0].z).toBeGreaterThan(1);
  });

  it("names clusters, labels noise, and skips missing values", () => {
    const X = rowsToMatrix([[1], [2], [Number.NaN], [10], [11]]);
    const p = clusterProfiles(X, [0, 0, 0, 1, -1], { names: { 0: "small", 1: "big" } });
    expect(p.map((c) => c.name)).toEqual(["noise", "small", "big"]);
    expect(p[1].features[0].mean).toBe(1.5);
    expect(p[1].description).toMatch(/^small \(60\.0%\): x0 .*lower/);
  });
});
