// Model-selection benchmarks, trainyard vs scikit-learn 1.2.1, each tool in its own child process
// in the same run (run it under `flock /tmp/trainyard-bench.lock`):
//
// - cv: 5-fold cross-validation of imputer + one-hot + scaler + LogisticRegression on a
//   100,000-row mixed table, vs cross_validate(n_jobs=2). Time of the CV call only (not the read).
// - search: a 50-trial random search over gradient boosting (3-fold CV, ROC AUC, refit
//   included) on 16,000 rows × 20 features, vs RandomizedSearchCV over HistGradientBoosting
//   (n_jobs=2); best CV score compared, and the refitted model's AUC on 4,000 held-out rows.
//
//   npm run bench -- selection [--only cv|search] [--repeat 3] [--search-repeat 1] [--trials 50]
// Writes bench/results/selection.json.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { arg, childJson, median } from "../common.js";
import { ensureCvCsv, ensureSearchCsv } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const PYTHON = "/usr/bin/python3";

type Measurement = { tool: string; ms: number } & Record<string, unknown>;

const node = (script: string, ...argv: string[]): Measurement =>
  child(process.execPath, ["--import", "tsx", join(here, script), ...argv]);

interface Comparison {
  ours: Measurement[];
  peer: Measurement[];
  oursMs: number;
  peerMs: number;
  ratio: number;
}

function compare(
  repeat: number,
  ours: () => Measurement,
  peer: () => Measurement,
  label: string,
): Comparison {
  const a: Measurement[] = [];
  const b: Measurement[] = [];
  // interleaved, so that machine noise spreads over both
  for (let r = 0; r < repeat; r++) {
    for (const [list, run] of [
      [a, ours],
      [b, peer],
    ] as const) {
      const m = run();
      console.error(`  ${label} run ${r + 1}: ${m.tool}: ${(m.ms / 1000).toFixed(2)} s`);
      list.push(m);
    }
  }
  const oursMs = median(a.map((m) => m.ms));
  const peerMs = median(b.map((m) => m.ms));
  return { ours: a, peer: b, oursMs, peerMs, ratio: oursMs / peerMs };
}

const child = (cmd: string, argv: readonly string[]) => childJson<Measurement>(cmd, argv);

export async function main(args: readonly string[]): Promise<void> {
  const only = arg(args, "only");
  const repeat = Number(arg(args, "repeat") ?? 3);
  const trials = arg(args, "trials") ?? "50";
  const cvFile = join(root, "bench", "data", "cv-100k.csv");
  const searchFile = join(root, "bench", "data", "search-20k.csv");
  const resultFile = join(root, "bench", "results", "selection.json");
  // With --only, the other benchmark's last figures are kept.
  const previous =
    only !== undefined && existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, "utf8")) : {};
  const summary: Record<string, unknown> = {
    ...previous,
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, totalMemBytes: totalmem(), node: process.version },
  };
  const lines: string[] = [];
  if (only === undefined || only === "cv") {
    ensureCvCsv(cvFile);
    const c = compare(
      repeat,
      () => node("child-cv-trainyard.ts", cvFile, "2"),
      () => child(PYTHON, [join(here, "sklearn_cv.py"), cvFile, "2"]),
      "cv",
    );
    const auc = (ms: Measurement[]) => ms[0].rocAuc as number;
    summary.cv = {
      ...c,
      target: "trainyard time ≤ scikit-learn cross_validate(n_jobs=2)",
      met: c.ratio <= 1,
    };
    lines.push(
      "| 5-fold CV, pipeline, 100k rows | time (median) | mean ROC AUC | mean accuracy |",
      "|---|---|---|---|",
      `| ${c.ours[0].tool} | ${(c.oursMs / 1000).toFixed(2)} s | ${auc(c.ours).toFixed(5)} | ${(c.ours[0].accuracy as number).toFixed(5)} |`,
      `| ${c.peer[0].tool} | ${(c.peerMs / 1000).toFixed(2)} s | ${auc(c.peer).toFixed(5)} | ${(c.peer[0].accuracy as number).toFixed(5)} |`,
      `\ncv: time ratio ${c.ratio.toFixed(2)} (target ≤ 1: ${c.ratio <= 1 ? "met" : "not met"})\n`,
    );
  }
  if (only === undefined || only === "search") {
    ensureSearchCsv(searchFile);
    const searchRepeat = Number(arg(args, "search-repeat") ?? 1);
    const c = compare(
      searchRepeat,
      () => node("child-search-trainyard.ts", searchFile, trials, "2"),
      () => child(PYTHON, [join(here, "sklearn_search.py"), searchFile, trials, "2"]),
      "search",
    );
    const best = (ms: Measurement[]) => median(ms.map((m) => m.bestScore as number));
    const hold = (ms: Measurement[]) => median(ms.map((m) => m.holdoutAuc as number));
    const scoreOk = best(c.ours) >= best(c.peer) - 1e-4;
    summary.search = {
      ...c,
      trials: Number(trials),
      target: "trainyard wall time ≤ RandomizedSearchCV(n_jobs=2), best CV score equal (±1e-4) or better",
      timeMet: c.ratio <= 1,
      scoreMet: scoreOk,
    };
    lines.push(
      `| ${trials}-trial random search, 3-fold CV | wall time (median) | best CV ROC AUC | held-out ROC AUC of refit |`,
      "|---|---|---|---|",
      `| ${c.ours[0].tool} | ${(c.oursMs / 1000).toFixed(2)} s | ${best(c.ours).toFixed(5)} | ${hold(c.ours).toFixed(5)} |`,
      `| ${c.peer[0].tool} | ${(c.peerMs / 1000).toFixed(2)} s | ${best(c.peer).toFixed(5)} | ${hold(c.peer).toFixed(5)} |`,
      `\nsearch: time ratio ${c.ratio.toFixed(2)} (target ≤ 1: ${c.ratio <= 1 ? "met" : "not met"}); best score ${scoreOk ? "equal or better" : "worse"}`,
    );
  }
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(resultFile, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(lines.join("\n"));
}
