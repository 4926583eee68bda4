import type { Column } from "../data/column.js";
import { Table } from "../data/table.js";
import { InputError } from "./errors.js";

/**
 * One input feature of an estimator, stored column-wise.
 * - numeric: NaN marks a missing value (booleans become 0/1, datetimes epoch ms);
 * - categorical: codes into `levels`, -1 when missing; trees split on it natively, numeric
 *   models refuse it (encode it first);
 * - indicator: a one-hot output column, 1 where `codes[i] === level`, else 0. Indicators of one
 *   source share its codes array, so one-hot encoding a 1,000-level column costs no memory.
 */
export type Feature =
  | { readonly kind: "numeric"; readonly name: string; readonly values: Float64Array }
  | {
      readonly kind: "categorical";
      readonly name: string;
      readonly codes: Int32Array;
      readonly levels: readonly string[];
    }
  | { readonly kind: "indicator"; readonly name: string; readonly codes: Int32Array; readonly level: number };

/** What an estimator saw at fit time, so that predict can check and align its input. */
export type FeatureSpec =
  | { readonly kind: "numeric" | "indicator"; readonly name: string }
  | { readonly kind: "categorical"; readonly name: string; readonly levels: readonly string[] };

/** The input of every estimator and transformer: a table, or features already transformed. */
export type Features = Table | FeatureMatrix;

/** An immutable list of features of equal length (a column-major design matrix). */
export class FeatureMatrix {
  readonly names: readonly string[];

  constructor(
    readonly features: readonly Feature[],
    readonly nRows: number,
  ) {
    const seen = new Set<string>();
    for (const f of features) {
      if (seen.has(f.name)) throw new InputError(`duplicate feature name "${f.name}"`, f.name);
      seen.add(f.name);
      const len = f.kind === "numeric" ? f.values.length : f.codes.length;
      if (len !== nRows)
        throw new InputError(`feature "${f.name}" has ${len} rows, expected ${nRows}`, f.name);
    }
    this.names = features.map((f) => f.name);
  }

  get nCols(): number {
    return this.features.length;
  }

  /** The features' specs, to record at fit time. */
  spec(): FeatureSpec[] {
    return this.features.map((f) =>
      f.kind === "categorical"
        ? { kind: "categorical", name: f.name, levels: f.levels }
        : { kind: f.kind, name: f.name },
    );
  }

  /** Rows by index (copied; indicator features keep sharing one copied codes array per source). */
  take(indices: ArrayLike<number>): FeatureMatrix {
    const copies = new Map<Int32Array, Int32Array>();
    const takeCodes = (codes: Int32Array): Int32Array => {
      let out = copies.get(codes);
      if (!out) {
        out = new Int32Array(indices.length);
        for (let i = 0; i < indices.length; i++) out[i] = codes[indices[i]];
        copies.set(codes, out);
      }
      return out;
    };
    const features = this.features.map((f): Feature => {
      if (f.kind !== "numeric") return { ...f, codes: takeCodes(f.codes) };
      const values = new Float64Array(indices.length);
      for (let i = 0; i < indices.length; i++) values[i] = f.values[indices[i]];
      return { ...f, values };
    });
    return new FeatureMatrix(features, indices.length);
  }

  /** Feature `j` as numbers (indicators as 0/1); throws for a categorical feature. */
  numericColumn(j: number): Float64Array {
    const f = this.features[j];
    if (f.kind === "numeric") return f.values;
    if (f.kind === "categorical") throw notNumeric(f.name);
    const out = new Float64Array(this.nRows);
    for (let i = 0; i < this.nRows; i++) out[i] = f.codes[i] === f.level ? 1 : 0;
    return out;
  }

  /**
   * The features as one dense row-major Float64Array (nRows × nCols), for models that need
   * a dense matrix. Throws, naming the feature, for a categorical feature.
   */
  toRowMajor(): Float64Array {
    const { nRows, nCols } = this;
    const out = new Float64Array(nRows * nCols);
    this.features.forEach((f, j) => {
      if (f.kind === "categorical") throw notNumeric(f.name);
      if (f.kind === "numeric") {
        for (let i = 0; i < nRows; i++) out[i * nCols + j] = f.values[i];
      } else {
        for (let i = 0; i < nRows; i++) out[i * nCols + j] = f.codes[i] === f.level ? 1 : 0;
      }
    });
    return out;
  }

  /**
   * The features of `X` as a FeatureMatrix. Without `spec` every column is used. With the
   * spec recorded at fit time, features are picked by name (extra columns are ignored; a
   * missing one is an error naming it) and categorical codes are re-mapped to the fitted
   * levels, an unseen level becoming missing (-1).
   */
  static from(X: Features, spec?: readonly FeatureSpec[]): FeatureMatrix {
    const all = X instanceof Table ? tableFeatures(X) : X;
    if (!spec) return all;
    const byName = new Map(all.features.map((f) => [f.name, f]));
    const features = spec.map((s): Feature => {
      const f = byName.get(s.name);
      if (!f) {
        throw new InputError(
          `missing feature "${s.name}" (the model was fitted on: ${spec.map((x) => x.name).join(", ")})`,
          s.name,
        );
      }
      if (s.kind === "categorical") {
        if (f.kind !== "categorical") {
          throw new InputError(
            `feature "${s.name}" must be categorical, as at fit time (got ${f.kind})`,
            s.name,
          );
        }
        return { ...f, codes: remapCodes(f.codes, f.levels, s.levels), levels: s.levels };
      }
      if (f.kind === "categorical") {
        throw new InputError(`feature "${s.name}" must be numeric, as at fit time (got categorical)`, s.name);
      }
      return f;
    });
    return new FeatureMatrix(features, all.nRows);
  }
}

function notNumeric(name: string): InputError {
  return new InputError(
    `feature "${name}" is categorical; this model needs numbers (encode it first, e.g. with OneHotEncoder)`,
    name,
  );
}

/** A table's columns as features: booleans 0/1, datetimes epoch ms, categoricals kept. */
export function columnFeature(c: Column): Feature {
  switch (c.kind) {
    case "numeric":
    case "datetime":
      return { kind: "numeric", name: c.name, values: c.values };
    case "categorical":
      return { kind: "categorical", name: c.name, codes: c.codes, levels: c.levels };
    case "boolean": {
      const values = new Float64Array(c.values.length);
      for (let i = 0; i < values.length; i++) values[i] = c.values[i] === 255 ? Number.NaN : c.values[i];
      return { kind: "numeric", name: c.name, values };
    }
  }
}

function tableFeatures(t: Table): FeatureMatrix {
  return new FeatureMatrix(t.columns.map(columnFeature), t.nRows);
}

/** Codes over `from` levels rewritten as codes over `to` levels; absent levels become -1. */
export function remapCodes(codes: Int32Array, from: readonly string[], to: readonly string[]): Int32Array {
  if (from === to || (from.length === to.length && from.every((l, i) => l === to[i]))) return codes;
  const index = new Map(to.map((l, i) => [l, i]));
  const map = new Int32Array(from.length);
  for (let i = 0; i < from.length; i++) map[i] = index.get(from[i]) ?? -1;
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? -1 : map[codes[i]];
  return out;
}
