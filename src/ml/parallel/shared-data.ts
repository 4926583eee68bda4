import type { Column } from "../../data/column.js";
import { Table } from "../../data/table.js";
import { type Feature, FeatureMatrix, type Features } from "../features.js";
import type { Label, Target } from "../target.js";
import { toShared } from "./transfer.js";

/**
 * A table or feature matrix as plain data over SharedArrayBuffers: posted to a worker it costs
 * no copy of the values (only names and category levels are cloned), and `openFeatures`
 * rebuilds the same Table or FeatureMatrix there.
 */
export type SharedFeatures =
  | { readonly type: "table"; readonly columns: readonly Column[]; readonly nRows: number }
  | { readonly type: "matrix"; readonly features: readonly Feature[]; readonly nRows: number };

export type SharedTarget =
  | { readonly type: "column"; readonly column: Column }
  | { readonly type: "numbers"; readonly values: Float64Array }
  | { readonly type: "labels"; readonly labels: readonly Label[] };

export function shareFeatures(X: Features): SharedFeatures {
  if (X instanceof Table) return { type: "table", columns: X.columns.map(shareColumn), nRows: X.nRows };
  const codes = new Map<Int32Array, Int32Array>();
  const sharedCodes = (c: Int32Array): Int32Array => {
    let s = codes.get(c);
    if (!s) {
      s = toShared(c);
      codes.set(c, s);
    }
    return s;
  };
  const features = X.features.map(
    (f): Feature =>
      f.kind === "numeric" ? { ...f, values: toShared(f.values) } : { ...f, codes: sharedCodes(f.codes) },
  );
  return { type: "matrix", features, nRows: X.nRows };
}

export function openFeatures(s: SharedFeatures): Features {
  return s.type === "table" ? new Table(s.columns, s.nRows) : new FeatureMatrix(s.features, s.nRows);
}

function shareColumn(c: Column): Column {
  switch (c.kind) {
    case "categorical":
      return { ...c, codes: toShared(c.codes) };
    case "boolean":
      return { ...c, values: toShared(c.values) };
    default:
      return { ...c, values: toShared(c.values) };
  }
}

export function shareTarget(y: Target): SharedTarget {
  if (y instanceof Float64Array) return { type: "numbers", values: toShared(y) };
  if (Array.isArray(y)) return { type: "labels", labels: y as readonly Label[] };
  return { type: "column", column: shareColumn(y as Column) };
}

export function openTarget(s: SharedTarget): Target {
  if (s.type === "numbers") return s.values;
  if (s.type === "labels") return s.labels;
  return s.column;
}
