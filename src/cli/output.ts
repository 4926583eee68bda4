/** Where a command writes; the real process streams, or strings in tests. */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Whether stdout is a terminal (colours and widths follow it). */
  isTTY: boolean;
  /** Terminal width, when known. */
  columns?: number;
  /** Environment (NO_COLOR, TRAINYARD_DEBUG); process.env by default. */
  env?: Record<string, string | undefined>;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIo): boolean {
  const env = io.env ?? process.env;
  return io.isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}
