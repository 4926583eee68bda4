import { type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ConfigError } from "./errors.js";

/** The algorithms a training configuration may name. */
export const ALGORITHM_NAMES = [
  "random_forest",
  "gradient_boosting",
  "decision_tree",
  "logistic_regression",
  "linear_regression",
  "ridge",
  "lasso",
  "elastic_net",
  "mlp",
] as const;
export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

const Hyperparameters = Type.Record(Type.String(), Type.Unknown(), {
  description: "Estimator params by name (camelCase), e.g. { nEstimators: 300 }",
});

/** The training configuration: one JSON-serializable schema for the library, the CLI and the API. */
export const TrainingConfigSchema = Type.Object(
  {
    dataset: Type.Object(
      {
        path: Type.Optional(Type.String({ minLength: 1, description: "A CSV/TSV/JSONL/Parquet file" })),
        datasetId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1 })])),
        classes: Type.Optional(
          Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
            minItems: 2,
            description: "Keep only rows whose target is one of these",
          }),
        ),
        filter: Type.Optional(
          Type.Array(
            Type.Object(
              {
                column: Type.String({ minLength: 1 }),
                op: Type.Union([
                  Type.Literal("eq"),
                  Type.Literal("ne"),
                  Type.Literal("lt"),
                  Type.Literal("le"),
                  Type.Literal("gt"),
                  Type.Literal("ge"),
                  Type.Literal("in"),
                  Type.Literal("notIn"),
                  Type.Literal("missing"),
                  Type.Literal("present"),
                ]),
                value: Type.Optional(
                  Type.Union([
                    Type.String(),
                    Type.Number(),
                    Type.Boolean(),
                    Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
                  ]),
                ),
              },
              { additionalProperties: false },
            ),
            {
              description:
                "Keep only rows matching every condition, e.g. { column: 'age', op: 'ge', value: 18 }",
            },
          ),
        ),
        include: Type.Optional(
          Type.Array(Type.String(), { description: "Feature columns to use (default: all)" }),
        ),
        exclude: Type.Optional(Type.Array(Type.String(), { description: "Columns never used as features" })),
      },
      { additionalProperties: false },
    ),
    target: Type.String({ minLength: 1 }),
    task: Type.Union(
      [Type.Literal("auto"), Type.Literal("binary"), Type.Literal("multiclass"), Type.Literal("regression")],
      {
        default: "auto",
      },
    ),
    algorithms: Type.Array(Type.Union(ALGORITHM_NAMES.map((a) => Type.Literal(a))), {
      minItems: 1,
      uniqueItems: true,
      default: ["random_forest"],
    }),
    hyperparameters: Type.Record(Type.String(), Hyperparameters, {
      default: {},
      description: "Per algorithm, params that override the defaults",
    }),
    tuning: Type.Object(
      {
        method: Type.Union(
          [
            Type.Literal("none"),
            Type.Literal("grid"),
            Type.Literal("random"),
            Type.Literal("bayes"),
            Type.Literal("halving"),
          ],
          { default: "none" },
        ),
        trials: Type.Integer({ minimum: 1, maximum: 10_000, default: 20 }),
        timeBudgetSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
        patience: Type.Optional(Type.Integer({ minimum: 1 })),
      },
      { additionalProperties: false, default: {} },
    ),
    cvFolds: Type.Union([Type.Integer({ minimum: 3, maximum: 10 }), Type.Null()], {
      default: null,
      description: "Cross-validation folds for the leaderboard and tuning (null: holdout only)",
    }),
    testSplit: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.2 }),
    seed: Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1, default: 42 }),
    targetMetric: Type.Optional(
      Type.String({
        description: "A scorer name (accuracy, f1_macro, roc_auc, r2, neg_mean_absolute_error, …)",
      }),
    ),
    resources: Type.Object(
      {
        threads: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
        memoryMb: Type.Optional(
          Type.Integer({ minimum: 1, description: "Refuse a dataset that would need more memory than this" }),
        ),
        timeoutSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
      },
      { additionalProperties: false, default: {} },
    ),
    quality: Type.Object(
      {
        minRows: Type.Integer({ minimum: 1, default: 50 }),
        minPerClass: Type.Integer({ minimum: 1, default: 10 }),
        failOnBlocking: Type.Boolean({ default: true }),
      },
      { additionalProperties: false, default: {} },
    ),
    model: Type.Object(
      {
        name: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$" })),
        version: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$" })),
        savePath: Type.Optional(Type.String({ minLength: 1 })),
        activate: Type.Union([Type.Boolean(), Type.Literal("if_none")], { default: "if_none" }),
      },
      { additionalProperties: false, default: {} },
    ),
    notes: Type.Optional(Type.String({ maxLength: 10_000 })),
    trainedBy: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export type TrainingConfig = Static<typeof TrainingConfigSchema>;
/** What a caller writes: everything with a default may be left out. */
export type TrainingConfigInput = Omit<
  Partial<TrainingConfig>,
  "dataset" | "target" | "tuning" | "resources" | "quality" | "model"
> & {
  dataset: TrainingConfig["dataset"];
  target: string;
  tuning?: Partial<TrainingConfig["tuning"]>;
  resources?: Partial<TrainingConfig["resources"]>;
  quality?: Partial<TrainingConfig["quality"]>;
  model?: Partial<TrainingConfig["model"]>;
};

/**
 * Checks a configuration and fills its defaults; every invalid field is reported by its JSON
 * path in one ConfigError.
 */
export function parseTrainingConfig(input: unknown): TrainingConfig {
  const value = Value.Default(TrainingConfigSchema, Value.Clone(input ?? {}));
  const problems = [...Value.Errors(TrainingConfigSchema, value)].map((e) => ({
    path: e.path,
    message: e.message,
  }));
  const config = value as TrainingConfig;
  if (problems.length === 0) {
    if (!config.dataset.path && config.dataset.datasetId === undefined) {
      problems.push({ path: "/dataset", message: "needs a path or a datasetId" });
    }
    for (const name of Object.keys(config.hyperparameters)) {
      if (!(ALGORITHM_NAMES as readonly string[]).includes(name)) {
        problems.push({
          path: `/hyperparameters/${name}`,
          message: `is not an algorithm (${ALGORITHM_NAMES.join(", ")})`,
        });
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  return config;
}

function dedupe(problems: { path: string; message: string }[]): { path: string; message: string }[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path} ${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
