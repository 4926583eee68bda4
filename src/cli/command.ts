import type { CliIo } from "./output.js";

/** One `trainyard <name>` subcommand; main dispatches on `name`. */
export interface Command {
  name: string;
  /** One line for the overall help. */
  summary: string;
  /** Full help text (`trainyard <name> --help`). */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}
