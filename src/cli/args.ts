import { type ParseArgsConfig, parseArgs } from "node:util";
import { TrainyardError } from "../data/errors.js";

/** The command line was wrong; main prints the message and exits 1. */
export class UsageError extends TrainyardError {
  override name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * util.parseArgs in strict mode, with its errors rewritten as one short line that names
 * the offending option and the command.
 */
export function parseCommandArgs(command: string, argv: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    return { values: values as Parsed["values"], positionals };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const message = e instanceof Error ? e.message : String(e);
    // Node quotes the option as '--name', '--name <value>' or '-n, --name <value>'.
    const option = /'(?:-\w, )?(-[^' ]*)/.exec(message)?.[1];
    const help = `see trainyard ${command} --help`;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
      throw new UsageError(`unknown option ${option ?? ""} (${help})`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const what = /does not take/.test(message) ? "takes no value" : "needs a value";
      throw new UsageError(`option ${option ?? ""} ${what} (${help})`);
    }
    throw new UsageError(`${message.split("\n")[0]} (${help})`);
  }
}

/** A non-negative integer option value, or a UsageError naming the option. */
export function integerOption(name: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value).trim();
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
    throw new UsageError(`--${name} must be a whole number ≥ 0, got "${value}"`);
  }
  return Number(s);
}

/** One of `allowed`, or a UsageError listing them. */
export function choiceOption<T extends string>(
  name: string,
  value: string | boolean | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, got "${value}"`);
}
