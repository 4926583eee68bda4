import { ModelFormatError } from "../errors.js";
import type { Classifier, FitOptions, ModelParts, Regressor } from "../estimator.js";
import type { Features } from "../features.js";
import { resolveParams } from "../params.js";
import {
  argmaxRows,
  classTarget,
  decodeLabels,
  type Label,
  regressionTarget,
  type Target,
} from "../target.js";
import { type BoostingConfig, type EvalHistory, fitBoosting } from "./boosting-fit.js";
import { readTreeFit, stateNumbers, TreeModel } from "./model.js";
import {
  GRADIENT_BOOSTING_CLASSIFIER_PARAMS,
  GRADIENT_BOOSTING_REGRESSOR_PARAMS,
  type GradientBoostingClassifierParams,
  type GradientBoostingRegressorParams,
} from "./params.js";
import { readClasses } from "./random-forest.js";

abstract class BoostingBase<P extends object> extends TreeModel<P> {
  protected init: number[] = [];
  protected history: EvalHistory = { metric: "", train: [], valid: [] };

  protected override rawInit(): ArrayLike<number> {
    return this.init;
  }

  protected override averagesTrees(): boolean {
    return false;
  }
  protected best: number | null = null;

  /** Per-round metric on the training rows and the validation rows (when monitored). */
  get evalHistory(): EvalHistory {
    this.state();
    return this.history;
  }

  /** The number of rounds kept by early stopping, or null without early stopping. */
  get bestIteration(): number | null {
    this.state();
    return this.best;
  }

  protected boostingParts(extra: Record<string, never> | object = {}): ModelParts {
    const h = this.history;
    return this.baseParts({
      ...(extra as Record<string, never>),
      init: this.init,
      bestIteration: this.best,
      evalHistory: { metric: h.metric, train: h.train, valid: h.valid },
    });
  }

  protected loadBoosting(parts: ModelParts): void {
    const fit = readTreeFit(parts);
    if (fit.forest.leafWidth !== 1) throw new ModelFormatError("gradient boosting: leaf width must be 1");
    this.init = stateNumbers(parts.state, "init", fit.forest.outWidth);
    const b = parts.state.bestIteration;
    this.best = typeof b === "number" && Number.isInteger(b) && b >= 1 ? b : null;
    const h = parts.state.evalHistory as { metric?: unknown; train?: unknown; valid?: unknown } | null;
    const nums = (v: unknown) =>
      Array.isArray(v) && v.every((x) => typeof x === "number") ? (v as number[]) : [];
    this.history = {
      metric: typeof h?.metric === "string" ? h.metric : "",
      train: nums(h?.train),
      valid: nums(h?.valid),
    };
    this.fitted = fit;
  }
}

function paramsOrFormatError<T>(make: () => T): T {
  try {
    return make();
  } catch (e) {
    throw new ModelFormatError(`bad params: ${(e as Error).message}`);
  }
}

