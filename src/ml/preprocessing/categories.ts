import { levelCounts } from "../../data/schema.js";
import { InputError } from "../errors.js";
import type { Json } from "../estimator.js";
import type { Feature } from "../features.js";
import { checkFinite, compareCodePoints, numericValues } from "./numeric.js";
import { formatError, isStringArray } from "./parts.js";

/**
 * The categories an encoder learned for one input feature, as scikit-learn's `categories_`:
 * the distinct present values sorted (strings by code point, numbers ascending), then the
 * missing value as a last category when it occurred at fit.
 */
export interface Categories {
  /** Present values as text (numbers written as JavaScript writes them: 3, 2.5). */
  readonly values: readonly string[];
  /** Whether the input was numeric (values are numbers written as text). */
  readonly numeric: boolean;
  /** Whether "missing" is a category (it then comes last, named "nan" as scikit-learn names it). */
  readonly missing: boolean;
}

/** Name of the missing category in output feature names, as scikit-learn writes NaN. */
export const MISSING_NAME = "nan";

/** The categories of a feature and their counts (the missing category's count last). */
export function fitCategories(f: Feature, owner: string): { categories: Categories; counts: number[] } {
  if (f.kind === "categorical") {
    const counts = levelCounts(f.codes, f.levels.length);
    const present: number[] = [];
    let total = 0;
    for (let l = 0; l < counts.length; l++) {
      if (counts[l] > 0) present.push(l);
      total += counts[l];
    }
    present.sort((a, b) => compareCodePoints(f.levels[a], f.levels[b]));
    const nMissing = f.codes.length - total;
    const out = present.map((l) => counts[l]);
    if (nMissing > 0) out.push(nMissing);
    return {
      categories: { values: present.map((l) => f.levels[l]), numeric: false, missing: nMissing > 0 },
      counts: out,
    };
  }
  const values = numericValues(f, owner);
  checkFinite(values, f.name, owner);
  const count = new Map<number, number>();
  let nMissing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) nMissing++;
    else count.set(v, (count.get(v) ?? 0) + 1);
  }
  const distinct = [...count.keys()].sort((a, b) => a - b);
  const counts = distinct.map((v) => count.get(v) as number);
  if (nMissing > 0) counts.push(nMissing);
  return {
    categories: { values: distinct.map((v) => String(v)), numeric: true, missing: nMissing > 0 },
    counts,
  };
}

/** Number of categories including the missing one. */
export function categoryCount(c: Categories): number {
  return c.values.length + (c.missing ? 1 : 0);
}

/** Display names of the categories, the missing one as "nan". */
export function categoryNames(c: Categories): string[] {
  return c.missing ? [...c.values, MISSING_NAME] : [...c.values];
}

const indexes = new WeakMap<Categories, Map<string | number, number>>();

/** Category value → index, built once per Categories (transform of one row must not rebuild it). */
function categoryIndex(c: Categories): Map<string | number, number> {
  let index = indexes.get(c);
  if (!index) {
    index = new Map(c.values.map((v, k) => [c.numeric ? Number(v) : v, k]));
    indexes.set(c, index);
  }
  return index;
}

/** Code meaning "a value not among the categories". */
export const UNKNOWN = -2;

/**
 * The category index of each row: 0..k-1 (a missing value gets the missing category's index),
 * or UNKNOWN for a value unseen at fit (a missing value too when missing is not a category).
 */
export function encodeRows(f: Feature, c: Categories, owner: string): Int32Array {
  const n = f.kind === "numeric" ? f.values.length : f.codes.length;
  const out = new Int32Array(n);
  const missingCode = c.missing ? c.values.length : UNKNOWN;
  if (f.kind === "categorical") {
    const index = categoryIndex(c);
    const map = new Int32Array(f.levels.length);
    for (let l = 0; l < f.levels.length; l++) map[l] = index.get(f.levels[l]) ?? UNKNOWN;
    for (let i = 0; i < n; i++) {
      const code = f.codes[i];
      out[i] = code < 0 ? missingCode : map[code];
    }
    return out;
  }
  const values = numericValues(f, owner);
  const index = categoryIndex(c);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    out[i] = Number.isNaN(v) ? missingCode : (index.get(v) ?? UNKNOWN);
  }
  return out;
}

/** An InputError naming the feature and (some of) its values unseen at fit. */
export function unknownError(f: Feature, rows: Int32Array, owner: string): InputError {
  const seen = new Set<string>();
  for (let i = 0; i < rows.length && seen.size < 5; i++) {
    if (rows[i] !== UNKNOWN) continue;
    if (f.kind === "categorical") seen.add(f.codes[i] < 0 ? "missing" : JSON.stringify(f.levels[f.codes[i]]));
    else if (f.kind === "numeric" && Number.isNaN(f.values[i])) seen.add("missing");
    else seen.add(f.kind === "numeric" ? String(f.values[i]) : String(f.codes[i] === f.level ? 1 : 0));
  }
  return new InputError(
    `${owner}: feature "${f.name}" has values unseen at fit: ${[...seen].join(", ")} (set handleUnknown to ignore them)`,
    f.name,
  );
}

/** Categories as JSON for the model file. */
export function categoriesToJson(c: Categories): Json {
  return { values: [...c.values], numeric: c.numeric, missing: c.missing };
}

/** Categories read back from a model file, validated (values unique; numbers parse as finite numbers). */
export function categoriesFromJson(v: Json, kind: string, name: string): Categories {
  const o = v as Record<string, Json>;
  if (typeof o !== "object" || o === null || Array.isArray(o))
    throw formatError(kind, `categories of "${name}"`);
  const { values, numeric, missing } = o;
  if (!isStringArray(values) || typeof numeric !== "boolean" || typeof missing !== "boolean") {
    throw formatError(kind, `categories of "${name}" must be {values: string[], numeric, missing}`);
  }
  const keys: (string | number)[] = numeric ? values.map(Number) : values;
  if (numeric && keys.some((x) => !Number.isFinite(x))) {
    throw formatError(kind, `categories of "${name}" must be finite numbers`);
  }
  if (new Set(keys).size !== keys.length) throw formatError(kind, `categories of "${name}" repeat a value`);
  return { values, numeric, missing };
}
