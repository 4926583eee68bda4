// What every benchmark runner shares: its arguments, running a tool in a child process, medians.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");

/** The value after `--name` in a benchmark's arguments. */
export function arg(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The number after `--name`, or `fallback` when the flag is absent. */
export function numberArg(args: readonly string[], name: string, fallback: number): number {
  const v = arg(args, name);
  return v === undefined ? fallback : Number(v);
}

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  /** Show the child's stderr (progress) instead of capturing it. */
  inheritStderr?: boolean;
}

/** Runs one tool in its own process (so its peak RSS is its own) and parses its last stdout line as JSON. */
export function childJson<T>(cmd: string, argv: readonly string[], options: ChildOptions = {}): T {
  const out = execFileSync(cmd, argv, {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 22,
    env: options.env ?? process.env,
    ...(options.inheritStderr ? { stdio: ["ignore", "pipe", "inherit"] as const } : {}),
  });
  return JSON.parse(out.trim().split("\n").pop() ?? "") as T;
}

export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}
