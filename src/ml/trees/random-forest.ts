import { ModelFormatError } from "../errors.js";
import type { Classifier, FitOptions, Json, ModelParts, Regressor } from "../estimator.js";
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
import { type ForestConfig, fitForest } from "./forest-fit.js";
import { readTreeFit, TreeModel } from "./model.js";
import {
  DECISION_TREE_PARAMS,
  type DecisionTreeParams,
  RANDOM_FOREST_CLASSIFIER_PARAMS,
  RANDOM_FOREST_REGRESSOR_PARAMS,
  type RandomForestParams,
} from "./params.js";

/** Classes as stored in model state, checked. */
export function readClasses(state: Record<string, Json>, width: number): Label[] {
  const c = state.classes;
  if (!Array.isArray(c) || c.length < 1 || c.some((x) => !["string", "number", "boolean"].includes(typeof x)))
    throw new ModelFormatError("tree ensemble: bad classes");
  if (c.length !== width && !(c.length === 2 && width === 1))
    throw new ModelFormatError(`tree ensemble: ${c.length} classes for ${width} outputs`);
  return c as Label[];
}

function paramsFromParts<P>(make: (p: Partial<P>) => P, parts: ModelParts): P {
  try {
    return make(parts.params as Partial<P>);
  } catch (e) {
    throw new ModelFormatError(`bad params: ${(e as Error).message}`);
  }
}

/** Random-forest and decision-tree classifiers: class probabilities averaged over trees. */
abstract class ForestClassifierBase<P extends object> extends TreeModel<P> implements Classifier<P> {
  readonly task = "classification" as const;
  protected _classes: Label[] = [];
  protected _oob: number | null = null;

  get classes(): readonly Label[] {
    this.state();
    return this._classes;
  }

  protected abstract config(): ForestConfig;

  async fit(X: Features, y: Target, options: FitOptions = {}): Promise<this> {
    const { codes, classes } = classTarget(y);
    this.fitted = null;
    const r = await fitForest(X, { kind: "classification", codes, classes }, this.config(), options);
    this.fitted = r;
    this._classes = [...classes];
    this._oob = r.oobScore;
    this.warnings = [];
    return this;
  }

  predictProba(X: Features): Float64Array {
    const { out } = this.rawScores(X, null);
    const inv = 1 / this.state().forest.nTrees;
    for (let i = 0; i < out.length; i++) out[i] *= inv;
    return out;
  }

  predict(X: Features): Label[] {
    return decodeLabels(argmaxRows(this.predictProba(X), this._classes.length), this._classes);
  }

  /** Probabilities of one row (values in featureNames order; categorical codes; NaN missing) into out. */
  predictProbaRow(row: ArrayLike<number>, out: Float64Array): Float64Array {
    const f = this.state().forest;
    out.fill(0);
    this.addRowInto(row, out);
    const inv = 1 / f.nTrees;
    for (let k = 0; k < out.length; k++) out[k] *= inv;
    return out;
  }

  toParts(): ModelParts {
    return this.baseParts({ classes: this._classes, oobScore: this._oob });
  }

  protected load(parts: ModelParts): this {
    const fit = readTreeFit(parts);
    this._classes = readClasses(parts.state, fit.forest.outWidth);
    if (fit.forest.leafWidth !== this._classes.length)
      throw new ModelFormatError("tree ensemble: leaf width ≠ classes");
    const oob = parts.state.oobScore;
    this._oob = typeof oob === "number" ? oob : null;
    this.fitted = fit;
    return this;
  }
}

abstract class ForestRegressorBase<P extends object> extends TreeModel<P> implements Regressor<P> {
  readonly task = "regression" as const;
  protected _oob: number | null = null;

  protected abstract config(): ForestConfig;

  async fit(X: Features, y: Target, options: FitOptions = {}): Promise<this> {
    const values = regressionTarget(y);
    this.fitted = null;
    const r = await fitForest(X, { kind: "regression", y: values }, this.config(), options);
    this.fitted = r;
    this._oob = r.oobScore;
    this.warnings = [];
    return this;
  }

  predict(X: Features): Float64Array {
    const { out } = this.rawScores(X, null);
    const inv = 1 / this.state().forest.nTrees;
    for (let i = 0; i < out.length; i++) out[i] *= inv;
    return out;
  }

