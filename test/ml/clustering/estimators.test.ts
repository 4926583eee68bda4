import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Table } from "../../../src/data/table.js";
import { createEstimator, estimatorFromParts, loadModel, saveModel } from "../../../src/ml/catalog.js";
import { DBSCAN } from "../../../src/ml/clustering/dbscan.js";
import { KMeans } from "../../../src/ml/clustering/kmeans.js";
import { MiniBatchKMeans } from "../../../src/ml/clustering/minibatch.js";
import { InputError, ModelFormatError, NotFittedError, ParameterError } from "../../../src/ml/errors.js";
import type { ModelParts } from "../../../src/ml/estimator.js";
import { FeatureMatrix } from "../../../src/ml/features.js";
import { adjustedRandScore } from "../../../src/ml/metrics/clustering.js";
import { dbscanCases, fincoach, iris, miniBatchReferenceInertia, rowsToMatrix } from "./helpers.js";

const fin = await fincoach();
const irisData = await iris();
const truthCodes = (() => {
  const levels = [...new Set(fin.truth)];
  return fin.truth.map((s) => levels.indexOf(s));
})();

const pointsArb = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 6, max: 60 })).chain(([d, n]) =>
  fc.array(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: d, maxLength: d }), {
    minLength: n,
    maxLength: n,
  }),
);

function sq(row: number[], centers: Float64Array, c: number): number {
  let s = 0;
  for (let t = 0; t < row.length; t++) s += (row[t] - centers[c * row.length + t]) ** 2;
  return s;
}

