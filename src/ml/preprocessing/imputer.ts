import { levelCounts } from "../../data/schema.js";
import { InputError } from "../errors.js";
import type { ModelParts } from "../estimator.js";
import type { Feature } from "../features.js";
import { bool, choice, custom, type ParamsOf, resolveParams } from "../params.js";
import { ColumnwiseTransformer, type TransformerState } from "./base.js";
import {
  checkFinite,
  compareCodePoints,
  median,
  nanSum,
  numericValues,
  presentValues,
  sortedPresent,
} from "./numeric.js";
import { formatError, readArray, readFeatures, readList, readParams } from "./parts.js";

const SPEC = {
  strategy: choice(["mean", "median", "most_frequent", "constant"], "mean"),
  /** The value of strategy "constant"; null means 0 for numbers and "missing_value" for categories. */
  fillValue: custom<number | string | null>("a finite number, a string, or null", null, (v) =>
    v === null || typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) ? v : undefined,
  ),
  /** Adds a 0/1 feature `missingindicator_<name>` for each feature that had missing values at fit. */
  addIndicator: bool(false),
};
export type SimpleImputerParams = ParamsOf<typeof SPEC>;

/**
 * Replaces missing values column by column, as scikit-learn's SimpleImputer: mean or median
 * (numbers), the most frequent value (ties: the smallest), or a constant. A feature that is
 * missing in every training row has no statistic and is dropped (strategy "constant" aside).
 */
export class SimpleImputer extends ColumnwiseTransformer<SimpleImputerParams> {
  readonly kind = "simple_imputer";
  /** The fill value of each numeric input feature (NaN for categorical ones and dropped ones). */
  private numericFill = new Float64Array(0);
  /** The fill value of each categorical input feature (null for numeric ones and dropped ones). */
  private categoricalFill: (string | null)[] = [];
  /** Inputs kept in the output (not missing in every training row). */
  private kept: boolean[] = [];
  /** Inputs that get a missing indicator. */
  private indicated: boolean[] = [];

  constructor(params: Partial<SimpleImputerParams> = {}) {
    super(resolveParams("SimpleImputer", SPEC, params));
  }

  protected fitFeatures(features: readonly Feature[]): void {
    const { strategy, fillValue } = this.params;
    const n = features.length;
    this.numericFill = new Float64Array(n).fill(Number.NaN);
    this.categoricalFill = new Array(n).fill(null);
    this.kept = new Array(n).fill(true);
    this.indicated = new Array(n).fill(false);
    features.forEach((f, j) => {
      if (f.kind === "categorical") {
        if (strategy === "mean" || strategy === "median") {
          throw new InputError(
            `SimpleImputer(strategy "${strategy}") needs numbers, but feature "${f.name}" is categorical (use "most_frequent" or "constant")`,
            f.name,
          );
        }
        if (typeof fillValue === "number" && strategy === "constant") {
          throw new InputError(
            `SimpleImputer: fillValue ${fillValue} is a number but feature "${f.name}" is categorical (give a string)`,
            f.name,
          );
        }
        const counts = levelCounts(f.codes, f.levels.length);
        let present = 0;
        for (const c of counts) present += c;
        this.indicated[j] = present < f.codes.length;
        if (strategy === "constant")
          this.categoricalFill[j] = (fillValue as string | null) ?? "missing_value";
        else this.categoricalFill[j] = mostFrequentLevel(counts, f.levels);
        this.kept[j] = this.categoricalFill[j] !== null;
        return;
      }
      const values = numericValues(f, "SimpleImputer");
      checkFinite(values, f.name, "SimpleImputer");
      if (typeof fillValue === "string" && strategy === "constant") {
        throw new InputError(
          `SimpleImputer: fillValue "${fillValue}" is a string but feature "${f.name}" is numeric (give a number)`,
          f.name,
        );
      }
      let fill: number;
      if (strategy === "constant") fill = (fillValue as number | null) ?? 0;
      else if (strategy === "mean") {
        const { sum, count } = nanSum(values);
        fill = count > 0 ? sum / count : Number.NaN;
      } else {
        fill = strategy === "median" ? median(presentValues(values)) : sortedMode(sortedPresent(values));
      }
      let missing = false;
      for (let i = 0; i < values.length && !missing; i++) missing = Number.isNaN(values[i]);
      this.indicated[j] = missing;
      this.numericFill[j] = fill;
      this.kept[j] = !Number.isNaN(fill);
    });
    const dropped = features.filter((_, j) => !this.kept[j]).map((f) => f.name);
    if (dropped.length > 0) {
      this.warnings.push(`SimpleImputer dropped features missing in every row: ${dropped.join(", ")}`);
    }
  }