  /** The prediction for one row (values in featureNames order; categorical codes; NaN missing). */
  predictRow(row: ArrayLike<number>): number {
    const f = this.state().forest;
    const out = this.rowBuffer;
    out[0] = 0;
    this.addRowInto(row, out);
    return out[0] * (1 / f.nTrees);
  }

  private readonly rowBuffer = new Float64Array(1);

  toParts(): ModelParts {
    return this.baseParts({ oobScore: this._oob });
  }

  protected load(parts: ModelParts): this {
    const fit = readTreeFit(parts);
    if (fit.forest.leafWidth !== 1 || fit.forest.outWidth !== 1)
      throw new ModelFormatError("tree ensemble: regressor widths must be 1");
    const oob = parts.state.oobScore;
    this._oob = typeof oob === "number" ? oob : null;
    this.fitted = fit;
    return this;
  }
}

const treeConfig = (p: DecisionTreeParams): ForestConfig => ({
  ...p,
  nEstimators: 1,
  bootstrap: false,
  oobScore: false,
  nThreads: 1,
});

export class RandomForestClassifier extends ForestClassifierBase<RandomForestParams> {
  readonly kind = "random_forest_classifier";
  constructor(params: Partial<RandomForestParams> = {}) {
    super(resolveParams("RandomForestClassifier", RANDOM_FOREST_CLASSIFIER_PARAMS, params));
  }
  protected config(): ForestConfig {
    return this.params;
  }
  /** Out-of-bag accuracy (oobScore: true with bootstrap), else null. */
  get oobScore(): number | null {
    this.state();
    return this._oob;
  }
  clone(overrides: Partial<RandomForestParams> = {}): this {
    return new RandomForestClassifier({ ...this.params, ...overrides }) as this;
  }
  static fromParts(parts: ModelParts): RandomForestClassifier {
    return new RandomForestClassifier(
      paramsFromParts((p) => new RandomForestClassifier(p).params, parts),
    ).load(parts);
  }
}

export class RandomForestRegressor extends ForestRegressorBase<RandomForestParams> {
  readonly kind = "random_forest_regressor";
  constructor(params: Partial<RandomForestParams> = {}) {
    super(resolveParams("RandomForestRegressor", RANDOM_FOREST_REGRESSOR_PARAMS, params));
  }
  protected config(): ForestConfig {
    return this.params;
  }
  /** Out-of-bag R² (oobScore: true with bootstrap), else null. */
  get oobScore(): number | null {
    this.state();
    return this._oob;
  }
  clone(overrides: Partial<RandomForestParams> = {}): this {
    return new RandomForestRegressor({ ...this.params, ...overrides }) as this;
  }
  static fromParts(parts: ModelParts): RandomForestRegressor {
    return new RandomForestRegressor(paramsFromParts((p) => new RandomForestRegressor(p).params, parts)).load(
      parts,
    );
  }
}

export class DecisionTreeClassifier extends ForestClassifierBase<DecisionTreeParams> {
  readonly kind = "decision_tree_classifier";
  constructor(params: Partial<DecisionTreeParams> = {}) {
    super(resolveParams("DecisionTreeClassifier", DECISION_TREE_PARAMS, params));
  }
  protected config(): ForestConfig {
    return treeConfig(this.params);
  }
  clone(overrides: Partial<DecisionTreeParams> = {}): this {
    return new DecisionTreeClassifier({ ...this.params, ...overrides }) as this;
  }
  static fromParts(parts: ModelParts): DecisionTreeClassifier {
    return new DecisionTreeClassifier(
      paramsFromParts((p) => new DecisionTreeClassifier(p).params, parts),
    ).load(parts);
  }
}

export class DecisionTreeRegressor extends ForestRegressorBase<DecisionTreeParams> {
  readonly kind = "decision_tree_regressor";
  constructor(params: Partial<DecisionTreeParams> = {}) {
    super(resolveParams("DecisionTreeRegressor", DECISION_TREE_PARAMS, params));
  }
  protected config(): ForestConfig {
    return treeConfig(this.params);
  }
  clone(overrides: Partial<DecisionTreeParams> = {}): this {
    return new DecisionTreeRegressor({ ...this.params, ...overrides }) as this;
  }
  static fromParts(parts: ModelParts): DecisionTreeRegressor {
    return new DecisionTreeRegressor(paramsFromParts((p) => new DecisionTreeRegressor(p).params, parts)).load(
      parts,
    );
  }
}
