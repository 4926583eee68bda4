import type { Json, ModelParts } from "../estimator.js";
import type { Feature } from "../features.js";
import { choice, int, nullable, num, oneOf, type ParamsOf, resolveParams } from "../params.js";
import { ColumnwiseTransformer, type TransformerState } from "./base.js";
import {
  type Categories,
  categoriesFromJson,
  categoriesToJson,
  categoryCount,
  categoryNames,
  encodeRows,
  fitCategories,
  UNKNOWN,
  unknownError,
} from "./categories.js";
import { formatError, isIndex, readFeatures, readList, readParams } from "./parts.js";

const SPEC = {
  /** What an unseen value becomes: an error, all zeros, or the infrequent bucket when there is one. */
  handleUnknown: choice(["error", "ignore", "infrequent_if_exist"], "error"),
  /** Drop the first output category of every feature, or only of features with two. */
  drop: nullable(choice(["first", "if_binary"], "first")),
  /** At most this many outputs per feature; the rarest categories share one infrequent output. */
  maxCategories: nullable(int(2, 0)),
  /** Categories seen fewer times (a count ≥ 1, or a share of the rows in (0, 1)) are infrequent. */
  minFrequency: nullable(
    oneOf<number>([int(1, 1), num(0.5, { min: 0, max: 1, minExclusive: true, maxExclusive: true })], 1),
  ),
};
export type OneHotEncoderParams = ParamsOf<typeof SPEC>;

/** The name scikit-learn gives the shared output of the infrequent categories. */
export const INFREQUENT_NAME = "infrequent_sklearn";

/** How one input feature is encoded. */
interface Encoding {
  readonly categories: Categories;
  /** Indices (into the categories, missing last) grouped as infrequent, ascending. */
  readonly infrequent: readonly number[];
  /** The output category dropped (index into the output categories), or null. */
  readonly drop: number | null;
}

/**
 * One-hot encoding as scikit-learn's OneHotEncoder (dense output, feature names
 * `column_category`). Each input feature becomes one Int32Array of output-category codes,
 * shared by all of its indicator outputs: a 1,000-level column costs one array, not 1,000.
 */
export class OneHotEncoder extends ColumnwiseTransformer<OneHotEncoderParams> {
  readonly kind = "one_hot_encoder";
  private encodings: Encoding[] = [];

  constructor(params: Partial<OneHotEncoderParams> = {}) {
    super(resolveParams("OneHotEncoder", SPEC, params));
  }

  protected fitFeatures(features: readonly Feature[], nRows: number): void {
    this.encodings = features.map((f) => {
      const { categories, counts } = fitCategories(f, "OneHotEncoder");
      const infrequent = this.infrequentOf(counts, nRows);
      const nOut = counts.length - (infrequent.length > 0 ? infrequent.length - 1 : 0);
      const { drop } = this.params;
      return {
        categories,
        infrequent,
        drop: drop === "first" || (drop === "if_binary" && nOut === 2) ? 0 : null,
      };
    });
  }

  /** scikit-learn's _identify_infrequent: below minFrequency, then all but the maxCategories − 1 most frequent. */
  private infrequentOf(counts: number[], nRows: number): number[] {
    const { minFrequency, maxCategories } = this.params;
    const mask = counts.map(() => false);
    if (minFrequency !== null) {
      const threshold = Number.isInteger(minFrequency) ? minFrequency : minFrequency * nRows;
      counts.forEach((c, k) => {
        mask[k] = c < threshold;
      });
    }
    const nCurrent = counts.length - mask.filter(Boolean).length + 1;
    if (maxCategories !== null && maxCategories < nCurrent) {
      // A stable sort by count: on ties the earlier category counts as rarer.
      const order = counts.map((_, k) => k).sort((a, b) => counts[a] - counts[b] || a - b);
      for (const k of order.slice(0, order.length - maxCategories + 1)) mask[k] = true;
    }
    return mask.flatMap((m, k) => (m ? [k] : []));
  }

