// `npm run bench -- train-cli`: end-to-end wall time of `trainyard train` on
// examples/future_skills.csv with 50 trees (process start to exit, database open included),
// split by stage. Issue 6's target: well under 2 s on this machine.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { median, numberArg } from "../common.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/cli/main.js");
const HOME = join(ROOT, "bench/data/train-cli-home");
const ARGS = [
  "train",
  "--dataset",
  "examples/future_skills.csv",
  "--target",
  "future_skill_priority",
  "--n-estimators",
  "50",
];

function timed(args: string[]): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, TRAINYARD_HOME: HOME, DATABASE_URL: "" },
    encoding: "utf8",
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`trainyard ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

export async function main(args: readonly string[]): Promise<void> {
  const repeat = numberArg(args, "repeat", 7);
  if (!existsSync(CLI)) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  rmSync(HOME, { recursive: true, force: true });
  mkdirSync(HOME, { recursive: true });
  const startup = median(Array.from({ length: 5 }, () => timed(["--version"]).ms));
  // The first train creates the embedded database (initdb): a one-time cost, reported apart.
  const cold = timed([...ARGS, "--model-version", "cold", "--json"]).ms;
  const runs: { wallMs: number; stages: Record<string, number> }[] = [];
  for (let i = 0; i < repeat; i++) {
    const { ms, stdout } = timed([...ARGS, "--model-version", `warm-${i}`, "--json"]);
    runs.push({ wallMs: ms, stages: JSON.parse(stdout).durationsMs });
  }
  const wall = median(runs.map((r) => r.wallMs));
  const stageNames = Object.keys(runs[0].stages).filter((k) => k !== "totalMs");
  const stages = Object.fromEntries(stageNames.map((k) => [k, median(runs.map((r) => r.stages[k]))]));
  const trainer = median(runs.map((r) => r.stages.totalMs));
  const rows = [
    ["process start + imports (--version)", startup],
    ...stageNames.map((k) => [`trainer: ${k.replace(/Ms$/, "")}`, stages[k]] as [string, number]),
    ["trainer total", trainer],
    ["database open/close, output, exit (rest)", wall - trainer - startup],
    ["end to end (median)", wall],
    ["first run ever (creates the database)", cold],
  ] as [string, number][];
  for (const [name, ms] of rows) console.log(`${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms`);
  console.log(
    `target: end to end well under 2 s — ${wall < 2000 ? "met" : "NOT met"} (${(wall / 1000).toFixed(2)} s)`,
  );
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(
    join(ROOT, "bench/results/train-cli.json"),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: {
          cpus: cpus().length,
          cpu: cpus()[0]?.model,
          totalMemBytes: totalmem(),
          node: process.version,
        },
        repeat,
        startupMs: startup,
        stagesMs: stages,
        trainerMs: trainer,
        wallMs: wall,
        coldMs: cold,
        runs,
      },
      null,
      2,
    )}\n`,
  );
}
