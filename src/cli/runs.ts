import type { RunStatus } from "../registry/tables.js";
import { choiceOption, integerOption, parseCommandArgs, UsageError } from "./args.js";
import type { Command } from "./command.js";
import { withRegistry } from "./context.js";
import { fmt, table } from "./format.js";
import type { CliIo } from "./output.js";

const HELP = `Usage: trainyard runs list [options]
       trainyard runs show ID [--json]

Lists and shows recorded training runs (newest first).

Options:
      --status S     RUNNING, COMPLETED, FAILED or CANCELLED
      --model NAME   runs of one model
      --limit N      at most N runs (default 20)
      --offset N     skip the newest N
      --json         print JSON
  -h, --help         show this help
`;

const STATUSES = ["RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const;

function headline(metrics: Record<string, unknown>): string {
  for (const name of ["f1", "accuracy", "r2"]) {
    if (typeof metrics[name] === "number") return `${name} ${fmt(metrics[name] as number)}`;
  }
  return "—";
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("runs", argv, {
    status: { type: "string" },
    model: { type: "string" },
    limit: { type: "string" },
    offset: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [action, ...rest] = positionals;
  if (action === "list" && rest.length === 0) {
    const status = choiceOption("status", values.status, STATUSES) as RunStatus | undefined;
    const runs = await withRegistry(io.env, (r) =>
      r.runs.list({
        status,
        modelName: typeof values.model === "string" ? values.model : undefined,
        limit: integerOption("limit", values.limit) ?? 20,
        offset: integerOption("offset", values.offset),
      }),
    );
    if (values.json) io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    else if (runs.length === 0) io.stdout.write("no runs recorded\n");
    else {
      io.stdout.write(
        `${table(
          ["id", "status", "model", "version", "algorithm", "metric", "started"],
          runs.map((x) => [
            String(x.id),
            x.status,
            x.modelName ?? "—",
            x.modelVersion ?? "—",
            x.algorithm ?? "—",
            x.status === "FAILED" ? (x.error ?? "").slice(0, 40) : headline(x.metrics),
            x.startedAt.toISOString().slice(0, 19).replace("T", " "),
          ]),
        )}\n`,
      );
    }
    return 0;
  }
  if (action === "show" && rest.length === 1) {
    const id = integerOption("ID", rest[0]) as number;
    const x = await withRegistry(io.env, (r) => r.runs.get(id));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(x, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `run ${x.id}  ${x.status}`,
      `model       ${x.modelName ?? "—"}@${x.modelVersion ?? "—"}`,
      `algorithm   ${x.algorithm ?? "—"} (${x.task ?? "—"})`,
      `params      ${JSON.stringify(x.params)}`,
      `dataset     ${x.datasetPath ?? "—"} (${x.datasetRows ?? "?"} rows, sha256 ${x.datasetFingerprint?.slice(0, 12) ?? "—"})`,
      `split       train ${x.trainSize ?? "—"} / test ${x.testSize ?? "—"}`,
      `model path  ${x.modelPath ?? "—"}`,
      `started     ${x.startedAt.toISOString()}`,
      `finished    ${x.finishedAt?.toISOString() ?? "—"}`,
    ];
    if (x.notes) lines.push(`notes       ${x.notes}`);
    if (x.error) lines.push(`error       ${x.error}`);
    const metrics = Object.entries(x.metrics).filter(([, v]) => typeof v === "number");
    if (metrics.length > 0) {
      lines.push(
        "",
        table(
          ["metric", "value"],
          metrics.map(([k, v]) => [k, fmt(v as number)]),
        ),
      );
    }
    const imp = Array.isArray(x.importances)
      ? (x.importances as { feature: string; importance: number }[])
      : [];
    if (imp.length > 0) {
      lines.push(
        "",
        table(
          ["feature", "importance"],
          imp.map((i) => [i.feature, fmt(i.importance)]),
        ),
      );
    }
    io.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  }
  throw new UsageError(
    "use: trainyard runs list [options] | trainyard runs show ID (see trainyard runs --help)",
  );
}

export const runsCommand: Command = {
  name: "runs",
  summary: "list and show recorded training runs",
  help: HELP,
  run,
};
