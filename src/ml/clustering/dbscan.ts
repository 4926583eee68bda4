import { ModelFormatError, NotFittedError } from "../errors.js";
import {
  type Clusterer,
  type EstimatorSpec,
  type FitOptions,
  type JsonObject,
  type ModelParts,
  throwIfAborted,
} from "../estimator.js";
import type { FeatureSpec, Features } from "../features.js";
import { int, num, type ParamsOf, resolveParams } from "../params.js";
import { checkWeights, denseRows } from "./dense.js";
import {
  expectKind,
  finiteArray,
  indexArray,
  numericFeatures,
  paramsFrom,
  stateNumber,
  stateStrings,
} from "./parts.js";

const KIND = "dbscan";

export const DBSCAN_PARAMS = {
  /** Neighborhood radius (Euclidean). */
  eps: num(0.5, { min: 0, minExclusive: true }),
  /** Rows (or total sample weight), the row itself included, that make a neighborhood dense. */
  minSamples: int(1, 5),
};
export type DBSCANParams = ParamsOf<typeof DBSCAN_PARAMS>;

/**
 * DBSCAN (density-based clustering): a core row has at least `minSamples` rows within `eps`;
 * clusters are the connected core rows plus the rows within `eps` of them; the rest is noise
 * (label −1). The number of clusters is found, not given.
 *
 * Cost: every pair of rows is compared (O(n²) distances, no spatial index) and the neighbor
 * lists are kept, so it suits up to some tens of thousands of rows.
 *
 * `predict` on new rows (DBSCAN itself defines no such thing) gives the label of the nearest core
 * row when it lies within `eps`, else −1; so a training border row may get a different cluster
 * from predict than from fit when it touches two clusters. The model file keeps the core rows.
 */
export class DBSCAN implements Clusterer<DBSCANParams> {
  readonly kind = KIND;
  readonly task = "clustering" as const;
  readonly params: Readonly<DBSCANParams>;
  warnings: readonly string[] = [];
  /** Each training row's cluster, −1 for noise (not stored in model files). */
  labels: Int32Array | undefined;
  /** Indices of the training core rows (not stored in model files). */
  coreSampleIndices: Int32Array | undefined;
  /** The core rows, row-major nCore × d. */
  components: Float64Array = new Float64Array(0);
  /** The cluster of each core row. */
  coreLabels: Int32Array = new Int32Array(0);
  nClusters = 0;
  private features: FeatureSpec[] | undefined;

  constructor(params: Partial<DBSCANParams> = {}) {
    this.params = resolveParams("DBSCAN", DBSCAN_PARAMS, params);
  }

  get isFitted(): boolean {
    return this.features !== undefined;
  }

  async fit(X: Features, options: FitOptions = {}): Promise<this> {
    const { data, nRows: n, nCols: d, spec } = denseRows(X);
    const w = checkWeights(options.sampleWeight, n);
    const eps2 = this.params.eps * this.params.eps;
    // Neighbor lists (CSR), each in increasing row order, the row itself included.
    const starts = new Int32Array(n + 1);
    let neighbors = new Int32Array(Math.max(16, n));
    let used = 0;
    const core = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (i % 1024 === 0 && options.signal) {
        await new Promise((resolve) => setImmediate(resolve));
        throwIfAborted(options.signal);
      }
      let weight = 0;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = data[i * d + t] - data[j * d + t];
          s += diff * diff;
        }
        if (s <= eps2) {
          if (used === neighbors.length) {
            const grown = new Int32Array(neighbors.length * 2);
            grown.set(neighbors);
            neighbors = grown;
          }
          neighbors[used++] = j;
          weight += w ? w[j] : 1;
        }
      }
      starts[i + 1] = used;
      core[i] = weight >= this.params.minSamples ? 1 : 0;
    }
    // Grow clusters from core rows in row order (depth-first, as scikit-learn).
    const labels = new Int32Array(n).fill(-1);
    const stack: number[] = [];
    let cluster = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== -1 || !core[i]) continue;
      let r = i;
      for (;;) {
        if (labels[r] === -1) {
          labels[r] = cluster;
          if (core[r]) {
            for (let e = starts[r]; e < starts[r + 1]; e++)
              if (labels[neighbors[e]] === -1) stack.push(neighbors[e]);
          }
        }
        const next = stack.pop();
        if (next === undefined) break;
        r = next;
      }
      cluster++;
    }
    const coreIdx: number[] = [];
    for (let i = 0; i < n; i++) if (core[i]) coreIdx.push(i);
    this.coreSampleIndices = Int32Array.from(coreIdx);
    this.components = new Float64Array(coreIdx.length * d);
    this.coreLabels = new Int32Array(coreIdx.length);
    coreIdx.forEach((i, c) => {
      this.components.set(data.subarray(i * d, i * d + d), c * d);
      this.coreLabels[c] = labels[i];
    });
    this.labels = labels;
    this.nClusters = cluster;
    this.warnings = cluster === 0 ? [`no core rows: every row is noise (raise eps or lower minSamples)`] : [];
    this.features = spec;
    return this;
  }

  /** The cluster of the nearest core row within eps, or −1 (noise). */
  predict(X: Features): Int32Array {
    const { data, nRows, nCols: d } = denseRows(X, this.fitted());
    const eps2 = this.params.eps * this.params.eps;
    const comp = this.components;
    const m = this.coreLabels.length;
    const out = new Int32Array(nRows).fill(-1);
    for (let i = 0; i < nRows; i++) {
      let bestD = Number.POSITIVE_INFINITY;
      let best = -1;
      for (let c = 0; c < m; c++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = data[i * d + t] - comp[c * d + t];
          s += diff * diff;
        }
        if (s < bestD) {
          bestD = s;
          best = c;
        }
      }
      if (best >= 0 && bestD <= eps2) out[i] = this.coreLabels[best];
    }
    return out;
  }

  clone(overrides: Partial<DBSCANParams> = {}): this {
    return new DBSCAN({ ...this.params, ...overrides }) as this;
  }

  toSpec(): EstimatorSpec {
    return { kind: KIND, params: { ...this.params } as JsonObject };
  }

  toParts(): ModelParts {
    return {
      kind: KIND,
      params: { ...this.params } as JsonObject,
      features: this.fitted(),
      state: { nClusters: this.nClusters, nCore: this.coreLabels.length, warnings: [...this.warnings] },
      arrays: { components: this.components, coreLabels: this.coreLabels },
    };
  }

  static fromParts(parts: ModelParts): DBSCAN {
    expectKind(parts, KIND);
    const model = paramsFrom(KIND, parts.params, (p) => new DBSCAN(p as Partial<DBSCANParams>));
    const features = numericFeatures(KIND, parts.features);
    const nClusters = stateNumber(KIND, parts.state, "nClusters", 0);
    const nCore = stateNumber(KIND, parts.state, "nCore", 0);
    if (!Number.isInteger(nClusters) || !Number.isInteger(nCore) || nCore > 1e9) {
      throw new ModelFormatError(`${KIND}: state.nClusters and state.nCore must be integers`);
    }
    model.coreLabels = indexArray(KIND, parts, "coreLabels", nCore, 0, nClusters);
    model.components = finiteArray(KIND, parts, "components", nCore * features.length);
    model.nClusters = nClusters;
    model.warnings = stateStrings(KIND, parts.state, "warnings");
    model.features = features;
    return model;
  }

  private fitted(): FeatureSpec[] {
    if (!this.features) throw new NotFittedError("DBSCAN");
    return this.features;
  }
}
