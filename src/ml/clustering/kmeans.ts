import type { Clusterer, FitOptions, ModelParts } from "../estimator.js";
import type { Features } from "../features.js";
import { choice, custom, int, nullable, num, oneOf, type ParamsOf, resolveParams } from "../params.js";
import { CentroidClusterer } from "./centroid.js";
import { checkWeights, numericColumns } from "./dense.js";
import { fitKMeans, type KMeansInit } from "./run.js";

const KIND = "kmeans";

/** Explicit initial centers: a non-empty list of equally long lists of finite numbers. */
export const centersParam = custom<KMeansInit>(
  '"k-means++", "random", or explicit centers (a list of nClusters lists of one number per feature)',
  "k-means++",
  (v) => {
    if (v === "k-means++" || v === "random") return v;
    if (!Array.isArray(v) || v.length === 0) return undefined;
    const d = Array.isArray(v[0]) ? v[0].length : -1;
    const ok = v.every(
      (r) =>
        Array.isArray(r) &&
        r.length === d &&
        d > 0 &&
        r.every((x) => typeof x === "number" && Number.isFinite(x)),
    );
    return ok ? (v as number[][]).map((r) => [...r]) : undefined;
  },
);

export const KMEANS_PARAMS = {
  /** The number of clusters k. */
  nClusters: int(1, 8),
  /** Greedy k-means++ (as scikit-learn), k random rows, or explicit k × d centers. */
  init: centersParam,
  /** Runs from different starts, the least inertia kept; "auto": 1 (k-means++, explicit) or 10 (random). */
  nInit: oneOf<number | "auto">([choice(["auto"] as const, "auto"), int(1, 1)], "auto"),
  maxIter: int(1, 300),
  /** Converged when Σ squared center shifts ≤ tol × the mean feature variance (scikit-learn's rule). */
  tol: num(1e-4, { min: 0 }),
  /** "elkan" gives the same result as "lloyd" with fewer distance computations (bounds); it pays
   * with many iterations or clusters; with few (the usual case) Lloyd's simpler pass is faster. */
  algorithm: choice(["lloyd", "elkan"] as const, "lloyd"),
  randomState: int(0, 0, 2 ** 32 - 1),
  /**
   * Threads per fit: 1, or 2 to split every pass with a helper thread (same result bit for bit).
   * null: 2 only for large fits (rows × features × k ≥ 2^26) in the main thread of a machine with
   * a spare core, as starting the helper costs more than it saves on smaller ones.
   */
  nThreads: nullable(int(1, 1, 256)),
};
export type KMeansParams = ParamsOf<typeof KMEANS_PARAMS>;

/**
 * k-means clustering: k centers minimizing the (weighted) sum of squared distances of rows to
 * their nearest center. Inputs must be numeric and complete (an InputError names the column);
 * scale features first when their units differ (a pipeline with a scaler), as distances mix them.
 * `predict` gives the nearest center; the training rows' clusters are in `labels` after fit.
 */
export class KMeans extends CentroidClusterer<KMeansParams> implements Clusterer<KMeansParams> {
  readonly kind = KIND;
  readonly params: Readonly<KMeansParams>;

  constructor(params: Partial<KMeansParams> = {}) {
    super();
    this.params = resolveParams("KMeans", KMEANS_PARAMS, params);
  }

  async fit(X: Features, options: FitOptions = {}): Promise<this> {
    const cols = numericColumns(X, undefined, false); // the workspace checks the values
    const weights = checkWeights(options.sampleWeight, cols.nRows);
    const result = await fitKMeans("KMeans", cols, this.params, weights, options);
    this.inertia = result.inertia;
    this.nIter = result.nIter;
    this.warnings = result.warnings;
    this.setFitted(cols.spec, result.centers, result.labels);
    return this;
  }

  clone(overrides: Partial<KMeansParams> = {}): this {
    return new KMeans({ ...this.params, ...overrides }) as this;
  }

  static fromParts(parts: ModelParts): KMeans {
    return CentroidClusterer.load(KIND, parts, (p) => new KMeans(p as Partial<KMeansParams>));
  }
}
