import { readFile } from "node:fs/promises";
import type { TrainingConfigInput } from "../training/config.js";
import { ALGORITHM_NAMES, type AlgorithmName } from "../training/config.js";
import { DataQualityError } from "../training/errors.js";
import type { TrainingResult } from "../training/trainer.js";
import { choiceOption, integerOption, parseCommandArgs, UsageError } from "./args.js";
import type { Command } from "./command.js";
import { withRegistry } from "./context.js";
import { duration, fmt, table } from "./format.js";
import { EXIT_UNFIT } from "./inspect.js";
import type { CliIo } from "./output.js";
import { progressReporter } from "./progress.js";

const HELP = `Usage: trainyard train --dataset FILE --target COL [options]

Validates the dataset, trains, evaluates on a held-out split, saves the model and records
the run (in the registry under TRAINYARD_HOME, or the PostgreSQL at DATABASE_URL).

Options:
  -d, --dataset FILE        CSV, TSV, JSON Lines or Parquet file
  -t, --target COL          the column to predict
      --model-version V     version label (default: a timestamp)
      --model-name NAME     model name (default: the dataset's file name)
      --save-path FILE      also write the model file (and its .json metadata) here
      --test-split F        held-out share of rows (default 0.2)
      --n-estimators N      trees for random_forest / gradient_boosting (default 200)
      --max-depth N         maximum tree depth (default: unlimited)
      --random-state N      seed of the split and the models (default 42)
      --algorithm A[,A…]    ${ALGORITHM_NAMES.join(", ")} (default random_forest)
      --algorithms A[,A…]   same as --algorithm
      --classes C[,C…]      keep only rows whose target is one of these
      --task T              auto (default), binary, multiclass or regression
      --tuning M            none (default), grid, random, bayes or halving
      --trials N            tuning trials per algorithm (default 20)
      --cv K                cross-validation folds, 3–10 (default: 5 with several algorithms or tuning)
      --metric NAME         target metric (default f1_macro, or r2 for regression)
      --activate            make the new version the active one (default: only a model's first version)
      --notes TEXT          notes recorded with the run
      --config FILE         a JSON training configuration; flags override its fields
      --json                print the result as JSON
      --verbose             structured logs on stderr
  -h, --help                show this help

Exit codes: 0 trained, 1 error, 2 bad usage or data unfit for training.
`;

