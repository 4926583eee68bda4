import { InputError, ModelFormatError } from "../errors.js";
import type { Classifier, EstimatorSpec, FitOptions, JsonObject, ModelParts } from "../estimator.js";
import { FeatureMatrix, type Features } from "../features.js";
import { resolveParams } from "../params.js";
import { argmaxRows, classTarget, decodeLabels, type Label, type Target } from "../target.js";
import { type Loss, sigmoidCrossEntropy, softmaxCrossEntropy } from "./losses.js";
import {
  fitPerceptron,
  forwardAll,
  type MlpFitted,
  mlpFromParts,
  mlpParts,
  numericRows,
  requireFitted,
} from "./mlp.js";
import { MLP_PARAMS, type MLPParams } from "./params.js";

const KIND = "mlp_classifier";
const lossFor = (nClasses: number): Loss => (nClasses === 2 ? sigmoidCrossEntropy : softmaxCrossEntropy);

/**
 * A multi-layer perceptron classifier, as scikit-learn's MLPClassifier: dense hidden layers,
 * a sigmoid output with binary cross-entropy for two classes, softmax with cross-entropy for more,
 * trained by Adam or SGD on mini-batches. Features must be numeric (standardize them first).
 */
export class MLPClassifier implements Classifier<MLPParams> {
  readonly kind = KIND;
  readonly task = "classification";
  readonly params: Readonly<MLPParams>;
  warnings: readonly string[] = [];
  private fitted: MlpFitted | null = null;
  private fittedClasses: readonly Label[] = [];

  constructor(params: Partial<MLPParams> = {}) {
    this.params = resolveParams("MLPClassifier", MLP_PARAMS, params);
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  get classes(): readonly Label[] {
    requireFitted(this.fitted, KIND);
    return this.fittedClasses;
  }

  /** Mean training loss of each epoch (including the L2 penalty). */
  get lossCurve(): readonly number[] {
    return requireFitted(this.fitted, KIND).lossCurve;
  }

  /** Validation accuracy of each epoch (early stopping only). */
  get validationScores(): readonly number[] {
    return requireFitted(this.fitted, KIND).validationScores;
  }

  /** Epochs run. */
  get nIter(): number {
    return requireFitted(this.fitted, KIND).nIter;
  }

  async fit(X: Features, y: Target, options: FitOptions = {}): Promise<this> {
    const fm = FeatureMatrix.from(X);
    const x = numericRows(fm);
    const { codes, classes } = classTarget(y);
    if (codes.length !== fm.nRows) throw new InputError(`y has ${codes.length} rows, X has ${fm.nRows}`, "y");
    if (classes.length < 2)
      throw new InputError(
        `y has a single class (${String(classes[0])}); a classifier needs two or more`,
        "y",
      );
    const nOut = classes.length === 2 ? 1 : classes.length;
    const { fitted, warnings } = await fitPerceptron(
      "MLPClassifier",
      this.params,
      fm,
      {
        x,
        target: Float64Array.from(codes),
        nOut,
        loss: lossFor(classes.length),
        stratify: codes,
        score: (proba, rows) => {
          const pred = argmaxRows(expand(proba, classes.length), classes.length);
          let hits = 0;
          rows.forEach((r, i) => {
            if (pred[i] === codes[r]) hits++;
          });
          return hits / rows.length;
        },
      },
      options,
    );
    this.fitted = fitted;
    this.fittedClasses = classes;
    this.warnings = warnings;
    return this;
  }

  predictProba(X: Features): Float64Array {
    const f = requireFitted(this.fitted, KIND);
    return expand(forwardAll(f, X), this.fittedClasses.length);
  }

  predict(X: Features): Label[] {
    const k = this.classes.length;
    return decodeLabels(argmaxRows(this.predictProba(X), k), this.fittedClasses);
  }

  clone(overrides: Partial<MLPParams> = {}): this {
    return new MLPClassifier({ ...this.params, ...overrides }) as this;
  }

  toSpec(): EstimatorSpec {
    return { kind: KIND, params: structuredClone(this.params) as unknown as JsonObject };
  }

  toParts(): ModelParts {
    const f = requireFitted(this.fitted, KIND);
    return mlpParts(
      KIND,
      this.params,
      f,
      { classes: [...this.fittedClasses] },
      lossFor(this.fittedClasses.length).name,
    );
  }

  static fromParts(parts: ModelParts): MLPClassifier {
    const classes = parts.state.classes;
    if (
      !Array.isArray(classes) ||
      classes.length < 2 ||
      !classes.every((c) => typeof c === "string" || typeof c === "number" || typeof c === "boolean")
    ) {
      throw new ModelFormatError(`${KIND}: state.classes must be two or more labels`);
    }
    if (new Set(classes).size !== classes.length)
      throw new ModelFormatError(`${KIND}: state.classes has duplicates`);
    const nOut = classes.length === 2 ? 1 : classes.length;
    const { params, fitted } = mlpFromParts("MLPClassifier", parts, nOut, lossFor(classes.length));
    const model = new MLPClassifier(params);
    model.fitted = fitted;
    model.fittedClasses = classes as Label[];
    return model;
  }
}

/** Two-class networks have one sigmoid output p: the probabilities are [1 − p, p]. */
function expand(out: Float64Array, nClasses: number): Float64Array {
  if (nClasses !== 2) return out;
  const proba = new Float64Array(out.length * 2);
  for (let i = 0; i < out.length; i++) {
    proba[2 * i] = 1 - out[i];
    proba[2 * i + 1] = out[i];
  }
  return proba;
}
