import { InputError, ModelFormatError, NotFittedError, ParameterError } from "../errors.js";
import {
  type AnyEstimator,
  type Classifier,
  type Clusterer,
  type Estimator,
  type EstimatorSpec,
  type FitOptions,
  type JsonObject,
  type ModelParts,
  type Regressor,
  type Transformer,
  throwIfAborted,
} from "../estimator.js";
import { FeatureMatrix, type Features } from "../features.js";
import { checkParts } from "../preprocessing/parts.js";
import type { Label, Target } from "../target.js";
import { cloneChild, isEstimator, type NestedOverrides, splitOverrides } from "./nested.js";

export type PipelineStep<E extends AnyEstimator = AnyEstimator> = readonly [name: string, estimator: E];

/** Named transformers, then the final estimator (which may itself be a transformer). */
export type PipelineSteps<F extends AnyEstimator> = readonly [
  ...PipelineStep<Transformer>[],
  PipelineStep<F>,
];

export interface PipelineParams {
  /** The step names, in order. */
  steps: string[];
}

/** A pipeline typed by its final step's task: each member is assignable to the matching estimator interface. */
export type AnyPipeline =
  | Pipeline<Classifier>
  | Pipeline<Regressor>
  | Pipeline<Clusterer>
  | Pipeline<Transformer>;

/** What `predict` returns for a final estimator of type F. */
type PredictionOf<F> = F extends { predict(X: Features): infer R } ? R : never;

const STEP_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * A chain of transformers and a final estimator that is itself an estimator of the final
 * step's task: a classifier when the last step is one (fit / predict / predictProba), a
 * regressor, a clusterer, or a transformer. Fitting fits each transformer on the output of
 * the previous one; `sampleWeight` and progress go to the final step, the abort signal to all.
 * Params of a step are addressed `step__param` in `clone`, as scikit-learn's `set_params`.
 */
export class Pipeline<F extends AnyEstimator = AnyEstimator> implements Estimator<PipelineParams> {
  readonly kind = "pipeline";
  readonly steps: readonly PipelineStep[];
  warnings: string[] = [];
  private fitted = false;
  /** Input feature names at fit, for `featureNamesOut` when there is no transformer step. */
  private inputNames: string[] | null = null;

  constructor(steps: PipelineSteps<F>) {
    if (!Array.isArray(steps) || steps.length === 0) {
      throw new ParameterError("Pipeline.steps", "a non-empty list of [name, estimator] pairs");
    }
    const seen = new Set<string>();
    steps.forEach((step, i) => {
      const [name, est] = Array.isArray(step) ? step : [];
      if (typeof name !== "string" || !STEP_NAME.test(name) || name.includes("__")) {
        throw new ParameterError(`Pipeline.steps[${i}]`, "named with letters, digits, _ or - (no __)", name);
      }
      if (seen.has(name)) throw new ParameterError(`Pipeline.steps[${i}]`, "a unique step name", name);
      seen.add(name);
      if (!isEstimator(est)) throw new ParameterError(`Pipeline.steps.${name}`, "an estimator");
      if (i < steps.length - 1 && est.task !== "transform") {
        throw new ParameterError(
          `Pipeline.steps.${name}`,
          `a transformer (only the last step may be a ${est.task} model)`,
        );
      }
    });
    this.steps = steps.map(([n, e]) => [n, e] as const);
  }

  get params(): Readonly<PipelineParams> {
    return { steps: this.steps.map(([n]) => n) };
  }

  get task(): F["task"] {
    return this.finalEstimator.task;
  }

  get finalEstimator(): F {
    return this.steps[this.steps.length - 1][1] as F;
  }

  /** The steps by name. */
  get namedSteps(): Readonly<Record<string, AnyEstimator>> {
    return Object.fromEntries(this.steps);
  }

  get isFitted(): boolean {
    return this.fitted;
  }

  /** The classes of a final classifier, in the order of predictProba's columns. */
  get classes(): readonly Label[] {
    return this.classifier("classes").classes;
  }

  private get transformers(): Transformer[] {
    return this.steps.slice(0, -1).map(([, e]) => e as Transformer);
  }

  async fit(X: Features, yOrOptions?: Target | FitOptions, maybeOptions?: FitOptions): Promise<this> {
    // Clusterers are fitted as fit(X, options); the others as fit(X, y, options).
    const y = isFitOptions(yOrOptions) ? undefined : yOrOptions;
    const options = isFitOptions(yOrOptions) ? yOrOptions : maybeOptions;
    this.fitted = false;
    this.warnings = [];
    const signal = options?.signal;
    let Xt: Features = X;
    for (const t of this.transformers) {
      throwIfAborted(signal);
      await t.fit(Xt, y, { signal });
      Xt = t.transform(Xt);
    }
    throwIfAborted(signal);
    this.inputNames = this.steps.length === 1 ? FeatureMatrix.from(X).names.slice() : null;
    const final = this.finalEstimator as AnyEstimator;
    if (final.task === "clustering") await final.fit(Xt, options);
    else if (final.task === "transform") await final.fit(Xt, y, options);
    else {
      if (y === undefined)
        throw new InputError(`Pipeline: the final ${final.task} step needs a target y`, "y");
      await final.fit(Xt, y, options);
    }
    this.warnings = this.steps.flatMap(([name, e]) => e.warnings.map((w) => `${name}: ${w}`));
    this.fitted = true;
    return this;
  }

  /** `X` through every transformer step before the final estimator. */
  transformInput(X: Features): Features {
    this.checkFitted();
    let Xt: Features = X;
    for (const t of this.transformers) Xt = t.transform(Xt);
    return Xt;
  }

