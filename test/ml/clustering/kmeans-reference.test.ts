import { describe, expect, it } from "vitest";
import { KMeans } from "../../../src/ml/clustering/kmeans.js";
import { adjustedRandScore } from "../../../src/ml/metrics/clustering.js";
import { fincoach, iris, reference } from "./helpers.js";

const data = { fincoach: await fincoach(), iris: await iris() };

describe("KMeans against scikit-learn 1.2.1 from the same initial centers", () => {
  for (const c of reference.kmeans) {
    for (const algorithm of ["lloyd", "elkan"] as const) {
      it(`${c.name} (${algorithm})`, async () => {
        const X = c.name.startsWith("iris") ? data.iris.X : data.fincoach.X;
        const km = await new KMeans({ nClusters: c.k, init: c.init, tol: c.tol, algorithm }).fit(X);
        expect(Math.abs(km.inertia - c.inertia) / c.inertia).toBeLessThan(1e-3);
        // Same start, same iterations: the same partition and (to rounding) the same centers.
        expect(adjustedRandScore(km.labels ?? [], c.labels)).toBe(1);
        const d = X.nCols;
        for (let j = 0; j < c.k; j++) {
          for (let t = 0; t < d; t++) expect(km.clusterCenters[j * d + t]).toBeCloseTo(c.centers[j][t], 9);
        }
        expect(km.nIter).toBe(c.nIter);
      });
    }
  }
});
