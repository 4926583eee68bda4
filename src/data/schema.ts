import type { Column, ColumnKind } from "./column.js";
import { DataLoadError } from "./errors.js";
import type { Table } from "./table.js";

/** What a column means for modelling, as opposed to how it is stored (`ColumnKind`). */
export type SemanticType =
  | "numeric"
  | "integer"
  | "categorical"
  | "boolean"
  | "datetime"
  | "id"
  | "constant"
  | "text";

export const SEMANTIC_TYPES: readonly SemanticType[] = [
  "numeric",
  "integer",
  "categorical",
  "boolean",
  "datetime",
  "id",
  "constant",
  "text",
];

export interface ColumnSchema {
  name: string;
  /** Storage kind of the column. */
  kind: ColumnKind;
  type: SemanticType;
  /** Why this type was chosen (short, for people). */
  reason: string;
  /** Missing cells. */
  missing: number;
  /** Distinct non-missing values. */
  distinct: number;
  /** True when the type comes from an override rather than inference. */
  overridden: boolean;
}

export interface Schema {
  rows: number;
  columns: ColumnSchema[];
}

export interface SchemaOptions {
  overrides?: Record<string, SemanticType>;
}

/** Facts about a column that inference needs; computed once and shared with the quality report. */
export interface ColumnProfile {
  missing: number;
  distinct: number;
  /** Numeric columns: every non-missing value is an integer. */
  integral: boolean;
  /** Integer columns whose range is at most twice their distinct count (row numbers, serials). */
  dense: boolean;
  /** Categorical columns: mean length (UTF-16 units) of the distinct values. */
  meanLength: number;
  /** Categorical columns: share of the distinct values that contain a space. */
  spaceShare: number;
}

// Thresholds of the rules; docs/data.md writes them down.
export const ID_MIN_ROWS = 20;
export const ID_DISTINCT_SHARE = 0.95;
export const TEXT_DISTINCT_SHARE = 0.5;
export const TEXT_MIN_DISTINCT = 50;
export const TEXT_MEAN_LENGTH = 30;

const ID_NAME = /^(id|uuid|guid|key)$|[_\-. ](id|uuid|guid|key)$|[a-z0-9](Id|ID|Uuid|UUID|Key)$/;

/** Whether a column name reads like an identifier: `id`, `user_id`, `uuid`, `key`, `userId`. */
export function looksLikeIdName(name: string): boolean {
  return ID_NAME.test(name.trim()) || ID_NAME.test(name.trim().toLowerCase());
}

/** Sorted copy of the non-missing values of a float column. */
export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[j++] = values[i];
  return out.sort();
}

/** Distinct values of a sorted array (-0 and 0 count as one). */
export function distinctSorted(sorted: Float64Array): number {
  let d = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) d++;
  return d;
}

/** Occurrences of each level of a categorical column (missing not counted). */
export function levelCounts(codes: Int32Array, nLevels: number): Int32Array {
  const counts = new Int32Array(nLevels);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) counts[codes[i]]++;
  return counts;
}

/**
 * Profiles a column. `sorted` (the sorted present values of a numeric/datetime column)
 * may be passed when the caller already has it, to avoid sorting twice.
 */
export function profileColumn(c: Column, sorted?: Float64Array): ColumnProfile {
  const n = c.kind === "categorical" ? c.codes.length : c.values.length;
  if (c.kind === "numeric" || c.kind === "datetime") {
    const s = sorted ?? sortedPresent(c.values);
    let integral = true;
    for (let i = 0; i < s.length && integral; i++) integral = Number.isInteger(s[i]);
    const distinct = distinctSorted(s);
    const dense = integral && s.length > 0 && s[s.length - 1] - s[0] + 1 <= 2 * distinct;
    return { missing: n - s.length, distinct, integral, dense, meanLength: 0, spaceShare: 0 };
  }
  if (c.kind === "boolean") {
    let missing = 0;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      const v = c.values[i];
      if (v === 255) missing++;
      else seen |= v === 1 ? 2 : 1;
    }
    const distinct = (seen & 1) + (seen >> 1);
    return { missing, distinct, integral: true, dense: false, meanLength: 0, spaceShare: 0 };
  }
  const counts = levelCounts(c.codes, c.levels.length);
  let present = 0;
  let distinct = 0;
  let length = 0;
  let spaces = 0;
  for (let l = 0; l < counts.length; l++) {
    if (counts[l] === 0) continue;
    present += counts[l];
    distinct++;
    length += c.levels[l].length;
    if (c.levels[l].includes(" ")) spaces++;
  }
  return {
    missing: n - present,
    distinct,
    integral: false,
    dense: false,
    meanLength: distinct > 0 ? length / distinct : 0,
    spaceShare: distinct > 0 ? spaces / distinct : 0,
  };
}

