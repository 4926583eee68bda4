import type { SemanticType } from "../../data/schema.js";
import { Pipeline } from "../pipeline/pipeline.js";
import { ColumnTransformer } from "./column-transformer.js";
import { SimpleImputer } from "./imputer.js";
import { OneHotEncoder, type OneHotEncoderParams } from "./one-hot.js";
import { StandardScaler } from "./scalers.js";

export interface DefaultPreprocessorOptions {
  /** Standard-scale the numeric features (default true; trees do not need it). */
  scale?: boolean;
  /** Semantic types forced by column name before routing (e.g. an integer code as categorical). */
  typeOverrides?: Record<string, SemanticType> | null;
  /** Passed to the OneHotEncoder (e.g. maxCategories for high-cardinality columns). */
  oneHot?: Partial<Pick<OneHotEncoderParams, "maxCategories" | "minFrequency" | "drop">>;
}

/**
 * The usual preprocessing of a table: numeric, integer and boolean columns → median
 * imputation → standard scaling; categorical columns → most-frequent imputation → one-hot
 * (unseen categories ignored). Id-like, constant, text and datetime columns are dropped.
 */
export function defaultPreprocessor(options: DefaultPreprocessorOptions = {}): ColumnTransformer {
  const { scale = true, typeOverrides = null, oneHot = {} } = options;
  const impute = new SimpleImputer({ strategy: "median" });
  const numeric = scale
    ? new Pipeline([
        ["imputer", impute],
        ["scaler", new StandardScaler()],
      ])
    : new Pipeline([["imputer", impute]]);
  const categorical = new Pipeline([
    ["imputer", new SimpleImputer({ strategy: "most_frequent" })],
    ["onehot", new OneHotEncoder({ handleUnknown: "ignore", ...oneHot })],
  ]);
  return new ColumnTransformer(
    [
      ["numeric", numeric, { types: ["numeric", "integer", "boolean"] }],
      ["categorical", categorical, { types: ["categorical"] }],
    ],
    { typeOverrides },
  );
}
