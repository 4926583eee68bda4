import { isMainThread } from "node:worker_threads";
import { InputError, ModelFormatError, NotFittedError, ParameterError } from "../errors.js";
import {
  type Classifier,
  type EstimatorSpec,
  type FitOptions,
  type Json,
  type JsonObject,
  type ModelParts,
  throwIfAborted,
} from "../estimator.js";
import type { Features } from "../features.js";
import { defaultJobs } from "../parallel/pool.js";
import { bool, choice, custom, int, nullable, num, type ParamsOf, resolveParams } from "../params.js";
import { argmaxRows, classTarget, decodeLabels, type Label, type Target } from "../target.js";
import {
  fitDesign,
  importances,
  type LinearState,
  linearParts,
  partsParams,
  predictDesign,
  readLinearState,
} from "./common.js";
import { minimizeLbfgs } from "./lbfgs.js";
import { logisticObjective, scoresToProba } from "./logistic-loss.js";
import { parallelLogisticObjective, releaseWorkers, warmUpWorkers } from "./logistic-parallel.js";
import { wasmLogisticObjective } from "./logistic-wasm.js";

/** Per-class weights: "balanced" (n / (nClasses · count)), a map from label (as a string) to weight, or none. */
export type ClassWeight = "balanced" | Readonly<Record<string, number>> | null;

const classWeightSpec = custom<ClassWeight>(
  '"balanced", an object mapping class labels to finite weights ≥ 0, or null',
  null,
  (v) => {
    if (v === null || v === "balanced") return v;
    if (typeof v !== "object" || Array.isArray(v)) return undefined;
    for (const w of Object.values(v as object))
      if (typeof w !== "number" || !Number.isFinite(w) || w < 0) return undefined;
    return v as Record<string, number>;
  },
);

const LOGISTIC = {
  penalty: choice(["l2", "l1", "elasticnet", "none"], "l2"),
  C: num(1, { min: 0, minExclusive: true }),
  l1Ratio: nullable(num(0.5, { min: 0, max: 1 })),
  classWeight: classWeightSpec,
  fitIntercept: bool(true),
  maxIter: int(1, 100),
  tol: num(1e-4, { min: 0 }),
  /** Threads for large fits (null = every core); fits under PARALLEL_MIN_CELLS values stay on one thread. */
  nJobs: nullable(int(1, 1)),
};
export type LogisticRegressionParams = ParamsOf<typeof LOGISTIC>;

/** scipy L-BFGS-B's default relative-decrease stop (factr 1e7 × machine epsilon), which scikit-learn keeps. */
const SCIPY_FTOL = 1e7 * Number.EPSILON;

/** Below this many values (rows × features) the thread round trips cost more than they save. */
const PARALLEL_MIN_CELLS = 2_000_000;

/**
 * Logistic regression as scikit-learn's LogisticRegression: binary (one coefficient row for
 * the second class, as scikit-learn) or multinomial (one row per class) for 3+ classes.
 *
 *   min Σ sw_i · logloss_i + (1/C) · (ρ ‖W‖₁ + (1 − ρ)/2 ‖W‖²)
 *
 * with ρ = 0 for "l2", 1 for "l1", `l1Ratio` for "elasticnet" and no penalty for "none".
 * Smooth penalties are solved by L-BFGS, L1 and elastic-net by OWL-QN (the same quasi-Newton
 * code with orthant projection). Stops when max |gradient| ≤ tol or the objective's relative
 * decrease ≤ min(2.2e-9, tol²) (scipy's rule, tightened for very small tol), else warns.
 */
export class LogisticRegression implements Classifier<LogisticRegressionParams> {
  readonly kind = "logistic_regression";
  readonly task = "classification";
  readonly params: Readonly<LogisticRegressionParams>;
  warnings: readonly string[] = [];
  private state: (LinearState & { readonly classes: readonly Label[] }) | undefined;

  constructor(params: Partial<LogisticRegressionParams> = {}) {
    this.params = resolveParams("LogisticRegression", LOGISTIC, params);
    if (this.params.penalty === "elasticnet" && this.params.l1Ratio === null)
      throw new ParameterError(
        "LogisticRegression.l1Ratio",
        'a number in [0, 1] when penalty is "elasticnet"',
        null,
      );
  }

  get isFitted(): boolean {
    return this.state !== undefined;
  }

  private fitted(): LinearState & { readonly classes: readonly Label[] } {
    if (!this.state) throw new NotFittedError("LogisticRegression");
    return this.state;
  }

  get classes(): readonly Label[] {
    return this.state?.classes ?? [];
  }

  /** Coefficients, row-major k × nFeatures: k = 1 (the second class) for binary, else one row per class. */
  get coef(): Float64Array {
    return this.fitted().coef;
  }

  /** One intercept per coefficient row. */
  get intercept(): Float64Array {
    return this.fitted().intercept;
  }

  get nIter(): number {
    return this.fitted().nIter;
  }

  get featureNames(): string[] {
    return this.fitted().features.map((f) => f.name);
  }

  /** |coef| summed over class rows, normalized to sum 1 (meaningful across features only when they share a scale). */
  featureImportances(): Float64Array {
    const s = this.fitted();
    return importances(s.coef, s.intercept.length, s.features.length);
  }

