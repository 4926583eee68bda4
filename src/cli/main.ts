#!/usr/bin/env node
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { TrainyardError } from "../data/errors.js";
import { ConfigError } from "../training/errors.js";
import { UsageError } from "./args.js";
import type { Command } from "./command.js";
import { inspectCommand } from "./inspect.js";
import { modelsCommand } from "./models.js";
import type { CliIo } from "./output.js";
import { predictCommand } from "./predict.js";
import { runsCommand } from "./runs.js";
import { serveCommand } from "./serve.js";
import { trainCommand } from "./train.js";
import { workerCommand } from "./worker.js";

export type { CliIo } from "./output.js";

/** The subcommands. */
const COMMANDS: readonly Command[] = [
  inspectCommand,
  trainCommand,
  runsCommand,
  modelsCommand,
  predictCommand,
  serveCommand,
  workerCommand,
];

/** The package version, read from package.json (two levels up from src/cli and dist/cli). */
export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

function overallHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `Usage: trainyard <command> [options]

Commands:
${list}

Options:
  -h, --help     show help (trainyard <command> --help for a command)
  -v, --version  show the version
`;
}

/** One line for stderr: no stack, no newlines, no doubled "trainyard:" prefix. */
function oneLine(message: string): string {
  return message.replace(/^trainyard:\s*/, "").replace(/\s*\n\s*/g, " ");
}

/** Exit code for a wrong command line or configuration (as for data unfit for training). */
export const EXIT_USAGE = 2;

/**
 * Runs `trainyard` with `argv` (the arguments after the program name) and resolves to the
 * exit code: 0 success, 1 error (unreadable input, a failure), 2 bad usage or data unfit for training.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(overallHelp());
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(topic ? topic.help : overallHelp());
    return 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const known = COMMANDS.map((c) => c.name).join(", ");
    io.stderr.write(`trainyard: unknown command "${name}" (commands: ${known}; see trainyard --help)\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    const env = io.env ?? process.env;
    if (e instanceof TrainyardError) {
      io.stderr.write(`trainyard: ${oneLine(e.message)}\n`);
      if (e instanceof UsageError || e instanceof ConfigError) return EXIT_USAGE;
    } else {
      // An unexpected error is a bug: still one line, the stack only when asked for.
      const message = e instanceof Error ? e.message : String(e);
      io.stderr.write(`trainyard: ${oneLine(message)}\n`);
      if (env.TRAINYARD_DEBUG === "1" && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    }
    return 1;
  }
}

/** True when this module is the program being run (the bin, `node dist/cli/main.js`, `tsx`). */
function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  // `trainyard inspect … | head` closes the pipe early; that is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`trainyard: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
