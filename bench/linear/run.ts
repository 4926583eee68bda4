// LogisticRegression benchmark: trainyard vs scikit-learn (lbfgs) on the same deterministic
// 1,000,000 × 28 standardized binary set, same C = 1 and tol, each in its own child process,
// runs interleaved. Checks equal log loss (±1e-4), prints a Markdown table and writes
// bench/results/linear.json.
//
//   npm run bench -- linear [--rows 1000000] [--repeat 3] [--tol 1e-4]

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { childJson, median, numberArg } from "../common.js";
import { ensureLogisticData, LOGISTIC_FEATURES, LOGISTIC_ROWS } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const PYTHON = "/usr/bin/python3";

interface Measurement {
  tool: string;
  ms: number;
  logLoss: number;
  nIter: number;
  warnings: string[];
  maxRssBytes: number;
}

const child = (cmd: string, argv: readonly string[]) => childJson<Measurement>(cmd, argv);

export async function main(args: readonly string[]): Promise<void> {
  const rows = numberArg(args, "rows", LOGISTIC_ROWS);
  const repeat = numberArg(args, "repeat", 3);
  const tol = numberArg(args, "tol", 1e-4);
  const base = join(root, "bench", "data", rows === LOGISTIC_ROWS ? "logistic-1m" : `logistic-${rows}`);
  ensureLogisticData(base, rows);
  console.error(
    `${base}: ${rows} rows × ${LOGISTIC_FEATURES} standardized features, binary label; tol ${tol}`,
  );
  const argv = [base, String(rows), String(tol)];
  const tools = [
    {
      key: "trainyard",
      run: () => child(process.execPath, ["--import", "tsx", join(here, "child-trainyard.ts"), ...argv]),
    },
    {
      key: "trainyard1",
      run: () => child(process.execPath, ["--import", "tsx", join(here, "child-trainyard.ts"), ...argv, "1"]),
    },
    { key: "sklearn", run: () => child(PYTHON, [join(here, "fit_sklearn.py"), ...argv]) },
  ];
  const runs: Record<string, Measurement[]> = { trainyard: [], trainyard1: [], sklearn: [] };
  for (let r = 0; r < repeat; r++) {
    for (const t of tools) {
      const m = t.run();
      console.error(
        `  ${t.key} run ${r + 1}: ${(m.ms / 1000).toFixed(2)} s, ${m.nIter} iterations, log loss ${m.logLoss.toFixed(8)}`,
      );
      runs[t.key].push(m);
    }
  }
  const summary = Object.fromEntries(
    Object.entries(runs).map(([k, ms]) => [
      k,
      {
        tool: ms[0].tool,
        ms: median(ms.map((m) => m.ms)),
        logLoss: ms[0].logLoss,
        nIter: ms[0].nIter,
        warnings: ms[0].warnings,
        maxRssBytes: Math.max(...ms.map((m) => m.maxRssBytes)),
        runs: ms,
      },
    ]),
  );
  const ty = summary.trainyard;
  const sk = summary.sklearn;
  const lossDiff = Math.abs(ty.logLoss - sk.logLoss);
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, totalMemBytes: totalmem(), node: process.version },
    data: { rows, features: LOGISTIC_FEATURES, C: 1, tol },
    targets: {
      timeVsSklearn: ty.ms / sk.ms,
      timeMet: ty.ms <= sk.ms,
      logLossDiff: lossDiff,
      logLossMet: lossDiff <= 1e-4,
    },
    results: summary,
  };
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "linear.json"), `${JSON.stringify(result, null, 2)}\n`);
  const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    [
      `| tool | fit time (median of ${repeat}) | vs scikit-learn | iterations | training log loss | peak RSS |`,
      "|---|---|---|---|---|---|",
      ...[ty, summary.trainyard1, sk].map(
        (e) =>
          `| ${e.tool} | ${(e.ms / 1000).toFixed(2)} s | ${(e.ms / sk.ms).toFixed(2)}× | ${e.nIter} | ${e.logLoss.toFixed(8)} | ${mib(e.maxRssBytes)} |`,
      ),
    ].join("\n"),
  );
  console.log(
    `\ntargets: fit time ≤ scikit-learn: ${result.targets.timeMet} (${result.targets.timeVsSklearn.toFixed(2)}×); log loss within 1e-4: ${result.targets.logLossMet} (|Δ| = ${lossDiff.toExponential(2)})`,
  );
}
