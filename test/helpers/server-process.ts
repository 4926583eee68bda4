import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
const MAIN = join(ROOT, "src/cli/main.ts");

/** A real `trainyard` process (node with tsx's loader, so its pid is the process itself). */
export interface TrainyardProcess {
  proc: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Resolves once a printed line matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function startTrainyard(
  args: string[],
  env: Record<string, string | undefined> = {},
): TrainyardProcess {
  const proc = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", TRAINYARD_DEBUG: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of [...waiters]) {
      const m = text.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  proc.stdout?.on("data", onData);
  proc.stderr?.on("data", onData);
  const exited = new Promise<number | string>((res) =>
    proc.on("exit", (code, signal) => res(code ?? signal ?? -1)),
  );
  return {
    proc,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      const m = text.match(pattern);
      if (m) return Promise.resolve(m);
      return new Promise((res, rej) => {
        const timer = setTimeout(
          () => rej(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${text}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (m) => {
            clearTimeout(timer);
            res(m);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          rej(new Error(`trainyard exited (${code}) before printing ${pattern}; output:\n${text}`));
        });
      });
    },
  };
}

/** `trainyard serve` on a free port; resolves once it listens, with its base URL. */
export async function startServer(
  args: string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<TrainyardProcess & { url: string }> {
  const p = startTrainyard(["serve", "--port", "0", "--host", "127.0.0.1", ...args], env);
  const m = await p.waitFor(/listening on (http:\/\/[\d.]+:\d+)/, 120_000);
  return { ...p, url: m[1] };
}

/** JSON over real HTTP: status and parsed body. */
export async function http(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Polls `f` until it returns a value that is not undefined. */
export async function eventually<T>(
  f: () => Promise<T | undefined>,
  timeoutMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
}
