import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliIo, runCli } from "../../src/cli/main.js";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const MAIN = join(ROOT, "src/cli/main.ts");
const IRIS = join(ROOT, "examples/reference/iris.csv");
const ESC = String.fromCharCode(27);

/** The real `trainyard` process (through tsx), with its exit code and both streams. */
async function trainyard(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, NO_COLOR: "1", TRAINYARD_DEBUG: "" };
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [MAIN, ...args], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout: string; stderr: string };
    return { code: typeof err.code === "number" ? err.code : -1, stdout: err.stdout, stderr: err.stderr };
  }
}

/** runCli in this process, capturing what it writes. */
async function run(args: string[], opts: Partial<CliIo> = {}) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    isTTY: false,
    env: {},
    ...opts,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** A one-line `trainyard: …` message and no stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp) {
  const lines = stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^trainyard: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
}

let dir = "";
let small = "";
let rareClass = "";
let fit = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "trainyard-inspect-"));
  const csv = (rows: string[]) => `x,z,y\n${rows.join("\n")}\n`;
  small = join(dir, "small.csv");
  writeFileSync(small, csv(Array.from({ length: 20 }, (_, i) => `${i * 1.5},${i % 4},${i % 2 ? "a" : "b"}`)));
  rareClass = join(dir, "rare.csv");
  writeFileSync(
    rareClass,
    csv(
      Array.from(
        { length: 100 },
        (_, i) => `${(i * 37) % 101},${i % 6},${i < 3 ? "rare" : i % 2 ? "a" : "b"}`,
      ),
    ),
  );
  fit = join(dir, "fit.csv");
  writeFileSync(
    fit,
    csv(Array.from({ length: 100 }, (_, i) => `${(i * 37) % 101},${i % 6},${i % 2 ? "a" : "b"}`)),
  );
});

describe("trainyard inspect (real processes)", () => {
  it("exits 0 on a dataset fit for training and prints the report", async () => {
    const r = await trainyard("inspect", IRIS, "--target", "target");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/150 rows × 5 columns · target "target" · multiclass/);
    expect(r.stdout).toMatch(/petal width \(cm\)/);
    expect(r.stdout).toMatch(/Verdict: FIT/);
    expect(r.stdout).not.toContain(ESC);
  });

  it("exits 2 when findings block training (20 rows; a class of 3 rows)", async () => {
    const [few, rare] = await Promise.all([
      trainyard("inspect", small, "--target", "y"),
      trainyard("inspect", rareClass, "--target", "y"),
    ]);
    expect(few.code).toBe(2);
    expect(few.stdout).toMatch(/too_few_rows/);
    expect(few.stdout).toMatch(/Verdict: UNFIT/);
    expect(rare.code).toBe(2);
    expect(rare.stdout).toMatch(/class "rare" has 3 rows/);
  });

  it("exits 1 for a missing file or target and 2 for bad usage, with one line on stderr", async () => {
    const [missing, target, option, task] = await Promise.all([
      trainyard("inspect", join(dir, "nope.csv")),
      trainyard("inspect", IRIS, "--target", "species"),
      trainyard("inspect", IRIS, "--colour"),
      trainyard("inspect", IRIS, "--target", "target", "--task", "clustering"),
    ]);
    for (const r of [missing, target, option, task]) expect(r.stdout).toBe("");
    expect([missing.code, target.code, option.code, task.code]).toEqual([1, 1, 2, 2]);
    expectOneLineError(missing.stderr, /nope\.csv/);
    expectOneLineError(target.stderr, /"species".*columns: .*target/);
    expectOneLineError(option.stderr, /unknown option --colour/);
    expectOneLineError(task.stderr, /--task must be one of auto, binary, multiclass, regression/);
  });

  it("--json prints a report that parses, with its verdict", async () => {
    const r = await trainyard("inspect", small, "--target", "y", "--json");
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe("unfit");
    expect(report.rows).toBe(20);
    expect(report.target.task.task).toBe("binary");
  });
});

describe("runCli", () => {
  it("prints help and the version", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: trainyard <command>/);
    expect(help.stdout).toMatch(/inspect\s+schema and data-quality report/);
    const inspectHelp = await run(["inspect", "--help"]);
    expect(inspectHelp.code).toBe(0);
    expect(inspectHelp.stdout).toMatch(/--min-per-class N/);
    expect((await run(["help", "inspect"])).stdout).toBe(inspectHelp.stdout);
    const v = await run(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("refuses no command and an unknown command", async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage/);
    const unknown = await run(["trian"]);
    expect(unknown.code).toBe(2);
    expectOneLineError(unknown.stderr, /unknown command "trian"/);
  });

  it.each([
    [["inspect"], /needs a FILE/, 2],
    [["inspect", "a.csv", "b.csv"], /one FILE, got 2/, 2],
    [["inspect", IRIS, "--task", "binary"], /--task needs --target/, 2],
    [["inspect", IRIS, "--target"], /option --target needs a value/, 2],
    [["inspect", IRIS, "--json=yes"], /option --json takes no value/, 2],
    [["inspect", IRIS, "--min-rows", "ten"], /--min-rows must be a whole number/, 2],
    [["inspect", IRIS, "--target", "target", "--task", "binary"], /binary classification needs 2 classes/, 1],
    [["inspect", IRIS, "--target", "target", "--task", "regression"], /regression needs a numeric target/, 1],
  ])("usage errors exit 2, data errors 1: %j", async (args, message, code) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(code);
    expectOneLineError(r.stderr, message as RegExp);
  });

  it("exits 1 for a directory", async () => {
    const r = await run(["inspect", dir]);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, /./);
  });

  it("the thresholds are options: lowering them turns unfit into fit", async () => {
    expect((await run(["inspect", small, "--target", "y"])).code).toBe(2);
    expect((await run(["inspect", small, "--target", "y", "--min-rows", "20"])).code).toBe(0);
    expect((await run(["inspect", rareClass, "--target", "y", "--min-per-class", "3"])).code).toBe(0);
    expect((await run(["inspect", fit, "--target", "y"])).code).toBe(0);
  });

  it("reads other formats through readTable (JSON Lines)", async () => {
    const file = join(dir, "rows.jsonl");
    const rows = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({ x: i * 0.5, y: i % 3 === 0 ? "a" : "b" }),
    );
    writeFileSync(file, `${rows.join("\n")}\n`);
    const r = await run(["inspect", file, "--target", "y", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).target.classes.map((c: { count: number }) => c.count)).toEqual([20, 40]);
  });

  it("works without a target", async () => {
    const r = await run(["inspect", IRIS, "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.target).toBeUndefined();
    expect(report.schema.map((c: { type: string }) => c.type)).toEqual([
      "numeric",
      "numeric",
      "numeric",
      "numeric",
      "categorical",
    ]);
  });

  it("colours only a terminal without NO_COLOR", async () => {
    const args = ["inspect", IRIS, "--target", "target"];
    expect((await run(args, { isTTY: true })).stdout).toContain(ESC);
    expect((await run(args, { isTTY: true, env: { NO_COLOR: "1" } })).stdout).not.toContain(ESC);
    expect((await run(args, { isTTY: false })).stdout).not.toContain(ESC);
  });
});
