// k-means benchmark: trainyard KMeans vs scikit-learn KMeans (k = 8, nInit = 1) on a deterministic
// 200,000 × 16 data set, each fit in its own child process, interleaved. Two comparisons:
//   - equal start: both from the same 8 initial rows, so both reach the same inertia — time at
//     equal inertia, Lloyd and Elkan each;
//   - own start: each library's own k-means++ (default algorithm), time and inertia.
// Prints a Markdown table and writes bench/results/kmeans.json.
//
//   npm run bench -- kmeans [--rows 200000] [--repeat 3]

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_COLS, BENCH_K, BENCH_ROWS, ensureBenchData, initRows } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const PYTHON = "/usr/bin/python3";

interface Measurement {
  tool: string;
  ms: number;
  inertia: number;
  nIter: number;
  threads: number;
  maxRssBytes: number;
}

function arg(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

function child(cmd: string, argv: readonly string[]): Measurement {
  const out = execFileSync(cmd, argv, { cwd: root, encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop() ?? "") as Measurement;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function main(args: readonly string[]): Promise<void> {
  const rows = arg(args, "rows", BENCH_ROWS);
  const repeat = arg(args, "repeat", 3);
  const cols = BENCH_COLS;
  const k = BENCH_K;
  const file = ensureBenchData(join(root, "bench", "data", `kmeans-${rows}x${cols}.f64`), rows, cols);
  const start = initRows(rows, k).join(",");
  const common = [file, String(rows), String(cols), String(k)];
  const ours = (algorithm: string, init: string) => () =>
    child(process.execPath, [
      "--import",
      "tsx",
      join(here, "child-trainyard.ts"),
      ...common,
      algorithm,
      init,
    ]);
  const sklearn = (algorithm: string, init: string) => () =>
    child(PYTHON, [join(here, "child-sklearn.py"), ...common, algorithm, init]);
  const cases: { key: string; start: "equal" | "own"; run: () => Measurement }[] = [
    { key: "trainyard lloyd, equal start", start: "equal", run: ours("lloyd", start) },
    { key: "scikit-learn lloyd, equal start", start: "equal", run: sklearn("lloyd", start) },
    { key: "trainyard elkan, equal start", start: "equal", run: ours("elkan", start) },
    { key: "scikit-learn elkan, equal start", start: "equal", run: sklearn("elkan", start) },
    { key: "trainyard k-means++ (default: elkan)", start: "own", run: ours("elkan", "k-means++") },
    { key: "scikit-learn k-means++ (default: lloyd)", start: "own", run: sklearn("lloyd", "k-means++") },
  ];
  console.error(`${file}: ${rows} rows × ${cols} features, k = ${k}, ${repeat} interleaved runs per case`);
  const results: Record<string, { start: string; runs: Measurement[]; ms: number }> = {};
  for (let r = 0; r < repeat; r++) {
    for (const c of cases) {
      const m = c.run();
      console.error(
        `  ${c.key} run ${r + 1}: ${m.ms.toFixed(0)} ms, inertia ${m.inertia.toFixed(1)}, ${m.nIter} iterations`,
      );
      const e = results[c.key] ?? { start: c.start, runs: [], ms: 0 };
      e.runs.push(m);
      results[c.key] = e;
    }
  }
  for (const e of Object.values(results)) e.ms = median(e.runs.map((m) => m.ms));
  const get = (key: string) => results[key];
  const ratio = (a: string, b: string) => get(a).ms / get(b).ms;
  const best = (prefix: string, start: string) =>
    Object.entries(results)
      .filter(([key, e]) => key.startsWith(prefix) && e.start === start)
      .sort((a, b) => a[1].ms - b[1].ms)[0];
  const oursBest = best("trainyard", "equal");
  const peerBest = best("scikit-learn", "equal");
  const sameInertia =
    Math.abs(oursBest[1].runs[0].inertia - peerBest[1].runs[0].inertia) / peerBest[1].runs[0].inertia;
  const lines = [
    `| case | time (median of ${repeat}) | inertia | iterations | threads |`,
    "|---|---|---|---|---|",
    ...Object.entries(results).map(
      ([key, e]) =>
        `| ${key} | ${e.ms.toFixed(0)} ms | ${e.runs[0].inertia.toFixed(1)} | ${e.runs[0].nIter} | ${e.runs[0].threads} |`,
    ),
  ];
  const summary = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, totalMemBytes: totalmem(), node: process.version },
    data: { rows, cols, k, generator: "bench/kmeans/generate.ts", initRows: start },
    targets: {
      // Issue 5: our time ≤ scikit-learn's at equal inertia (same start, best algorithm of each).
      equalStart: {
        ours: oursBest[0],
        peer: peerBest[0],
        ratio: oursBest[1].ms / peerBest[1].ms,
        relativeInertiaGap: sameInertia,
        met: oursBest[1].ms <= peerBest[1].ms && sameInertia < 1e-6,
      },
      lloydVsLloyd: ratio("trainyard lloyd, equal start", "scikit-learn lloyd, equal start"),
      elkanVsElkan: ratio("trainyard elkan, equal start", "scikit-learn elkan, equal start"),
      ownInitRatio: ratio("trainyard k-means++ (default: elkan)", "scikit-learn k-means++ (default: lloyd)"),
    },
    results,
  };
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "kmeans.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(lines.join("\n"));
  console.log(
    `\nequal start, best of each: ${oursBest[0]} ${oursBest[1].ms.toFixed(0)} ms vs ${peerBest[0]} ${peerBest[1].ms.toFixed(0)} ms (${summary.targets.equalStart.ratio.toFixed(2)}×), inertia gap ${sameInertia.toExponential(1)}; target met: ${summary.targets.equalStart.met}`,
  );
}
