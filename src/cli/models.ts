import { integerOption, parseCommandArgs, UsageError } from "./args.js";
import type { Command } from "./command.js";
import { withRegistry } from "./context.js";
import { fmt, table } from "./format.js";
import type { CliIo } from "./output.js";

const HELP = `Usage: trainyard models list [--active] [--json]
       trainyard models show NAME [--json]
       trainyard models activate NAME VERSION
       trainyard models compare NAME VERSION VERSION [VERSION…] [--json]
       trainyard models delete NAME VERSION

Models in the registry, their versions, and which version is active (serves predictions).
The active version cannot be deleted: activate another first.

Options:
      --active       only models with an active version
      --limit N      at most N rows (default 100)
      --json         print JSON
  -h, --help         show this help
`;

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("models", argv, {
    active: { type: "boolean" },
    limit: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const json = (v: unknown) => io.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
  const limit = integerOption("limit", values.limit);
  const [action, ...args] = positionals;
  return withRegistry(io.env, async (r) => {
    if (action === "list" && args.length === 0) {
      const models = await r.models.list({ activeOnly: values.active === true, limit });
      if (values.json) json(models);
      else if (models.length === 0) io.stdout.write("no models\n");
      else {
        io.stdout.write(
          `${table(
            ["model", "task", "active version", "versions"],
            models.map((m) => [m.name, m.task, m.activeVersion ?? "—", String(m.versionCount)]),
          )}\n`,
        );
      }
      return 0;
    }
    if (action === "show" && args.length === 1) {
      const model = await r.models.get(args[0]);
      const versions = await r.models.versions(args[0], { limit });
      if (values.json) json({ ...model, versions });
      else {
        io.stdout.write(`${model.name} (${model.task}), active: ${model.activeVersion ?? "none"}\n\n`);
        io.stdout.write(
          `${table(
            ["version", "active", "aliases", "run", "metrics", "size", "created"],
            versions.map((v) => [
              v.version,
              v.active ? "yes" : "",
              v.aliases.join(",") || "—",
              v.runId === null ? "—" : String(v.runId),
              Object.entries(v.metrics)
                .filter(([k, x]) => typeof x === "number" && ["accuracy", "f1", "r2", "rmse"].includes(k))
                .map(([k, x]) => `${k} ${fmt(x as number)}`)
                .join(", ") || "—",
              `${Math.ceil(v.sizeBytes / 1024)} KiB`,
              v.createdAt.toISOString().slice(0, 19).replace("T", " "),
            ]),
          )}\n`,
        );
      }
      return 0;
    }
    if (action === "activate" && args.length === 2) {
      const v = await r.models.activate(args[0], args[1]);
      await r.audit.record({
        actor: "cli",
        action: "activate",
        targetType: "model_version",
        targetId: `${v.modelName}@${v.version}`,
      });
      io.stdout.write(`${v.modelName}@${v.version} is now the active version\n`);
      return 0;
    }
    if (action === "compare" && args.length >= 3) {
      const cmp = await r.models.compare(args[0], args.slice(1));
      if (values.json) json(cmp);
      else {
        const header = ["metric", ...cmp.versions.map((v) => `${v.version}${v.active ? "*" : ""}`)];
        const rows = cmp.metrics.map((m) => [
          m.name,
          ...m.values.map((x, j) =>
            j === 0 || m.deltas[j] === null
              ? fmt(x)
              : `${fmt(x)} (${(m.deltas[j] as number) >= 0 ? "+" : ""}${fmt(m.deltas[j])})`,
          ),
        ]);
        io.stdout.write(`${table(header, rows)}\n(* active; deltas against ${cmp.versions[0].version})\n`);
      }
      return 0;
    }
    if (action === "delete" && args.length === 2) {
      const v = await r.models.deleteVersion(args[0], args[1]);
      await r.artifacts.delete(v.artifactUri).catch(() => undefined);
      await r.audit.record({
        actor: "cli",
        action: "delete",
        targetType: "model_version",
        targetId: `${v.modelName}@${v.version}`,
      });
      io.stdout.write(`deleted ${v.modelName}@${v.version}\n`);
      return 0;
    }
    throw new UsageError(
      `unknown or incomplete models command "${positionals.join(" ")}" (see trainyard models --help)`,
    );
  });
}

export const modelsCommand: Command = {
  name: "models",
  summary: "list, show, activate, compare and delete model versions",
  help: HELP,
  run,
};
