// MLP benchmark: trainyard's MLPClassifier (WebAssembly SIMD and plain TypeScript matrix
// backends) vs scikit-learn's MLPClassifier on the same 100,000 × 28 data, one hidden layer of
// 64, 20 epochs, batch 200, Adam; each run in its own child process, interleaved. Prints a
// Markdown table and writes bench/results/mlp.json.
//
//   npm run bench -- mlp [--repeat 3] [--no-typescript]
// scikit-learn runs twice per round: with its default OpenBLAS threads (2 here) and with one.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { childJson, median, numberArg } from "../common.js";
import { ensureMlpData, MLP_FEATURES, MLP_ROWS } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const PYTHON = "/usr/bin/python3";

interface Measurement {
  tool: string;
  fitMs: number;
  nIter: number;
  msPerEpoch: number;
  finalLoss: number;
  trainAccuracy: number;
  maxRssBytes: number;
  blas?: string[];
}

const child = (cmd: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env) =>
  childJson<Measurement>(cmd, argv, { env });

export async function main(args: readonly string[]): Promise<void> {
  const repeat = numberArg(args, "repeat", 3);
  const file = join(root, "bench", "data", "mlp-100k.f64");
  ensureMlpData(file);
  const config = JSON.parse(readFileSync(join(here, "config.json"), "utf8"));
  console.error(`${file}: ${MLP_ROWS} rows × ${MLP_FEATURES} features; ${JSON.stringify(config)}`);
  const ts = (backend: string) => () =>
    child(process.execPath, ["--import", "tsx", join(here, "child-trainyard.ts"), file, backend]);
  const tools: { key: string; run: () => Measurement }[] = [
    { key: "webassembly", run: ts("webassembly") },
    ...(args.includes("--no-typescript") ? [] : [{ key: "typescript", run: ts("typescript") }]),
    { key: "sklearn", run: () => child(PYTHON, [join(here, "child_sklearn.py"), file]) },
    // OpenBLAS spins its threads; on a busy machine one thread can be the faster peer, so show both.
    {
      key: "sklearn1",
      run: () =>
        child(PYTHON, [join(here, "child_sklearn.py"), file], { ...process.env, OPENBLAS_NUM_THREADS: "1" }),
    },
  ];
  const runs: Record<string, Measurement[]> = {};
  for (let r = 0; r < repeat; r++) {
    for (const t of tools) {
      const m = t.run();
      console.error(
        `  ${m.tool} run ${r + 1}: ${m.msPerEpoch.toFixed(1)} ms/epoch (${m.nIter} epochs), loss ${m.finalLoss.toFixed(4)}, accuracy ${m.trainAccuracy.toFixed(4)}`,
      );
      runs[t.key] = [...(runs[t.key] ?? []), m];
    }
  }
  const summary = Object.fromEntries(
    Object.entries(runs).map(([key, ms]) => [
      key,
      {
        tool: ms[0].tool,
        msPerEpoch: median(ms.map((m) => m.msPerEpoch)),
        fitMs: median(ms.map((m) => m.fitMs)),
        nIter: ms[0].nIter,
        finalLoss: median(ms.map((m) => m.finalLoss)),
        trainAccuracy: median(ms.map((m) => m.trainAccuracy)),
        maxRssBytes: Math.max(...ms.map((m) => m.maxRssBytes)),
        blas: ms[0].blas,
        runs: ms,
      },
    ]),
  );
  // The target compares with the faster of scikit-learn's two runs.
  const sk =
    summary.sklearn1 && summary.sklearn1.msPerEpoch < summary.sklearn.msPerEpoch
      ? summary.sklearn1
      : summary.sklearn;
  const lines = [
    `| tool | ms per epoch (median of ${repeat}) | vs faster scikit-learn | final loss | train accuracy | peak RSS |`,
    "|---|---|---|---|---|---|",
  ];
  for (const e of Object.values(summary)) {
    lines.push(
      `| ${e.tool}${e.blas ? ` (${e.blas.join("; ")})` : ""} | ${e.msPerEpoch.toFixed(1)} | ${(e.msPerEpoch / sk.msPerEpoch).toFixed(2)}× | ${e.finalLoss.toFixed(4)} | ${e.trainAccuracy.toFixed(4)} | ${(e.maxRssBytes / 2 ** 20).toFixed(0)} MiB |`,
    );
  }
  const ours = summary.webassembly;
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, totalMemBytes: totalmem(), node: process.version },
    data: {
      rows: MLP_ROWS,
      features: MLP_FEATURES,
      file: "bench/data/mlp-100k.f64 (bench/mlp/generate.ts, seed 42)",
    },
    config,
    target: {
      peer: sk.tool + (sk.blas ? ` (${sk.blas.join("; ")})` : ""),
      msPerEpochVsSklearn: ours.msPerEpoch / sk.msPerEpoch,
      met: ours.msPerEpoch <= sk.msPerEpoch,
    },
    results: summary,
  };
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "mlp.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(lines.join("\n"));
  console.log(
    `target (time per epoch ≤ scikit-learn's): ${result.target.met} (${result.target.msPerEpochVsSklearn.toFixed(2)}×)`,
  );
}
