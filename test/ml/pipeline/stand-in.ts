import { InputError, ModelFormatError, NotFittedError } from "../../../src/ml/errors.js";
import type {
  Classifier,
  Clusterer,
  EstimatorSpec,
  FitOptions,
  ModelParts,
} from "../../../src/ml/estimator.js";
import { FeatureMatrix, type FeatureSpec, type Features } from "../../../src/ml/features.js";
import { argmaxRows, classTarget, decodeLabels, type Label, type Target } from "../../../src/ml/target.js";

/** Dense numbers of X in the fitted feature order; NaN is refused, naming the feature (as a real numeric model). */
function dense(X: Features, spec: readonly FeatureSpec[]): { rows: Float64Array; n: number } {
  const m = FeatureMatrix.from(X, spec);
  const rows = m.toRowMajor();
  const k = m.nCols;
  for (let i = 0; i < rows.length; i++) {
    if (Number.isNaN(rows[i])) {
      const name = m.names[i % k];
      throw new InputError(
        `NearestCentroid: feature "${name}" is missing at row ${Math.floor(i / k) + 1}`,
        name,
      );
    }
  }
  return { rows, n: m.nRows };
}

/** A tiny classifier for pipeline tests: the class of the nearest class mean, probabilities ∝ exp(-distance²). */
export class NearestCentroid implements Classifier<{ temperature: number }> {
  readonly kind = "nearest_centroid";
  readonly task = "classification" as const;
  warnings: string[] = [];
  classes: Label[] = [];
  spec: FeatureSpec[] | null = null;
  centroids: Float64Array<ArrayBufferLike> = new Float64Array(0);
  /** The last fit's options, for tests of what the pipeline passes on. */
  lastOptions: FitOptions | undefined;

  constructor(readonly params: { temperature: number } = { temperature: 1 }) {
    for (const key of Object.keys(params)) if (key !== "temperature") throw new Error(`unknown ${key}`);
  }

  get isFitted(): boolean {
    return this.spec !== null;
  }

  async fit(X: Features, y: Target, options?: FitOptions): Promise<this> {
    this.lastOptions = options;
    const spec = FeatureMatrix.from(X).spec();
    const { rows, n } = dense(X, spec);
    const t = classTarget(y);
    const k = spec.length;
    const c = new Float64Array(t.classes.length * k);
    const counts = new Float64Array(t.classes.length);
    for (let i = 0; i < n; i++) {
      counts[t.codes[i]]++;
      for (let j = 0; j < k; j++) c[t.codes[i] * k + j] += rows[i * k + j];
    }
    for (let a = 0; a < t.classes.length; a++) for (let j = 0; j < k; j++) c[a * k + j] /= counts[a];
    this.classes = [...t.classes];
    this.centroids = c;
    this.spec = spec;
    return this;
  }

  predictProba(X: Features): Float64Array {
    if (!this.spec) throw new NotFittedError(this.kind);
    const { rows, n } = dense(X, this.spec);
    const k = this.spec.length;
    const m = this.classes.length;
    const out = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      let total = 0;
      for (let a = 0; a < m; a++) {
        let d = 0;
        for (let j = 0; j < k; j++) d += (rows[i * k + j] - this.centroids[a * k + j]) ** 2;
        out[i * m + a] = Math.exp(-d / this.params.temperature);
        total += out[i * m + a];
      }
      for (let a = 0; a < m; a++) out[i * m + a] = total > 0 ? out[i * m + a] / total : 1 / m;
    }
    return out;
  }

  predict(X: Features): Label[] {
    return decodeLabels(argmaxRows(this.predictProba(X), this.classes.length), this.classes);
  }

  clone(overrides: Partial<{ temperature: number }> = {}): this {
    return new NearestCentroid({ ...this.params, ...overrides }) as this;
  }

  toSpec(): EstimatorSpec {
    return { kind: this.kind, params: { ...this.params } };
  }

  toParts(): ModelParts {
    if (!this.spec) throw new NotFittedError(this.kind);
    return {
      kind: this.kind,
      params: { ...this.params },
      features: this.spec,
      state: { classes: this.classes },
      arrays: { centroids: this.centroids },
    };
  }

  static fromParts(parts: ModelParts): NearestCentroid {
    const out = new NearestCentroid(parts.params as { temperature: number });
    const classes = parts.state.classes;
    const c = parts.arrays.centroids;
    if (
      !Array.isArray(classes) ||
      !(c instanceof Float64Array) ||
      c.length !== classes.length * parts.features.length
    ) {
      throw new ModelFormatError("nearest_centroid: bad parts");
    }
    out.classes = classes as Label[];
    out.centroids = c;
    out.spec = [...parts.features];
    return out;
  }
}

/** A tiny clusterer: row i's cluster is whether its first feature is above the training mean. */
export class SplitAtMean implements Clusterer<Record<string, never>> {
  readonly kind = "split_at_mean";
  readonly task = "clustering" as const;
  readonly params = {};
  warnings: string[] = [];
  mean: number | null = null;
  spec: FeatureSpec[] = [];

  get isFitted(): boolean {
    return this.mean !== null;
  }

  async fit(X: Features, _options?: FitOptions): Promise<this> {
    const m = FeatureMatrix.from(X);
    const v = m.numericColumn(0);
    this.mean = v.reduce((a, b) => a + b, 0) / v.length;
    this.spec = m.spec();
    return this;
  }

  predict(X: Features): Int32Array {
    const v = FeatureMatrix.from(X, this.spec).numericColumn(0);
    return Int32Array.from(v, (x) => (x > (this.mean as number) ? 1 : 0));
  }

  clone(): this {
    return new SplitAtMean() as this;
  }

  toSpec(): EstimatorSpec {
    return { kind: this.kind, params: {} };
  }

  toParts(): ModelParts {
    return { kind: this.kind, params: {}, features: this.spec, state: { mean: this.mean }, arrays: {} };
  }
}
