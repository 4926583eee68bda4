import { ParameterError } from "../errors.js";
import type { Json, ModelParts } from "../estimator.js";
import type { Feature } from "../features.js";
import { choice, nullable, num, type ParamsOf, resolveParams } from "../params.js";
import { ColumnwiseTransformer, type TransformerState } from "./base.js";
import {
  type Categories,
  categoriesFromJson,
  categoriesToJson,
  categoryNames,
  encodeRows,
  fitCategories,
  UNKNOWN,
  unknownError,
} from "./categories.js";
import { formatError, readFeatures, readList, readParams } from "./parts.js";

const SPEC = {
  /** An unseen value is an error, or becomes `unknownValue`. */
  handleUnknown: choice(["error", "use_encoded_value"], "error"),
  /** The code of an unseen value (null: missing, NaN). */
  unknownValue: nullable(num(-1)),
  /** The code of a missing value (null: missing, NaN). */
  encodedMissingValue: nullable(num(-1)),
};
export type OrdinalEncoderParams = ParamsOf<typeof SPEC>;

/**
 * Categories as numbers 0..k-1 in sorted order, as scikit-learn's OrdinalEncoder; missing
 * values stay missing (or become `encodedMissingValue`), unseen ones become `unknownValue`.
 */
export class OrdinalEncoder extends ColumnwiseTransformer<OrdinalEncoderParams> {
  readonly kind = "ordinal_encoder";
  private encodings: Categories[] = [];

  constructor(params: Partial<OrdinalEncoderParams> = {}) {
    super(resolveParams("OrdinalEncoder", SPEC, params));
  }

  protected fitFeatures(features: readonly Feature[]): void {
    const { handleUnknown, unknownValue } = this.params;
    this.encodings = features.map((f) => {
      const { categories } = fitCategories(f, "OrdinalEncoder");
      // As scikit-learn: an unknown code must not collide with a category's code.
      if (
        handleUnknown === "use_encoded_value" &&
        unknownValue !== null &&
        Number.isInteger(unknownValue) &&
        unknownValue >= 0 &&
        unknownValue < categories.values.length
      ) {
        throw new ParameterError(
          "OrdinalEncoder.unknownValue",
          `a code no category of "${f.name}" uses (< 0, ≥ ${categories.values.length}, or null)`,
          unknownValue,
        );
      }
      return categories;
    });
  }

  protected transformFeatures(features: readonly Feature[]): Feature[] {
    const { handleUnknown, unknownValue, encodedMissingValue } = this.params;
    const unknown = unknownValue ?? Number.NaN;
    const missing = encodedMissingValue ?? Number.NaN;
    return features.map((f, j) => {
      const c = this.encodings[j];
      const rows = encodeRows(f, c, "OrdinalEncoder");
      const values = new Float64Array(rows.length);
      const missingCode = c.missing ? c.values.length : -1;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        if (r === UNKNOWN) {
          if (handleUnknown === "error") throw unknownError(f, rows, "OrdinalEncoder");
          values[i] = unknown;
        } else values[i] = r === missingCode ? missing : r;
      }
      return { kind: "numeric", name: f.name, values };
    });
  }

  protected outputNames(): string[] {
    return this.fittedSpec().map((s) => s.name);
  }

  /** The categories of each input feature (missing last, as "nan"), as scikit-learn's `categories_`. */
  get categories(): string[][] {
    this.fittedSpec();
    return this.encodings.map(categoryNames);
  }

  protected fittedState(): TransformerState {
    return { state: { encodings: this.encodings.map(categoriesToJson) as Json[] }, arrays: {} };
  }

  static fromParts(parts: ModelParts): OrdinalEncoder {
    const kind = "ordinal_encoder";
    const params = readParams(parts, kind, SPEC, "OrdinalEncoder");
    const spec = readFeatures(parts, kind);
    const list = readList(parts, kind, "encodings", spec.length);
    const out = new OrdinalEncoder(params);
    out.encodings = list.map((raw, j) => {
      const c = categoriesFromJson(raw, kind, spec[j].name);
      if (c.numeric !== (spec[j].kind !== "categorical")) {
        throw formatError(kind, `categories of "${spec[j].name}" do not match its kind`);
      }
      return c;
    });
    return out.restore(spec);
  }
}
