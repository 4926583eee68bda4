import { formatCsv, writeCsv } from "../data/csv/write.js";
import { readTable } from "../data/read.js";
import { parseCommandArgs, UsageError } from "./args.js";
import type { Command } from "./command.js";
import { withRegistry } from "./context.js";
import type { CliIo } from "./output.js";

const HELP = `Usage: trainyard predict --model NAME[@VERSION|:ALIAS] --input FILE --output FILE
       trainyard predict --model-path FILE.model --input FILE --output FILE

Predicts every row of a table (CSV, TSV, JSON Lines, Parquet) and writes it as CSV with a
"prediction" column and, for a classifier, one "proba_<class>" column per class. The input
must have the model's feature columns (extra columns are kept and ignored).

Options:
  -m, --model REF        NAME (the active version), NAME@VERSION or NAME:ALIAS
      --model-path FILE  a model file instead of the registry
  -i, --input FILE       rows to predict
  -o, --output FILE      where to write the CSV ("-" for stdout)
  -h, --help             show this help
`;

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("predict", argv, {
    model: { type: "string", short: "m" },
    "model-path": { type: "string" },
    input: { type: "string", short: "i" },
    output: { type: "string", short: "o" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`predict takes no positional arguments, got: ${positionals.join(" ")}`);
  const ref = typeof values.model === "string" ? values.model : undefined;
  const path = typeof values["model-path"] === "string" ? values["model-path"] : undefined;
  if ((ref === undefined) === (path === undefined))
    throw new UsageError("predict needs one of --model REF or --model-path FILE");
  if (typeof values.input !== "string") throw new UsageError("predict needs --input FILE");
  if (typeof values.output !== "string")
    throw new UsageError("predict needs --output FILE (or - for stdout)");
  const [{ loadModelFile, loadRegistryModel }, { predictTable, withPredictions }] = await Promise.all([
    import("../serving/model-loader.js"),
    import("../serving/predict.js"),
  ]);
  const model = path
    ? await loadModelFile(path)
    : await withRegistry(io.env, (r) => loadRegistryModel(r, ref as string));
  const input = await readTable(values.input);
  const out = withPredictions(input, predictTable(model.estimator, input));
  if (values.output === "-") {
    io.stdout.write(formatCsv(out));
  } else {
    writeCsv(out, values.output);
    io.stderr.write(`${input.nRows} rows predicted by ${model.label} → ${values.output}\n`);
  }
  return 0;
}

export const predictCommand: Command = {
  name: "predict",
  summary: "predict a file's rows with a saved model",
  help: HELP,
  run,
};