  predict(X: Features): PredictionOf<F> {
    const final = this.finalEstimator as AnyEstimator;
    if (final.task === "transform") {
      throw new ParameterError(
        "Pipeline",
        `a final step that predicts (the last step "${this.lastName}" is a transformer)`,
      );
    }
    return final.predict(this.transformInput(X)) as PredictionOf<F>;
  }

  predictProba(X: Features): Float64Array {
    const final = this.classifier("predictProba");
    return final.predictProba(this.transformInput(X));
  }

  /** The output of every transformer step, the final one included when it is a transformer. */
  transform(X: Features): FeatureMatrix {
    const Xt = this.transformInput(X);
    const final = this.finalEstimator as AnyEstimator;
    return final.task === "transform" ? final.transform(Xt) : FeatureMatrix.from(Xt);
  }

  /**
   * Names of the features after the transformer steps: the final transformer's output, or
   * what the final model sees (so that its importances map to names like `skill_category_Soft Skill`).
   */
  featureNamesOut(): string[] {
    this.checkFitted();
    const final = this.finalEstimator as AnyEstimator;
    if (final.task === "transform") return final.featureNamesOut();
    const ts = this.transformers;
    return ts.length > 0 ? ts[ts.length - 1].featureNamesOut() : [...(this.inputNames ?? [])];
  }

  clone(overrides: NestedOverrides = {}): this {
    const names = this.steps.map(([n]) => n);
    const { children, replaced } = splitOverrides("Pipeline", overrides, names, []);
    const steps = this.steps.map(([name, est]): PipelineStep => {
      if (replaced.has(name)) {
        const e = replaced.get(name);
        if (!isEstimator(e)) throw new ParameterError(`Pipeline.${name}`, "an estimator");
        return [name, e.clone()];
      }
      return [name, cloneChild(est, children.get(name))];
    });
    return new Pipeline(steps as unknown as PipelineSteps<F>) as this;
  }

  toSpec(): EstimatorSpec {
    return {
      kind: this.kind,
      params: { steps: this.params.steps },
      children: Object.fromEntries(this.steps.map(([n, e]) => [n, e.toSpec()])),
    };
  }

  toParts(): ModelParts {
    this.checkFitted();
    const children = Object.fromEntries(this.steps.map(([n, e]) => [n, e.toParts()]));
    return {
      kind: this.kind,
      params: { steps: this.params.steps },
      // What the pipeline takes: the first step's input features.
      features: children[this.steps[0][0]].features,
      state: this.inputNames ? { inputNames: this.inputNames } : {},
      arrays: {},
      children,
    };
  }

  /** An unfitted pipeline from its spec params (`steps`: the names in order) and built children. */
  static fromSpec(params: JsonObject, children: Record<string, AnyEstimator>): AnyPipeline {
    const names = params.steps;
    if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
      throw new ParameterError("Pipeline.steps", "a list of step names");
    }
    const extra = Object.keys(children).filter((k) => !names.includes(k));
    if (extra.length > 0)
      throw new ParameterError(`Pipeline.${extra[0]}`, `one of the steps (${names.join(", ")})`);
    const steps = names.map(
      (n): PipelineStep => [n, Object.hasOwn(children, n) ? children[n] : (undefined as never)],
    );
    return new Pipeline(steps as unknown as PipelineSteps<AnyEstimator>) as AnyPipeline;
  }

  static fromParts(parts: ModelParts, load: (child: ModelParts) => AnyEstimator): AnyPipeline {
    const fail = (msg: string) => new ModelFormatError(`pipeline: ${msg}`);
    checkParts(parts, "pipeline");
    const names = (parts.params as { steps?: unknown }).steps;
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === "string")) {
      throw fail("params.steps must be a non-empty list of names");
    }
    const children = parts.children ?? {};
    const extra = Object.keys(children).filter((k) => !names.includes(k));
    if (extra.length > 0) throw fail(`unexpected children: ${extra.join(", ")}`);
    const steps = (names as string[]).map((name): PipelineStep => {
      if (!Object.hasOwn(children, name)) throw fail(`no parts for step "${name}"`);
      return [name, load(children[name])];
    });
    let pipeline: Pipeline;
    try {
      pipeline = new Pipeline(steps as unknown as PipelineSteps<AnyEstimator>);
    } catch (e) {
      if (e instanceof ParameterError) throw fail(e.message);
      throw e;
    }
    if (names.length === 1) {
      const inputNames = (parts.state as { inputNames?: unknown }).inputNames;
      if (!Array.isArray(inputNames) || !inputNames.every((n) => typeof n === "string")) {
        throw fail("state.inputNames must be a list of names");
      }
      pipeline.inputNames = inputNames as string[];
    }
    pipeline.fitted = true;
    return pipeline as AnyPipeline;
  }

  private get lastName(): string {
    return this.steps[this.steps.length - 1][0];
  }

  private classifier(what: string): Classifier {
    const final = this.finalEstimator as AnyEstimator;
    if (final.task !== "classification") {
      throw new ParameterError(
        "Pipeline",
        `a final classifier for ${what} (the last step "${this.lastName}" is a ${final.task} estimator)`,
      );
    }
    return final;
  }

  private checkFitted(): void {
    if (!this.fitted) throw new NotFittedError("Pipeline");
  }
}

/** Whether the second argument of fit is FitOptions rather than a target. */
function isFitOptions(v: unknown): v is FitOptions {
  if (v === undefined || v === null || typeof v !== "object") return false;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  return !("kind" in v); // a table column has a kind; FitOptions never does
}