  protected transformFeatures(features: readonly Feature[], nRows: number): Feature[] {
    const out: Feature[] = [];
    features.forEach((f, j) => {
      if (this.kept[j]) out.push(this.fill(f, j));
    });
    if (this.params.addIndicator) {
      features.forEach((f, j) => {
        const flags = missingFlags(f, nRows);
        if (!this.indicated[j]) {
          if (flags.includes(1)) {
            throw new InputError(
              `SimpleImputer: feature "${f.name}" has missing values but had none at fit, so it has no missing indicator`,
              f.name,
            );
          }
          return;
        }
        const values = new Float64Array(nRows);
        for (let i = 0; i < nRows; i++) values[i] = flags[i];
        out.push({ kind: "numeric", name: `missingindicator_${f.name}`, values });
      });
    }
    return out;
  }

  private fill(f: Feature, j: number): Feature {
    if (f.kind === "indicator") return f; // never missing
    if (f.kind === "numeric") {
      if (!f.values.some((v) => Number.isNaN(v))) return f;
      const fill = this.numericFill[j];
      const values = new Float64Array(f.values.length);
      for (let i = 0; i < values.length; i++) values[i] = Number.isNaN(f.values[i]) ? fill : f.values[i];
      return { ...f, values };
    }
    if (!f.codes.includes(-1)) return f;
    const fill = this.categoricalFill[j] as string;
    let code = f.levels.indexOf(fill);
    const levels = code >= 0 ? f.levels : [...f.levels, fill];
    if (code < 0) code = f.levels.length;
    const codes = new Int32Array(f.codes.length);
    for (let i = 0; i < codes.length; i++) codes[i] = f.codes[i] < 0 ? code : f.codes[i];
    return { ...f, codes, levels };
  }

  protected outputNames(): string[] {
    const spec = this.fittedSpec();
    const names = spec.filter((_, j) => this.kept[j]).map((s) => s.name);
    if (this.params.addIndicator) {
      for (const [j, s] of spec.entries()) if (this.indicated[j]) names.push(`missingindicator_${s.name}`);
    }
    return names;
  }

  /** The fill value of each input feature (null where it was dropped). */
  get statistics(): (number | string | null)[] {
    return this.fittedSpec().map((s, j) =>
      !this.kept[j] ? null : s.kind === "categorical" ? this.categoricalFill[j] : this.numericFill[j],
    );
  }

  protected fittedState(): TransformerState {
    return {
      state: { categoricalFill: this.categoricalFill, kept: this.kept, indicated: this.indicated },
      arrays: { numericFill: this.numericFill },
    };
  }

  static fromParts(parts: ModelParts): SimpleImputer {
    const kind = "simple_imputer";
    const params = readParams(parts, kind, SPEC, "SimpleImputer");
    const spec = readFeatures(parts, kind);
    const n = spec.length;
    const out = new SimpleImputer(params);
    out.numericFill = readArray(parts, kind, "numericFill", Float64Array, n);
    const cat = readList(parts, kind, "categoricalFill", n);
    const kept = readList(parts, kind, "kept", n);
    const indicated = readList(parts, kind, "indicated", n);
    spec.forEach((s, j) => {
      if (typeof kept[j] !== "boolean" || typeof indicated[j] !== "boolean") {
        throw formatError(kind, `state.kept / state.indicated must hold booleans`);
      }
      if (!kept[j]) return;
      if (s.kind === "categorical" ? typeof cat[j] !== "string" : Number.isNaN(out.numericFill[j])) {
        throw formatError(kind, `feature "${s.name}" is kept but has no fill value`);
      }
    });
    out.categoricalFill = cat.map((c) => (typeof c === "string" ? c : null));
    out.kept = kept as boolean[];
    out.indicated = indicated as boolean[];
    return out.restore(spec);
  }
}

/** 1 where the feature is missing. */
function missingFlags(f: Feature, nRows: number): Uint8Array {
  const flags = new Uint8Array(nRows);
  if (f.kind === "numeric") for (let i = 0; i < nRows; i++) flags[i] = Number.isNaN(f.values[i]) ? 1 : 0;
  else if (f.kind === "categorical") for (let i = 0; i < nRows; i++) flags[i] = f.codes[i] < 0 ? 1 : 0;
  return flags;
}

/** The most frequent level; ties go to the smallest value, as scikit-learn. Null when none is present. */
function mostFrequentLevel(counts: Int32Array, levels: readonly string[]): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (let l = 0; l < counts.length; l++) {
    const c = counts[l];
    if (c === 0) continue;
    if (c > bestCount || (c === bestCount && compareCodePoints(levels[l], best as string) < 0)) {
      best = levels[l];
      bestCount = c;
    }
  }
  return best;
}

/** The most frequent value of sorted numbers (the smallest on ties); NaN when empty. */
function sortedMode(sorted: Float64Array): number {
  let best = Number.NaN;
  let bestCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let k = i + 1;
    while (k < sorted.length && sorted[k] === sorted[i]) k++;
    if (k - i > bestCount) {
      bestCount = k - i;
      best = sorted[i];
    }
    i = k;
  }
  return best;
}