function list(v: string | boolean | undefined): string[] | undefined {
  if (typeof v !== "string") return undefined;
  return v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function fraction(name: string, v: string | boolean | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (typeof v !== "string" || !(x > 0 && x < 1))
    throw new UsageError(`--${name} must be a number in (0, 1), got "${v}"`);
  return x;
}

/** The configuration from --config and the flags (flags win). */
async function configFrom(
  values: Record<string, string | boolean | undefined>,
): Promise<TrainingConfigInput> {
  let base: Partial<TrainingConfigInput> = {};
  if (typeof values.config === "string") {
    try {
      base = JSON.parse(await readFile(values.config, "utf8"));
    } catch (e) {
      throw new UsageError(
        `--config ${values.config}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`,
      );
    }
  }
  const dataset = typeof values.dataset === "string" ? values.dataset : base.dataset?.path;
  const target = typeof values.target === "string" ? values.target : base.target;
  if (!dataset && base.dataset?.datasetId === undefined)
    throw new UsageError("train needs --dataset FILE (see trainyard train --help)");
  if (!target) throw new UsageError("train needs --target COL (see trainyard train --help)");
  const algorithms = (list(values.algorithm) ??
    list(values.algorithms) ??
    base.algorithms ?? ["random_forest"]) as AlgorithmName[];
  for (const a of algorithms) {
    if (!(ALGORITHM_NAMES as readonly string[]).includes(a)) {
      throw new UsageError(`unknown algorithm "${a}" (${ALGORITHM_NAMES.join(", ")})`);
    }
  }
  const hyperparameters: Record<string, Record<string, unknown>> = { ...(base.hyperparameters ?? {}) };
  const nEstimators =
    integerOption("n-estimators", values["n-estimators"]) ?? (base.hyperparameters ? undefined : 200);
  const maxDepth = integerOption("max-depth", values["max-depth"]);
  for (const a of algorithms) {
    const h = { ...(hyperparameters[a] ?? {}) };
    if (nEstimators !== undefined && (a === "random_forest" || a === "gradient_boosting"))
      h.nEstimators = nEstimators;
    if (
      maxDepth !== undefined &&
      (a === "random_forest" || a === "gradient_boosting" || a === "decision_tree")
    )
      h.maxDepth = maxDepth;
    if (Object.keys(h).length > 0) hyperparameters[a] = h;
  }
  const cv = integerOption("cv", values.cv);
  const trials = integerOption("trials", values.trials);
  return {
    ...base,
    dataset: {
      ...(base.dataset ?? {}),
      ...(dataset ? { path: dataset } : {}),
      ...(list(values.classes) ? { classes: list(values.classes) } : {}),
    },
    target,
    algorithms,
    hyperparameters,
    task:
      choiceOption("task", values.task, ["auto", "binary", "multiclass", "regression"] as const) ?? base.task,
    testSplit: fraction("test-split", values["test-split"]) ?? base.testSplit,
    seed: integerOption("random-state", values["random-state"]) ?? base.seed,
    cvFolds: cv ?? base.cvFolds,
    targetMetric: typeof values.metric === "string" ? values.metric : base.targetMetric,
    tuning: {
      ...(base.tuning ?? {}),
      ...(values.tuning !== undefined
        ? {
            method: choiceOption("tuning", values.tuning, [
              "none",
              "grid",
              "random",
              "bayes",
              "halving",
            ] as const),
          }
        : {}),
      ...(trials !== undefined ? { trials } : {}),
    },
    model: {
      ...(base.model ?? {}),
      ...(typeof values["model-version"] === "string" ? { version: values["model-version"] } : {}),
      ...(typeof values["model-name"] === "string" ? { name: values["model-name"] } : {}),
      ...(typeof values["save-path"] === "string" ? { savePath: values["save-path"] } : {}),
      ...(values.activate ? { activate: true } : {}),
    },
    notes: typeof values.notes === "string" ? values.notes : base.notes,
  };
}

function summary(r: TrainingResult): string {
  const c = r.config;
  const out: string[] = [];
  out.push("Configuration");
  out.push(
    table(
      ["setting", "value"],
      [
        [
          "dataset",
          `${r.data.path} (${r.data.rows} rows${r.data.droppedRows ? `, ${r.data.droppedRows} dropped` : ""})`,
        ],
        ["target", `${r.target} (${r.task})`],
        [
          "features",
          `${r.data.features.length} (${r.data.numeric.length} numeric, ${r.data.categorical.length} categorical)`,
        ],
        ["algorithms", c.algorithms.join(", ")],
        [
          "split",
          `train ${r.data.trainSize} / test ${r.data.testSize} (test ${c.testSplit}, seed ${c.seed})`,
        ],
        ["hyperparameters", JSON.stringify(r.best.params)],
      ],
    ),
  );
  if (r.leaderboard.length > 1) {
    out.push("", `Leaderboard (${r.targetMetric})`);
    out.push(
      table(
        ["rank", "algorithm", "cv mean", "cv std", "test", "fit", "run"],
        r.leaderboard.map((e) => [
          String(e.rank),
          e.algorithm,
          fmt(e.cvMean),
          fmt(e.cvStd),
          e.error ? `failed: ${e.error.slice(0, 40)}` : fmt(e.testScore),
          duration(e.fitMs),
          e.runId === null ? "—" : String(e.runId),
        ]),
      ),
    );
  }
  const m = r.best.evaluation.metrics;
  out.push("", `Test metrics (${r.best.algorithm})`);
  const names =
    r.task === "regression" ? ["r2", "mae", "mse", "rmse"] : ["accuracy", "precision", "recall", "f1"];
  out.push(
    table(
      ["metric", "value"],
      names.map((n) => [n === "r2" ? "R²" : n, fmt(m[n])]),
    ),
  );
  const perClass = r.best.evaluation.classification?.perClass;
  if (perClass) {
    out.push("", "Per class");
    out.push(
      table(
        ["class", "precision", "recall", "f1", "accuracy", "support"],
        perClass.map((p) => [
          String(p.label),
          fmt(p.precision),
          fmt(p.recall),
          fmt(p.f1),
          fmt(p.accuracy),
          fmt(p.support),
        ]),
      ),
    );
  }
  out.push("");
  out.push(`duration    ${duration(r.durationsMs.totalMs)}`);
  out.push(
    `model       ${r.model.name}@${r.model.version}${r.model.versionRecord?.active ? " (active)" : ""}`,
  );
  out.push(`saved to    ${r.saved?.path ?? r.saved?.uri ?? "—"}`);
  out.push(`metadata    ${r.saved?.metadataPath ?? "—"}`);
  out.push(`run id      ${r.best.runId ?? "—"}`);
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return `${out.join("\n")}\n`;
}

function resultJson(r: TrainingResult): unknown {
  const { best, heldOut: _heldOut, ...rest } = r;
  const { model: _model, ...bestData } = best;
  return {
    ...rest,
    best: bestData,
    model: { name: r.model.name, version: r.model.version, active: r.model.versionRecord?.active ?? false },
  };
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("train", argv, {
    dataset: { type: "string", short: "d" },
    target: { type: "string", short: "t" },
    "model-version": { type: "string" },
    "model-name": { type: "string" },
    "save-path": { type: "string" },
    "test-split": { type: "string" },
    "n-estimators": { type: "string" },
    "max-depth": { type: "string" },
    "random-state": { type: "string" },
    algorithm: { type: "string" },
    algorithms: { type: "string" },
    classes: { type: "string" },
    task: { type: "string" },
    tuning: { type: "string" },
    trials: { type: "string" },
    cv: { type: "string" },
    metric: { type: "string" },
    activate: { type: "boolean" },
    notes: { type: "string" },
    config: { type: "string" },
    json: { type: "boolean" },
    verbose: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`train takes no positional arguments, got: ${positionals.join(" ")}`);
  const config = await configFrom(values);
  const progress = progressReporter(io);
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error("interrupted"));
  process.once("SIGINT", onSignal);
  try {
    return await withRegistry(io.env, async (registry) => {
      // The training stack loads here, not with the CLI.
      const [{ Trainer }, { silentLogger, stderrLogger }] = await Promise.all([
        import("../training/trainer.js"),
        import("../training/logger.js"),
      ]);
      const trainer = new Trainer({
        registry,
        logger: values.verbose ? stderrLogger() : silentLogger(),
        signal: abort.signal,
        onProgress: values.json ? undefined : (p) => progress.update(p),
      });
      let result: TrainingResult;
      try {
        result = await trainer.run(config);
      } catch (e) {
        progress.done();
        if (e instanceof DataQualityError) {
          io.stderr.write(`trainyard: ${e.message.replace(/\s*\n\s*/g, " ")}\n`);
          return EXIT_UNFIT;
        }
        throw e;
      }
      progress.done();
      io.stdout.write(values.json ? `${JSON.stringify(resultJson(result), null, 2)}\n` : summary(result));
      return 0;
    });
  } finally {
    process.off("SIGINT", onSignal);
  }
}

export const trainCommand: Command = {
  name: "train",
  summary: "train, evaluate, save and record a model",
  help: HELP,
  run,
};