export class GradientBoostingClassifier
  extends BoostingBase<GradientBoostingClassifierParams>
  implements Classifier<GradientBoostingClassifierParams>
{
  readonly kind = "gradient_boosting_classifier";
  readonly task = "classification" as const;
  private _classes: Label[] = [];

  constructor(params: Partial<GradientBoostingClassifierParams> = {}) {
    super(resolveParams("GradientBoostingClassifier", GRADIENT_BOOSTING_CLASSIFIER_PARAMS, params));
  }

  get classes(): readonly Label[] {
    this.state();
    return this._classes;
  }

  async fit(X: Features, y: Target, options: FitOptions = {}): Promise<this> {
    const { codes, classes } = classTarget(y);
    this.fitted = null;
    const r = await fitBoosting(
      X,
      { y: Float64Array.from(codes), nClasses: Math.max(2, classes.length) },
      this.params as BoostingConfig,
      options,
    );
    this._classes = [...classes];
    this.init = r.init;
    this.history = r.evalHistory;
    this.best = r.bestIteration;
    this.warnings = [];
    this.fitted = r;
    return this;
  }

  /** Probabilities from raw scores in place (row-major nRows × outWidth) into nRows × classes. */
  private toProba(raw: Float64Array, n: number, out: Float64Array): Float64Array {
    const K = this._classes.length;
    if (K === 1) return out.fill(1);
    if (K === 2) {
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-raw[i]));
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      let mx = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) mx = Math.max(mx, raw[i * K + k]);
      let z = 0;
      for (let k = 0; k < K; k++) z += Math.exp(raw[i * K + k] - mx);
      for (let k = 0; k < K; k++) out[i * K + k] = Math.exp(raw[i * K + k] - mx) / z;
    }
    return out;
  }

  predictProba(X: Features): Float64Array {
    const { out, n } = this.rawScores(X, this.init);
    const K = this._classes.length;
    return this.toProba(out, n, K === 2 || K === 1 ? new Float64Array(n * K) : out);
  }

  predict(X: Features): Label[] {
    return decodeLabels(argmaxRows(this.predictProba(X), this._classes.length), this._classes);
  }

  /** Raw scores (log-odds of the last class for two classes; per-class scores otherwise). */
  decisionFunction(X: Features): Float64Array {
    return this.rawScores(X, this.init).out;
  }

  private rowRaw = new Float64Array(0);

  /** Probabilities of one row (values in featureNames order; categorical codes; NaN missing) into out. */
  predictProbaRow(row: ArrayLike<number>, out: Float64Array): Float64Array {
    const f = this.state().forest;
    if (this.rowRaw.length !== f.outWidth) this.rowRaw = new Float64Array(f.outWidth);
    const raw = this.rowRaw;
    for (let k = 0; k < raw.length; k++) raw[k] = this.init[k];
    this.addRowInto(row, raw);
    return this.toProba(raw, 1, out);
  }

  clone(overrides: Partial<GradientBoostingClassifierParams> = {}): this {
    return new GradientBoostingClassifier({ ...this.params, ...overrides }) as this;
  }

  toParts(): ModelParts {
    return this.boostingParts({ classes: this._classes });
  }

  static fromParts(parts: ModelParts): GradientBoostingClassifier {
    const m = paramsOrFormatError(
      () => new GradientBoostingClassifier(parts.params as Partial<GradientBoostingClassifierParams>),
    );
    m.loadBoosting(parts);
    const ow = m.state().forest.outWidth;
    m._classes = readClasses(parts.state, ow);
    if (m._classes.length > 2 ? ow !== m._classes.length : ow !== 1)
      throw new ModelFormatError("gradient boosting: outputs do not match the classes");
    return m;
  }
}

export class GradientBoostingRegressor
  extends BoostingBase<GradientBoostingRegressorParams>
  implements Regressor<GradientBoostingRegressorParams>
{
  readonly kind = "gradient_boosting_regressor";
  readonly task = "regression" as const;

  constructor(params: Partial<GradientBoostingRegressorParams> = {}) {
    super(resolveParams("GradientBoostingRegressor", GRADIENT_BOOSTING_REGRESSOR_PARAMS, params));
  }

  async fit(X: Features, y: Target, options: FitOptions = {}): Promise<this> {
    const values = regressionTarget(y);
    this.fitted = null;
    const r = await fitBoosting(X, { y: values, nClasses: 0 }, this.params as BoostingConfig, options);
    this.init = r.init;
    this.history = r.evalHistory;
    this.best = r.bestIteration;
    this.warnings = [];
    this.fitted = r;
    return this;
  }

  predict(X: Features): Float64Array {
    return this.rawScores(X, this.init).out;
  }

  private readonly rowBuffer = new Float64Array(1);

  /** The prediction for one row (values in featureNames order; categorical codes; NaN missing). */
  predictRow(row: ArrayLike<number>): number {
    this.rowBuffer[0] = this.init[0];
    this.addRowInto(row, this.rowBuffer);
    return this.rowBuffer[0];
  }

  clone(overrides: Partial<GradientBoostingRegressorParams> = {}): this {
    return new GradientBoostingRegressor({ ...this.params, ...overrides }) as this;
  }

  toParts(): ModelParts {
    return this.boostingParts();
  }

  static fromParts(parts: ModelParts): GradientBoostingRegressor {
    const m = paramsOrFormatError(
      () => new GradientBoostingRegressor(parts.params as Partial<GradientBoostingRegressorParams>),
    );
    m.loadBoosting(parts);
    if (m.state().forest.outWidth !== 1)
      throw new ModelFormatError("gradient boosting: regressor has one output");
    return m;
  }
}
