// Metrics benchmark: trainyard vs scikit-learn 1.2.1 on the same 1,000,000-row predictions,
// each tool in its own child process. Prints a table; writes bench/results/metrics.json.
//
//   npm run bench -- metrics                 1,000,000 rows, median of 3 timed runs per metric
//   npm run bench -- metrics --rows 100000 --repeat 5

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { arg, childJson } from "../common.js";
import { ensureData } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const RESULTS = join(root, "bench", "results", "metrics.json");

type Timings = Record<string, { ms: number; cpuMs: number; value: number }>;

const child = (cmd: string, argv: readonly string[]) =>
  childJson<Timings>(cmd, argv, { env: { ...process.env, OMP_NUM_THREADS: "1" }, inheritStderr: true });

export async function main(args: readonly string[]): Promise<void> {
  const rows = Number(arg(args, "rows") ?? 1_000_000);
  const repeat = arg(args, "repeat") ?? "3";
  const prefix = join(root, "bench", "data", `metrics-${rows}`);
  mkdirSync(dirname(prefix), { recursive: true });
  ensureData(prefix, rows);
  console.error(`metrics on ${rows} rows, median of ${repeat} runs`);
  const ours = child(process.execPath, ["--import", "tsx", join(here, "child-trainyard.ts"), prefix, repeat]);
  const sk = child("/usr/bin/python3", [join(here, "child_sklearn.py"), prefix, repeat]);
  const table = Object.keys(ours).map((name) => {
    const a = ours[name];
    const b = sk[name];
    const same =
      typeof a.value === "number" && Math.abs(a.value - b.value) <= 1e-9 * Math.max(1, Math.abs(b.value));
    return {
      metric: name,
      trainyardMs: a.ms,
      sklearnMs: b.ms,
      ratio: a.ms / b.ms,
      trainyardCpuMs: a.cpuMs,
      sklearnCpuMs: b.cpuMs,
      cpuRatio: a.cpuMs / b.cpuMs,
      sameValue: same,
    };
  });
  console.log("| metric | trainyard wall (CPU) | scikit-learn wall (CPU) | ratio wall (CPU) | same value |");
  console.log("| --- | --- | --- | --- | --- |");
  const ms = (x: number) => x.toFixed(0);
  for (const r of table) {
    console.log(
      `| ${r.metric} | ${ms(r.trainyardMs)} ms (${ms(r.trainyardCpuMs)}) | ${ms(r.sklearnMs)} ms (${ms(r.sklearnCpuMs)}) | ${r.ratio.toFixed(2)}× (${r.cpuRatio.toFixed(2)}×) | ${r.sameValue ? "yes" : "NO"} |`,
    );
  }
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        rows,
        repeat: Number(repeat),
        cpus: cpus().length,
        node: process.version,
        table,
      },
      null,
      2,
    )}\n`,
  );
}
