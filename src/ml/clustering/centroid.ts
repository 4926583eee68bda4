import { NotFittedError } from "../errors.js";
import type { EstimatorSpec, JsonObject, ModelParts } from "../estimator.js";
import type { FeatureSpec, Features } from "../features.js";
import { denseRows } from "./dense.js";
import { assignNearest } from "./distance.js";
import { expectKind, finiteArray, numericFeatures, paramsFrom, stateNumber, stateStrings } from "./parts.js";

/** What KMeans and MiniBatchKMeans share: fitted centers, nearest-center predict, the model file. */
export abstract class CentroidClusterer<P extends { nClusters: number }> {
  abstract readonly kind: string;
  readonly task = "clustering" as const;
  abstract readonly params: Readonly<P>;
  warnings: readonly string[] = [];
  /** k × d, row-major. */
  clusterCenters: Float64Array = new Float64Array(0);
  /** The training rows' clusters (not stored in model files: undefined after loading). */
  labels: Int32Array | undefined;
  /** Sum of (weighted) squared distances of the training rows to their centers. */
  inertia = Number.NaN;
  nIter = 0;
  protected features: FeatureSpec[] | undefined;

  get isFitted(): boolean {
    return this.features !== undefined;
  }

  get featureNames(): string[] {
    return (this.features ?? []).map((f) => f.name);
  }

  /** The nearest center of each row (the lowest index on a tie). */
  predict(X: Features): Int32Array {
    const rows = denseRows(X, this.fitted());
    const labels = new Int32Array(rows.nRows);
    assignNearest(rows.data, rows.nRows, rows.nCols, this.clusterCenters, this.params.nClusters, labels);
    return labels;
  }

  /** Euclidean distance of each row to every center, row-major nRows × k. */
  transform(X: Features): Float64Array {
    const { data, nRows, nCols } = denseRows(X, this.fitted());
    const k = this.params.nClusters;
    const c = this.clusterCenters;
    const out = new Float64Array(nRows * k);
    for (let i = 0; i < nRows; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < nCols; t++) {
          const diff = data[i * nCols + t] - c[j * nCols + t];
          s += diff * diff;
        }
        out[i * k + j] = Math.sqrt(s);
      }
    }
    return out;
  }

  toSpec(): EstimatorSpec {
    return { kind: this.kind, params: { ...this.params } as JsonObject };
  }

  toParts(): ModelParts {
    return {
      kind: this.kind,
      params: { ...this.params } as JsonObject,
      features: this.fitted(),
      state: { inertia: this.inertia, nIter: this.nIter, warnings: [...this.warnings] },
      arrays: { clusterCenters: this.clusterCenters },
    };
  }

  protected setFitted(features: FeatureSpec[], centers: Float64Array, labels: Int32Array | undefined) {
    this.features = features;
    this.clusterCenters = centers;
    this.labels = labels;
  }

  protected fitted(): FeatureSpec[] {
    if (!this.features) throw new NotFittedError(this.constructor.name);
    return this.features;
  }

  /** Rebuilds a fitted model of `kind` from parts, validating every array and number read. */
  protected static load<M extends CentroidClusterer<{ nClusters: number }>>(
    kind: string,
    parts: ModelParts,
    make: (params: JsonObject) => M,
  ): M {
    expectKind(parts, kind);
    const model = paramsFrom(kind, parts.params, make);
    const features = numericFeatures(kind, parts.features);
    const centers = finiteArray(kind, parts, "clusterCenters", model.params.nClusters * features.length);
    model.inertia = stateNumber(kind, parts.state, "inertia", 0);
    model.nIter = stateNumber(kind, parts.state, "nIter", 0);
    model.warnings = stateStrings(kind, parts.state, "warnings");
    model.setFitted(features, centers, undefined);
    return model;
  }
}
