import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliIo, runCli } from "../../src/cli/main.js";
import { readCsv } from "../../src/data/csv/read.js";
import { freshHome } from "../helpers/home.js";

// Scenario S2 of SCENARIOS.md: the S1 model from the command line, with runs and models admin.
const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const MAIN = join(ROOT, "src/cli/main.ts");
const DATASET = "examples/future_skills.csv";
const TARGET = "future_skill_priority";
let home: string;

beforeAll(() => {
  home = freshHome("trainyard-s2-");
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    isTTY: false,
    env: { TRAINYARD_HOME: home },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** One error line, last on stderr (plain progress lines may come before it when not on a terminal). */
function oneLine(stderr: string, re: RegExp) {
  const lines = stderr.trim().split("\n");
  const errors = lines.filter((l) => l.startsWith("trainyard: "));
  expect(errors).toHaveLength(1);
  expect(lines.at(-1)).toBe(errors[0]);
  expect(errors[0]).toMatch(re);
  for (const l of lines.slice(0, -1)) expect(l).toMatch(/^\[\s*\d+%\] /);
}

describe("S2: trainyard train / runs / models / predict", () => {
  let runId: number;

  it("trains from the real command, printing the summary, and records the run", async () => {
    const args = [
      MAIN,
      "train",
      "--dataset",
      DATASET,
      "--target",
      TARGET,
      "--model-version",
      "test_v1",
      "--n-estimators",
      "50",
      "--test-split",
      "0.25",
      "--random-state",
      "42",
      "--notes",
      "first CLI model",
    ];
    const env = { ...process.env, TRAINYARD_HOME: home, NO_COLOR: "1" };
    const { stdout, stderr } = await promisify(execFile)(TSX, args, { cwd: ROOT, env });
    for (const word of [
      "accuracy",
      "precision",
      "recall",
      "f1",
      "duration",
      "saved to",
      "metadata",
      "run id",
      "Per class",
    ]) {
      expect(stdout).toContain(word);
    }
    expect(stdout).toMatch(/n_?[Ee]stimators"?:50/);
    expect(stdout).toMatch(/train 375 \/ test 125/);
    expect(stderr).toMatch(/\[\s*\d+%\] /); // progress as plain lines when not a terminal
    const saved = /saved to\s+(\S+)/.exec(stdout)?.[1] as string;
    const meta = /metadata\s+(\S+)/.exec(stdout)?.[1] as string;
    expect(existsSync(saved)).toBe(true);
    expect(JSON.parse(readFileSync(meta, "utf8"))).toMatchObject({ version: "test_v1", target: TARGET });
    runId = Number(/run id\s+(\d+)/.exec(stdout)?.[1]);
    expect(runId).toBeGreaterThan(0);
    for (const cls of ["HIGH", "LOW", "MEDIUM"]) expect(stdout).toMatch(new RegExp(`^${cls}\\s+\\d`, "m"));
  }, 120_000);

  it("runs list / show give the admin view", async () => {
    const list = await run(["runs", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`^\\s*${runId}\\s+COMPLETED\\s+future_skills\\s+test_v1\\s+random_forest`, "m"),
    );
    const show = await run(["runs", "show", String(runId)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("first CLI model");
    expect(show.stdout).toMatch(/train 375 \/ test 125/);
    const json = JSON.parse((await run(["runs", "show", String(runId), "--json"])).stdout);
    expect(json).toMatchObject({
      id: runId,
      status: "COMPLETED",
      modelVersion: "test_v1",
      params: { nEstimators: 50 },
    });
    const missing = await run(["runs", "show", "99999"]);
    expect(missing.code).toBe(1);
    oneLine(missing.stderr, /no run "99999"/);
  });

  it("a second version; models list, show, compare, activate; the active version cannot be deleted", async () => {
    const t = await run([
      "train",
      "-d",
      DATASET,
      "-t",
      TARGET,
      "--model-version",
      "v2",
      "--n-estimators",
      "30",
      "--json",
    ]);
    expect(t.code).toBe(0);
    const result = JSON.parse(t.stdout);
    expect(result.model).toMatchObject({ name: "future_skills", version: "v2", active: false });
    const list = await run(["models", "list"]);
    expect(list.stdout).toMatch(/future_skills\s+multiclass\s+test_v1\s+2/);
    const cmp = await run(["models", "compare", "future_skills", "test_v1", "v2"]);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/^accuracy\s+[\d.]+\s+[\d.]+ \([+-]/m);
    const del = await run(["models", "delete", "future_skills", "test_v1"]);
    expect(del.code).toBe(1);
    oneLine(del.stderr, /active version/);
    expect((await run(["models", "activate", "future_skills", "v2"])).stdout).toMatch(/v2 is now the active/);
    expect((await run(["models", "show", "future_skills"])).stdout).toMatch(/^v2\s+yes/m);
    expect((await run(["models", "delete", "future_skills", "test_v1"])).code).toBe(0);
  }, 120_000);

  it("predicts a file with the active model; a tampered model file is refused", async () => {
    const out = join(home, "predictions.csv");
    const p = await run(["predict", "--model", "future_skills", "--input", DATASET, "--output", out]);
    expect(p.code).toBe(0);
    const t = await readCsv(out);
    expect(t.nRows).toBe(500);
    expect(t.names.slice(-4)).toEqual(["prediction", "proba_HIGH", "proba_LOW", "proba_MEDIUM"]);
    const missingColumn = join(home, "missing.csv");
    writeFileSync(missingColumn, "job_role_name,skill_name\nSoftware Engineer,Python\n");
    const bad = await run(["predict", "-m", "future_skills", "-i", missingColumn, "-o", out]);
    expect(bad.code).toBe(1);
    oneLine(bad.stderr, /skill_category|trend_score/);
    const model = join(home, "artifacts/models/future_skills/v2.model");
    const bytes = readFileSync(model);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(model, bytes);
    const refused = await run(["predict", "-m", "future_skills@v2", "-i", DATASET, "-o", out]);
    expect(refused.code).toBe(1);
    oneLine(refused.stderr, /checksum mismatch/);
  }, 120_000);

  it("bad arguments exit 2 and a bad dataset 1 or 2, each with a one-line reason", async () => {
    const cases: [string[], number, RegExp][] = [
      [["train", "--target", TARGET], 2, /needs --dataset/],
      [["train", "-d", DATASET], 2, /needs --target/],
      [
        ["train", "-d", DATASET, "-t", TARGET, "--test-split", "2"],
        2,
        /--test-split must be a number in \(0, 1\)/,
      ],
      [["train", "-d", DATASET, "-t", TARGET, "--algorithm", "svm"], 2, /unknown algorithm "svm"/],
      [["train", "-d", DATASET, "-t", TARGET, "--colour"], 2, /unknown option --colour/],
      [["train", "-d", "nope.csv", "-t", TARGET], 1, /nope\.csv/],
      [["train", "-d", DATASET, "-t", "priority"], 1, /"priority"/],
      [["train", "-d", DATASET, "-t", TARGET, "--model-version", "bad version"], 2, /\/model\/version/],
    ];
    for (const [args, code, re] of cases) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(code);
      oneLine(r.stderr, re);
    }
    const tiny = join(home, "tiny.csv");
    writeFileSync(
      tiny,
      `x,y\n${Array.from({ length: 12 }, (_, i) => `${i},${i % 2 ? "a" : "b"}`).join("\n")}\n`,
    );
    const unfit = await run(["train", "-d", tiny, "-t", "y"]);
    expect(unfit.code).toBe(2);
    oneLine(unfit.stderr, /unfit for training/);
  }, 120_000);
});
