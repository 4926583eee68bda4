import { type Logger, pino } from "pino";

export type { Logger } from "pino";

/** A logger that writes nothing (the library's default: callers choose where logs go). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/** Structured JSON logs to stderr at `level` (the CLI and ModelTrainer default). */
export function stderrLogger(level = "info"): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}
