import { renderQualityReport } from "../data/quality/render.js";
import { qualityReport } from "../data/quality/report.js";
import { readTable } from "../data/read.js";
import { TASK_OPTIONS } from "../data/task.js";
import { choiceOption, integerOption, parseCommandArgs, UsageError } from "./args.js";
import type { Command } from "./command.js";
import { type CliIo, useColor } from "./output.js";

/** Exit code when the data is readable but findings block training. */
export const EXIT_UNFIT = 2;

const HELP = `Usage: trainyard inspect FILE [options]

Reads a table (CSV, TSV, JSON Lines, Parquet), infers its schema and reports its quality.
With a target, also checks the task, the classes, the sample size and target leakage.

Options:
  -t, --target COL        the column to predict
      --task TASK         auto (default), binary, multiclass or regression
      --json              print the report as JSON
      --min-rows N        fewer usable rows blocks training (default 50)
      --min-per-class N   a smaller class blocks training (default 10)
  -h, --help              show this help

Exit codes: 0 fit for training (possibly with warnings), 1 error, 2 bad usage or findings block training.
`;

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("inspect", argv, {
    target: { type: "string", short: "t" },
    task: { type: "string" },
    json: { type: "boolean" },
    "min-rows": { type: "string" },
    "min-per-class": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "inspect needs a FILE (see trainyard inspect --help)"
        : `inspect takes one FILE, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  const task = choiceOption("task", values.task, TASK_OPTIONS);
  const minRows = integerOption("min-rows", values["min-rows"]);
  const minPerClass = integerOption("min-per-class", values["min-per-class"]);
  if (task !== undefined && values.target === undefined) throw new UsageError("--task needs --target");
  const file = positionals[0];
  const table = await readTable(file);
  const report = qualityReport(table, {
    source: file,
    ...(typeof values.target === "string" ? { target: values.target } : {}),
    ...(task !== undefined ? { task } : {}),
    ...(minRows !== undefined ? { minRows } : {}),
    ...(minPerClass !== undefined ? { minPerClass } : {}),
  });
  io.stdout.write(
    values.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : renderQualityReport(report, { color: useColor(io), width: io.columns }),
  );
  return report.verdict === "unfit" ? EXIT_UNFIT : 0;
}

export const inspectCommand: Command = {
  name: "inspect",
  summary: "schema and data-quality report of a table",
  help: HELP,
  run,
};