describe("KMeans properties", () => {
  it("after fit, every row's label is its nearest center and inertia is the sum of those distances", async () => {
    await fc.assert(
      fc.asyncProperty(
        pointsArb,
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom("lloyd", "elkan"),
        async (rows, k, algorithm) => {
          fc.pre(k <= rows.length);
          const km = await new KMeans({ nClusters: k, algorithm, randomState: 1 }).fit(rowsToMatrix(rows));
          const labels = km.labels ?? new Int32Array(0);
          let inertia = 0;
          rows.forEach((r, i) => {
            const own = sq(r, km.clusterCenters, labels[i]);
            for (let c = 0; c < k; c++)
              expect(own).toBeLessThanOrEqual(sq(r, km.clusterCenters, c) * (1 + 1e-9) + 1e-9);
            inertia += own;
          });
          expect(km.inertia).toBeCloseTo(inertia, 6);
          expect(Array.from(km.predict(rowsToMatrix(rows)))).toEqual(Array.from(labels));
        },
      ),
      { numRuns: 80 },
    );
  });

  it("inertia does not increase with k when k+1 starts from the k solution plus one row", async () => {
    await fc.assert(
      fc.asyncProperty(pointsArb, fc.integer({ min: 0, max: 1000 }), async (rows, seed) => {
        const X = rowsToMatrix(rows);
        let centers: number[][] = [rows[seed % rows.length]];
        let previous = Number.POSITIVE_INFINITY;
        for (let k = 1; k <= Math.min(5, rows.length); k++) {
          const km = await new KMeans({ nClusters: k, init: centers, tol: 0 }).fit(X);
          expect(km.inertia).toBeLessThanOrEqual(previous * (1 + 1e-12) + 1e-9);
          previous = km.inertia;
          const d = rows[0].length;
          centers = Array.from({ length: k }, (_, c) =>
            Array.from(km.clusterCenters.subarray(c * d, c * d + d)),
          );
          centers.push(rows[(seed * 7 + k * 13) % rows.length]);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("the same seed gives the same model; Lloyd and Elkan agree", async () => {
    for (const init of ["k-means++", "random"] as const) {
      const a = await new KMeans({ nClusters: 5, init, randomState: 11 }).fit(fin.X);
      const b = await new KMeans({ nClusters: 5, init, randomState: 11 }).fit(fin.X);
      const c = await new KMeans({ nClusters: 5, init, randomState: 11, algorithm: "lloyd" }).fit(fin.X);
      expect(Array.from(a.clusterCenters)).toEqual(Array.from(b.clusterCenters));
      expect(Math.abs(a.inertia - c.inertia) / a.inertia).toBeLessThan(1e-12);
    }
  });

  it("sample weights count as repeated rows", async () => {
    const rows = [[0], [1], [10], [11], [12]];
    const weighted = await new KMeans({ nClusters: 2, init: [[0], [10]] }).fit(rowsToMatrix(rows), {
      sampleWeight: Float64Array.from([1, 3, 1, 1, 2]),
    });
    const repeated = await new KMeans({ nClusters: 2, init: [[0], [10]] }).fit(
      rowsToMatrix([[0], [1], [1], [1], [10], [11], [12], [12]]),
    );
    expect(Array.from(weighted.clusterCenters)).toEqual(Array.from(repeated.clusterCenters));
    expect(weighted.inertia).toBeCloseTo(repeated.inertia, 12);
  });

  it("transform gives the distances to every center; progress is reported", async () => {
    const seen: number[] = [];
    const km = await new KMeans({ nClusters: 4, randomState: 2 }).fit(fin.X, {
      onProgress: (p) => seen.push(p.done / p.total),
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen[seen.length - 1]).toBe(1);
    const dist = km.transform(fin.X);
    const labels = km.predict(fin.X);
    for (let i = 0; i < fin.X.nRows; i++) {
      const row = Array.from(dist.subarray(i * 4, i * 4 + 4));
      expect(row.indexOf(Math.min(...row))).toBe(labels[i]);
    }
    const total = Array.from(labels).reduce((s, l, i) => s + dist[i * 4 + l] ** 2, 0);
    expect(total).toBeCloseTo(km.inertia, 6);
  });

  it("recovers the planted fincoach segments (adjusted Rand index vs the truth)", async () => {
    const km = await new KMeans({ nClusters: 5, nInit: 4, randomState: 0 }).fit(fin.X);
    expect(adjustedRandScore(truthCodes, km.labels ?? [])).toBeGreaterThan(0.95);
  });
});

describe("MiniBatchKMeans", () => {
  it("gets close to the k-means inertia on fincoach and finds the segments", async () => {
    const mb = await new MiniBatchKMeans({ nClusters: 5, batchSize: 256, nInit: 3, randomState: 0 }).fit(
      fin.X,
    );
    expect(mb.inertia).toBeLessThan(miniBatchReferenceInertia * 1.05);
    expect(adjustedRandScore(truthCodes, mb.labels ?? [])).toBeGreaterThan(0.9);
    expect(Array.from(mb.predict(fin.X))).toEqual(Array.from(mb.labels ?? []));
    const again = await new MiniBatchKMeans({ nClusters: 5, batchSize: 256, nInit: 3, randomState: 0 }).fit(
      fin.X,
    );
    expect(Array.from(again.clusterCenters)).toEqual(Array.from(mb.clusterCenters));
  });
});

describe("DBSCAN against scikit-learn 1.2.1", () => {
  for (const c of dbscanCases) {
    it(c.name, async () => {
      const X = c.name.startsWith("iris") ? irisData.X : fin.X;
      const db = await new DBSCAN({ eps: c.eps, minSamples: c.minSamples }).fit(X);
      expect(Array.from(db.coreSampleIndices ?? [])).toEqual(c.coreSampleIndices);
      expect(Array.from(db.labels ?? [], (l) => l === -1)).toEqual(c.labels.map((l) => l === -1));
      expect(adjustedRandScore(db.labels ?? [], c.labels)).toBeGreaterThan(0.999);
      // predict: core rows keep their cluster; noise rows stay noise.
      const p = db.predict(X);
      for (const i of c.coreSampleIndices) expect(p[i]).toBe(db.labels?.[i]);
      c.labels.forEach((l, i) => {
        if (l === -1) expect(p[i]).toBe(-1);
      });
    });
  }
});

describe("save, load, clone, spec", () => {
  const dir = mkdtempSync(join(tmpdir(), "trainyard-clustering-"));
  const models = [
    () => new KMeans({ nClusters: 4, randomState: 3 }),
    () => new MiniBatchKMeans({ nClusters: 4, batchSize: 200, randomState: 3 }),
    () => new DBSCAN({ eps: 1.2, minSamples: 10 }),
  ];
  for (const make of models) {
    it(make().kind, async () => {
      const model = await make().fit(fin.X);
      const path = join(dir, `${model.kind}.tymodel`);
      await saveModel(path, model);
      const loaded = (await loadModel(path)).estimator;
      expect(loaded.kind).toBe(model.kind);
      if (loaded.task !== "clustering") throw new Error("not a clusterer");
      // Extra columns are ignored; columns are picked by name.
      const shuffled = new FeatureMatrix([...fin.X.features].reverse(), fin.X.nRows);
      expect(Array.from(loaded.predict(shuffled))).toEqual(Array.from(model.predict(fin.X)));
      const spec = model.toSpec();
      const rebuilt = createEstimator(spec);
      expect(rebuilt.isFitted).toBe(false);
      expect(rebuilt.toSpec()).toEqual(spec);
      expect(model.clone().isFitted).toBe(false);
    });
  }

  it("a hostile model file is a ModelFormatError", async () => {
    const km = await new KMeans({ nClusters: 3 }).fit(irisData.X);
    const parts = km.toParts();
    const bad: ModelParts[] = [
      { ...parts, arrays: { clusterCenters: new Float64Array(5) } },
      { ...parts, arrays: { clusterCenters: new Float64Array(12).fill(Number.NaN) } },
      { ...parts, arrays: {} },
      { ...parts, params: { ...parts.params, nClusters: -1 } },
      { ...parts, params: { ...parts.params, bogus: 1 } },
      { ...parts, features: [{ kind: "categorical", name: "a", levels: [] }] },
      { ...parts, state: { inertia: "x", nIter: 1 } },
    ];
    for (const p of bad) expect(() => estimatorFromParts(p)).toThrow(ModelFormatError);
    const db = await new DBSCAN({ eps: 0.5 }).fit(irisData.X);
    const dp = db.toParts();
    const labels = new Int32Array(dp.arrays.coreLabels as Int32Array);
    labels[0] = 99;
    expect(() => estimatorFromParts({ ...dp, arrays: { ...dp.arrays, coreLabels: labels } })).toThrow(
      ModelFormatError,
    );
    expect(() => estimatorFromParts({ ...dp, state: { ...dp.state, nCore: 1e12 } })).toThrow(
      ModelFormatError,
    );
  });
});

describe("bad input", () => {
  it("names the categorical or missing column, the bad parameter, or the unfitted model", async () => {
    const table = new Table([
      { kind: "numeric", name: "amount", values: Float64Array.from([1, 2, 3, 4]) },
      { kind: "categorical", name: "city", codes: Int32Array.from([0, 1, 0, 1]), levels: ["a", "b"] },
    ]);
    await expect(new KMeans({ nClusters: 2 }).fit(table)).rejects.toThrow(/city/);
    const missing = rowsToMatrix([[1], [Number.NaN], [3]]);
    await expect(new KMeans({ nClusters: 2 }).fit(missing)).rejects.toThrow(InputError);
    await expect(new DBSCAN().fit(missing)).rejects.toThrow(/x0/);
    await expect(new KMeans({ nClusters: 5 }).fit(rowsToMatrix([[1], [2]]))).rejects.toThrow(ParameterError);
    await expect(
      new KMeans({
        nClusters: 2,
        init: [
          [1, 2],
          [3, 4],
        ],
      }).fit(rowsToMatrix([[1], [2]])),
    ).rejects.toThrow(/init/);
    expect(() => new KMeans({ nClusters: 0 })).toThrow(/KMeans.nClusters/);
    expect(() => new KMeans({ algorithm: "fast" as "lloyd" })).toThrow(/algorithm/);
    expect(() => new DBSCAN({ eps: 0 })).toThrow(/eps/);
    expect(() => new MiniBatchKMeans({ batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new KMeans().predict(missing)).toThrow(NotFittedError);
    await expect(
      new KMeans({ nClusters: 1 }).fit(rowsToMatrix([[1], [2]]), {
        sampleWeight: Float64Array.from([1, -1]),
      }),
    ).rejects.toThrow(/sampleWeight/);
  });

  it("a fit can be cancelled", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(new KMeans().fit(fin.X, { signal: controller.signal })).rejects.toThrow("stop");
  });
});
