import { NotFittedError } from "../errors.js";
import type { Clusterer, EstimatorSpec, FitOptions, JsonObject, ModelParts } from "../estimator.js";
import type { FeatureSpec, Features } from "../features.js";
import { choice, custom, int, num, oneOf, type ParamsOf, resolveParams } from "../params.js";
import { checkWeights, denseRows } from "./dense.js";
import { assignNearest } from "./distance.js";
import { expectKind, finiteArray, numericFeatures, paramsFrom, stateNumber, stateStrings } from "./parts.js";
import { fitKMeansRows, type KMeansInit } from "./run.js";

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
  /** "elkan" gives the same result as "lloyd" with fewer distance computations (bounds). */
  algorithm: choice(["lloyd", "elkan"] as const, "elkan"),
  randomState: int(0, 0, 2 ** 32 - 1),
};
export type KMeansParams = ParamsOf<typeof KMEANS_PARAMS>;

/**
 * k-means clustering: k centers minimizing the (weighted) sum of squared distances of rows to
 * their nearest center. Inputs must be numeric and complete (an InputError names the column);
 * scale features first when their units differ (a pipeline with a scaler), as distances mix them.
 */
export class KMeans implements Clusterer<KMeansParams> {
  readonly kind = KIND;
  readonly task = "clustering" as const;
  readonly params: Readonly<KMeansParams>;
  warnings: readonly string[] = [];
  /** k × d, row-major. */
  clusterCenters: Float64Array = new Float64Array(0);
  /** The training rows' clusters (not stored in model files: undefined after loading). */
  labels: Int32Array | undefined;
  /** Sum of (weighted) squared distances of the training rows to their centers. */
  inertia = Number.NaN;
  nIter = 0;
  private features: FeatureSpec[] | undefined;

  constructor(params: Partial<KMeansParams> = {}) {
    this.params = resolveParams("KMeans", KMEANS_PARAMS, params);
  }

  get isFitted(): boolean {
    return this.features !== undefined;
  }

  get nFeatures(): number {
    return this.features?.length ?? 0;
  }

  get featureNames(): string[] {
    return (this.features ?? []).map((f) => f.name);
  }

  async fit(X: Features, options: FitOptions = {}): Promise<this> {
    const rows = denseRows(X);
    const weights = checkWeights(options.sampleWeight, rows.nRows);
    const result = await fitKMeansRows("KMeans", rows, this.params, weights, options);
    this.clusterCenters = result.centers;
    this.labels = result.labels;
    this.inertia = result.inertia;
    this.nIter = result.nIter;
    this.warnings = result.warnings;
    this.features = rows.spec;
    return this;
  }

  /** The nearest center of each row (the lowest index on a tie). */
  predict(X: Features): Int32Array {
    const features = this.fitted();
    const rows = denseRows(X, features);
    const labels = new Int32Array(rows.nRows);
    assignNearest(rows.data, rows.nRows, rows.nCols, this.clusterCenters, this.params.nClusters, labels);
    return labels;
  }

  /** Distances (Euclidean) of each row to every center, row-major nRows × k. */
  transform(X: Features): Float64Array {
    const features = this.fitted();
    const { data, nRows, nCols } = denseRows(X, features);
    const k = this.params.nClusters;
    const out = new Float64Array(nRows * k);
    for (let i = 0; i < nRows; i++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let t = 0; t < nCols; t++) {
          const diff = data[i * nCols + t] - this.clusterCenters[c * nCols + t];
          s += diff * diff;
        }
        out[i * k + c] = Math.sqrt(s);
      }
    }
    return out;
  }

  clone(overrides: Partial<KMeansParams> = {}): this {
    return new KMeans({ ...this.params, ...overrides }) as this;
  }

  toSpec(): EstimatorSpec {
    return { kind: KIND, params: { ...this.params } as JsonObject };
  }

  toParts(): ModelParts {
    const features = this.fitted();
    return {
      kind: KIND,
      params: { ...this.params } as JsonObject,
      features,
      state: { inertia: this.inertia, nIter: this.nIter, warnings: [...this.warnings] },
      arrays: { clusterCenters: this.clusterCenters },
    };
  }

  static fromParts(parts: ModelParts): KMeans {
    expectKind(parts, KIND);
    const model = paramsFrom(KIND, parts.params, (p) => new KMeans(p as Partial<KMeansParams>));
    const features = numericFeatures(KIND, parts.features);
    const k = model.params.nClusters;
    model.clusterCenters = finiteArray(KIND, parts, "clusterCenters", k * features.length);
    model.inertia = stateNumber(KIND, parts.state, "inertia", 0);
    model.nIter = stateNumber(KIND, parts.state, "nIter", 0);
    model.warnings = stateStrings(KIND, parts.state, "warnings");
    model.features = features;
    return model;
  }

  private fitted(): FeatureSpec[] {
    if (!this.features) throw new NotFittedError("KMeans");
    return this.features;
  }
}
