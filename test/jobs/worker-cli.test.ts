import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

function io(env: Record<string, string | undefined>) {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      isTTY: false,
      env,
    },
  };
}

describe("trainyard worker", () => {
  it("exits 2 with a one-line reason without Redis", async () => {
    const { out, io: cli } = io({});
    expect(await runCli(["worker"], cli)).toBe(2);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toContain("TRAINYARD_REDIS_URL");
  });

  it("refuses a bad option value naming it", async () => {
    const { out, io: cli } = io({ TRAINYARD_REDIS_URL: "redis://127.0.0.1:1" });
    expect(await runCli(["worker", "--concurrency", "0"], cli)).toBe(2);
    expect(out.stderr).toContain("--concurrency");
    expect(await runCli(["worker", "--concurrency", "two"], cli)).toBe(2);
  });

  it("prints its help", async () => {
    const { out, io: cli } = io({});
    expect(await runCli(["worker", "--help"], cli)).toBe(0);
    expect(out.stdout).toContain("--concurrency");
  });
});