  protected transformFeatures(features: readonly Feature[]): Feature[] {
    const out: Feature[] = [];
    features.forEach((f, j) => {
      const e = this.encodings[j];
      const rows = encodeRows(f, e.categories, "OneHotEncoder");
      const map = outputMap(e);
      const nOut = outputCount(e);
      const infrequentCode = e.infrequent.length > 0 ? nOut - 1 : -1;
      const unknownCode = this.params.handleUnknown === "infrequent_if_exist" ? infrequentCode : -1;
      let unknown = false;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        if (r === UNKNOWN) {
          unknown = true;
          rows[i] = unknownCode;
        } else if (r >= 0) rows[i] = map[r];
      }
      if (unknown && this.params.handleUnknown === "error")
        throw unknownError(f, encodeRows(f, e.categories, "OneHotEncoder"), "OneHotEncoder");
      outputCategoryNames(e).forEach((name, level) => {
        if (level !== e.drop) out.push({ kind: "indicator", name: `${f.name}_${name}`, codes: rows, level });
      });
    });
    return out;
  }

  protected outputNames(): string[] {
    return this.fittedSpec().flatMap((s, j) => {
      const e = this.encodings[j];
      return outputCategoryNames(e)
        .filter((_, level) => level !== e.drop)
        .map((name) => `${s.name}_${name}`);
    });
  }

  /** The categories learned for each input feature (missing last, as "nan"), as scikit-learn's `categories_`. */
  get categories(): string[][] {
    this.fittedSpec();
    return this.encodings.map((e) => categoryNames(e.categories));
  }

  /** The infrequent categories of each input feature (null when none), as scikit-learn's `infrequent_categories_`. */
  get infrequentCategories(): (string[] | null)[] {
    this.fittedSpec();
    return this.encodings.map((e) => {
      const names = categoryNames(e.categories);
      return e.infrequent.length > 0 ? e.infrequent.map((k) => names[k]) : null;
    });
  }

  protected fittedState(): TransformerState {
    const encodings: Json[] = this.encodings.map((e) => ({
      categories: categoriesToJson(e.categories),
      infrequent: [...e.infrequent],
      drop: e.drop,
    }));
    return { state: { encodings }, arrays: {} };
  }

  static fromParts(parts: ModelParts): OneHotEncoder {
    const kind = "one_hot_encoder";
    const params = readParams(parts, kind, SPEC, "OneHotEncoder");
    const spec = readFeatures(parts, kind);
    const list = readList(parts, kind, "encodings", spec.length);
    const out = new OneHotEncoder(params);
    out.encodings = list.map((raw, j): Encoding => {
      const name = spec[j].name;
      const o = (raw ?? {}) as Record<string, Json>;
      const categories = categoriesFromJson(o.categories, kind, name);
      if (categories.numeric !== (spec[j].kind !== "categorical")) {
        throw formatError(kind, `categories of "${name}" do not match its kind`);
      }
      const n = categoryCount(categories);
      const infrequent = o.infrequent;
      if (
        !Array.isArray(infrequent) ||
        !infrequent.every(
          (k, i) => isIndex(k, n) && (i === 0 || (k as number) > (infrequent[i - 1] as number)),
        )
      ) {
        throw formatError(kind, `infrequent categories of "${name}" must be ascending category indices`);
      }
      const e = { categories, infrequent: infrequent as number[], drop: null };
      if (o.drop !== null && !isIndex(o.drop, outputCount(e))) {
        throw formatError(kind, `dropped category of "${name}" out of range`);
      }
      return { ...e, drop: o.drop as number | null };
    });
    return out.restore(spec);
  }
}

/** Outputs of a feature before dropping: frequent categories, then one infrequent bucket. */
function outputCount(e: Encoding): number {
  const n = categoryCount(e.categories);
  return e.infrequent.length > 0 ? n - e.infrequent.length + 1 : n;
}

/** Category index → output index (infrequent categories share the last output). */
function outputMap(e: Encoding): Int32Array {
  const n = categoryCount(e.categories);
  const map = new Int32Array(n);
  const infrequent = new Set(e.infrequent);
  const last = n - e.infrequent.length;
  let next = 0;
  for (let k = 0; k < n; k++) map[k] = infrequent.has(k) ? last : next++;
  return map;
}

function outputCategoryNames(e: Encoding): string[] {
  const names = categoryNames(e.categories);
  if (e.infrequent.length === 0) return names;
  const infrequent = new Set(e.infrequent);
  return [...names.filter((_, k) => !infrequent.has(k)), INFREQUENT_NAME];
}
