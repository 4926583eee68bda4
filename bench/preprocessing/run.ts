// Preprocessing benchmark: trainyard's defaultPreprocessor vs the same scikit-learn 1.2.1
// ColumnTransformer on identical data (8 numeric columns with 5% missing, categorical columns
// of 10, 100 and 1,000 levels with 2% missing), each tool in its own child process.
// Prints a table; writes bench/results/preprocessing.json.
//
//   npm run bench -- preprocessing                 1,000,000 rows, median of 3 runs
//   npm run bench -- preprocessing --rows 100000 --repeat 5

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { arg, childJson } from "../common.js";
import { ensureData } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const RESULTS = join(root, "bench", "results", "preprocessing.json");

interface Measurement {
  tool: string;
  fitMs: number;
  transformMs: number;
  nCols: number;
  checksum: number;
  outputBytes: number;
  maxRssBytes: number;
}

const child = (cmd: string, argv: readonly string[]) =>
  childJson<Measurement>(cmd, argv, { env: { ...process.env, OMP_NUM_THREADS: "1" }, inheritStderr: true });

export async function main(args: readonly string[]): Promise<void> {
  const rows = Number(arg(args, "rows") ?? 1_000_000);
  const repeat = arg(args, "repeat") ?? "3";
  const prefix = join(root, "bench", "data", `preprocessing-${rows}`);
  mkdirSync(dirname(prefix), { recursive: true });
  ensureData(prefix, rows);
  console.error(`preprocessing on ${rows} rows, median of ${repeat} runs`);
  const ours = child(process.execPath, ["--import", "tsx", join(here, "child-trainyard.ts"), prefix, repeat]);
  const sk = child("/usr/bin/python3", [join(here, "child_sklearn.py"), prefix, repeat]);
  const same =
    ours.nCols === sk.nCols &&
    Math.abs(ours.checksum - sk.checksum) <= 1e-6 * Math.max(1, Math.abs(sk.checksum));
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  console.log("| tool | fit | transform | fit + transform | output arrays | peak RSS |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const m of [ours, sk]) {
    console.log(
      `| ${m.tool} | ${(m.fitMs / 1000).toFixed(2)} s | ${(m.transformMs / 1000).toFixed(2)} s | ${((m.fitMs + m.transformMs) / 1000).toFixed(2)} s | ${mib(m.outputBytes)} | ${mib(m.maxRssBytes)} |`,
    );
  }
  const ratio = (ours.fitMs + ours.transformMs) / (sk.fitMs + sk.transformMs);
  console.log(
    `\nratio (fit + transform): ${ratio.toFixed(2)}×; same output (columns, sum of cells): ${same ? "yes" : "NO"}`,
  );
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ date: new Date().toISOString(), rows, repeat: Number(repeat), cpus: cpus().length, node: process.version, trainyard: ours, sklearn: sk, ratio, same }, null, 2)}\n`,
  );
}