  async fit(X: Features, y: Target, options?: FitOptions): Promise<this> {
    throwIfAborted(options?.signal);
    const { codes, classes } = classTarget(y);
    if (classes.length < 2)
      throw new InputError(
        `LogisticRegression needs at least 2 classes in y; got only ${JSON.stringify(classes[0] ?? null)}`,
        "y",
      );
    const p = this.params;
    const jobs = Math.min(p.nJobs ?? defaultJobs(), defaultJobs());
    const parallel = jobs > 1 && isMainThread && X.nRows * X.nCols >= PARALLEL_MIN_CELLS;
    if (parallel) warmUpWorkers(jobs);
    const { design, spec, sw: given } = fitDesign(X, codes.length, options);
    const sw = Float64Array.from(given);
    const cw = this.classWeights(codes, classes);
    if (cw) for (let i = 0; i < sw.length; i++) sw[i] *= cw[codes[i]];

    const k = classes.length === 2 ? 1 : classes.length;
    const d = design.nCols;
    const rho = p.penalty === "l1" ? 1 : p.penalty === "elasticnet" ? (p.l1Ratio as number) : 0;
    const strength = p.penalty === "none" ? 0 : 1 / p.C;
    const nParams = k * d + (p.fitIntercept ? k : 0);
    let l1: Float64Array | undefined;
    if (rho > 0) {
      l1 = new Float64Array(nParams);
      l1.fill(rho * strength, 0, k * d);
    }
    const l2 = (1 - rho) * strength;
    // Binary fits over numeric columns run on the WebAssembly kernel; the rest in TypeScript.
    const fg =
      (k === 1
        ? wasmLogisticObjective(design, codes, sw, p.fitIntercept, l2, parallel ? jobs : 1, options?.signal)
        : undefined) ??
      (parallel
        ? parallelLogisticObjective(design, codes, sw, k, p.fitIntercept, l2, jobs, options?.signal)
        : logisticObjective(design, codes, sw, k, p.fitIntercept, l2));
    let res: Awaited<ReturnType<typeof minimizeLbfgs>>;
    try {
      res = await minimizeLbfgs(fg, new Float64Array(nParams), {
        maxIter: p.maxIter,
        gtol: p.tol,
        ftol: Math.min(SCIPY_FTOL, p.tol * p.tol),
        l1,
        onIteration: (iter) => {
          throwIfAborted(options?.signal);
          options?.onProgress?.({
            done: iter,
            total: p.maxIter,
            message: `LogisticRegression iteration ${iter}`,
          });
        },
      });
    } finally {
      if (parallel) releaseWorkers(jobs);
    }
    this.warnings = res.converged
      ? []
      : [
          `LogisticRegression did not converge in ${res.nIter} iterations (maxIter=${p.maxIter}, tol=${p.tol}); increase maxIter or standardize the features`,
        ];
    this.state = {
      features: spec,
      coef: res.x.slice(0, k * d),
      intercept: p.fitIntercept ? res.x.slice(k * d) : new Float64Array(k),
      nIter: res.nIter,
      classes,
    };
    return this;
  }

  /** Each row's class weight multiplier, by class index (undefined when unweighted). */
  private classWeights(codes: Int32Array, classes: readonly Label[]): Float64Array | undefined {
    const cw = this.params.classWeight;
    if (cw === null) return undefined;
    const out = new Float64Array(classes.length).fill(1);
    if (cw === "balanced") {
      const count = new Float64Array(classes.length);
      for (let i = 0; i < codes.length; i++) count[codes[i]]++;
      for (let c = 0; c < classes.length; c++) out[c] = codes.length / (classes.length * count[c]);
      return out;
    }
    const index = new Map(classes.map((c, i) => [String(c), i]));
    for (const [label, w] of Object.entries(cw)) {
      const c = index.get(label);
      if (c === undefined)
        throw new ParameterError(
          "LogisticRegression.classWeight",
          `keyed by the classes of y (${classes.map(String).join(", ")})`,
          label,
        );
      out[c] = w;
    }
    return out;
  }

  /** Linear scores X·Wᵀ + b, row-major nRows × k. */
  decisionFunction(X: Features): Float64Array {
    const s = this.fitted();
    return predictDesign(X, s.features).predictLinear(s.coef, s.intercept.length, s.intercept);
  }

  predictProba(X: Features): Float64Array {
    const s = this.fitted();
    return scoresToProba(this.decisionFunction(X), s.intercept.length, s.classes.length);
  }

  predict(X: Features): Label[] {
    const s = this.fitted();
    return decodeLabels(argmaxRows(this.predictProba(X), s.classes.length), s.classes);
  }

  clone(overrides: Partial<LogisticRegressionParams> = {}): this {
    return new LogisticRegression({ ...this.params, ...overrides }) as this;
  }

  toParts(): ModelParts {
    const s = this.fitted();
    return linearParts(this.kind, this.params, s, { classes: s.classes as Json[] });
  }

  toSpec(): EstimatorSpec {
    return { kind: this.kind, params: { ...this.params } as JsonObject };
  }

  static fromParts(parts: ModelParts): LogisticRegression {
    const m = new LogisticRegression(partsParams("LogisticRegression", LOGISTIC, parts));
    const classes = parts.state.classes;
    if (
      !Array.isArray(classes) ||
      classes.length < 2 ||
      !classes.every((c) => typeof c === "string" || typeof c === "number" || typeof c === "boolean") ||
      new Set(classes).size !== classes.length
    )
      throw new ModelFormatError("logistic_regression: classes must be a list of 2 or more distinct labels");
    const k = classes.length === 2 ? 1 : classes.length;
    m.state = { ...readLinearState(parts, "logistic_regression", k), classes: classes as Label[] };
    return m;
  }
}