/** The inferred type of one column and why; the rules are in docs/data.md. */
export function inferType(c: Column, p: ColumnProfile): { type: SemanticType; reason: string } {
  const n = c.kind === "categorical" ? c.codes.length : c.values.length;
  const present = n - p.missing;
  if (present === 0) return { type: "constant", reason: "all values missing" };
  if (p.distinct <= 1) return { type: "constant", reason: "a single distinct value" };
  if (c.kind === "boolean") return { type: "boolean", reason: "boolean values" };
  if (c.kind === "datetime") return { type: "datetime", reason: "date/time values" };
  const unique = present >= ID_MIN_ROWS && p.distinct >= ID_DISTINCT_SHARE * present;
  const idName = looksLikeIdName(c.name);
  if (c.kind === "numeric") {
    if (!p.integral) return { type: "numeric", reason: "numbers with fractions" };
    if (unique && idName) return { type: "id", reason: "unique integers and an id-like name" };
    // Unique integers are often real quantities (incomes, counts); only a dense run reads as a row number.
    if (unique && p.dense) return { type: "id", reason: "unique consecutive integers" };
    return { type: "integer", reason: "whole numbers" };
  }
  const highCardinality = p.distinct > TEXT_DISTINCT_SHARE * present && p.distinct > TEXT_MIN_DISTINCT;
  if (highCardinality && (p.meanLength > TEXT_MEAN_LENGTH || p.spaceShare > 0.5)) {
    return { type: "text", reason: "many distinct long or multi-word values" };
  }
  if (unique) {
    return {
      type: "id",
      reason: idName ? "unique values and an id-like name" : "a distinct value in every row",
    };
  }
  return { type: "categorical", reason: `${p.distinct} distinct values` };
}

/** Semantic types an override may give a column of each storage kind. */
function allowedOverrides(c: Column, p: ColumnProfile): SemanticType[] {
  switch (c.kind) {
    case "numeric":
      return p.integral
        ? ["numeric", "integer", "categorical", "id", "constant"]
        : ["numeric", "categorical", "constant"];
    case "categorical":
      return p.distinct <= 2
        ? ["categorical", "text", "id", "boolean", "constant"]
        : ["categorical", "text", "id", "constant"];
    case "boolean":
      return ["boolean", "categorical", "constant"];
    case "datetime":
      return ["datetime", "constant"];
  }
}

/** The schema of one column, honouring an override. */
export function columnSchema(c: Column, p: ColumnProfile, override?: SemanticType): ColumnSchema {
  const base = { name: c.name, kind: c.kind, missing: p.missing, distinct: p.distinct };
  if (override === undefined) return { ...base, ...inferType(c, p), overridden: false };
  if (!SEMANTIC_TYPES.includes(override)) {
    throw new DataLoadError(`unknown type "${override}" (types: ${SEMANTIC_TYPES.join(", ")})`, {
      field: c.name,
    });
  }
  const allowed = allowedOverrides(c, p);
  if (!allowed.includes(override)) {
    const detail = override === "integer" && c.kind === "numeric" ? "numeric with fractions" : `${c.kind}`;
    throw new DataLoadError(
      `cannot treat a ${detail} column as ${override} (possible: ${allowed.join(", ")})`,
      { field: c.name },
    );
  }
  return { ...base, type: override, reason: "override", overridden: true };
}

/** Infers the semantic type of every column; `overrides` replace inferred types by name. */
export function inferSchema(table: Table, options: SchemaOptions = {}): Schema {
  const overrides = options.overrides ?? {};
  for (const name of Object.keys(overrides)) {
    if (!table.has(name)) {
      throw new DataLoadError(
        `type override for a column that does not exist (columns: ${table.names.join(", ")})`,
        {
          field: name,
        },
      );
    }
  }
  return {
    rows: table.nRows,
    columns: table.columns.map((c) => columnSchema(c, profileColumn(c), overrides[c.name])),
  };
}
