// k-means benchmark: trainyard KMeans vs scikit-learn KMeans (k = 8, nInit = 1) on a deterministic
// 200,000 × 16 data set, each fit in its own child process, interleaved. Two comparisons:
//   - equal start: both from the same 8 initial rows, so both reach the same inertia — time at
//     equal inertia, Lloyd and Elkan each;
//   - own start: each library's own k-means++ (default algorithm), time and inertia.
// Prints a Markdown table and writes bench/results/kmeans.json.
//
//   npm run bench -- kmeans [--rows 200000] [--repeat 3]

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { childJson, median, numberArg } from "../common.js";
import { BENCH_COLS, BENCH_K, BENCH_ROWS, ensureBenchData, initRows } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const PYTHON = "/usr/bin/python3";

interface Measurement {
  tool: string;
  /** The first fit in a fresh process. */
  ms: number;
  /** A second fit in the same process. */
  warmMs: number;
  inertia: number;
  nIter: number;
  threads: number;
  maxRssBytes: number;
}

const child = (cmd: string, argv: readonly string[]) => childJson<Measurement>(cmd, argv);

export async function main(args: readonly string[]): Promise<void> {
  const rows = numberArg(args, "rows", BENCH_ROWS);
  const repeat = numberArg(args, "repeat", 3);
  const cols = BENCH_COLS;
  const k = BENCH_K;
  const file = ensureBenchData(join(root, "bench", "data", `kmeans-${rows}x${cols}.f64`), rows, cols);
  const start = initRows(rows, k).join(",");
  const common = [file, String(rows), String(cols), String(k)];
  const ours = (algorithm: string, init: string, threads?: number) => () =>
    child(process.execPath, [
      "--import",
      "tsx",
      join(here, "child-trainyard.ts"),
      ...common,
      algorithm,
      init,
      ...(threads === undefined ? [] : [String(threads)]),
    ]);
  const sklearn = (algorithm: string, init: string) => () =>
    child(PYTHON, [join(here, "child-sklearn.py"), ...common, algorithm, init]);
  const cases: { key: string; start: "equal" | "own"; run: () => Measurement }[] = [
    { key: "trainyard lloyd, equal start", start: "equal", run: ours("lloyd", start) },
    { key: "scikit-learn lloyd, equal start", start: "equal", run: sklearn("lloyd", start) },
    { key: "trainyard elkan, equal start", start: "equal", run: ours("elkan", start) },
    { key: "trainyard lloyd, 2 threads, equal start", start: "equal", run: ours("lloyd", start, 2) },
    { key: "scikit-learn elkan, equal start", start: "equal", run: sklearn("elkan", start) },
    { key: "trainyard k-means++ (default: lloyd)", start: "own", run: ours("lloyd", "k-means++") },
    { key: "scikit-learn k-means++ (default: lloyd)", start: "own", run: sklearn("lloyd", "k-means++") },
  ];
  console.error(`${file}: ${rows} rows × ${cols} features, k = ${k}, ${repeat} interleaved runs per case`);
  const results: Record<string, { start: string; runs: Measurement[]; ms: number; warmMs: number }> = {};
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
  for (const e of Object.values(results)) {
    e.ms = median(e.runs.map((m) => m.ms));
    e.warmMs = median(e.runs.map((m) => m.warmMs));
  }
  const get = (key: string) => results[key];
  const ratios = (a: string, b: string) => ({
    cold: get(a).ms / get(b).ms,
    warm: get(a).warmMs / get(b).warmMs,
  });
  const best = (prefix: string, start: string, by: "ms" | "warmMs") =>
    Object.entries(results)
      .filter(([key, e]) => key.startsWith(prefix) && e.start === start)
      .sort((a, b) => a[1][by] - b[1][by])[0];
  const target = (by: "ms" | "warmMs") => {
    const ours = best("trainyard", "equal", by);
    const peer = best("scikit-learn", "equal", by);
    const gap = Math.abs(ours[1].runs[0].inertia - peer[1].runs[0].inertia) / peer[1].runs[0].inertia;
    return {
      ours: ours[0],
      oursMs: ours[1][by],
      peer: peer[0],
      peerMs: peer[1][by],
      ratio: ours[1][by] / peer[1][by],
      relativeInertiaGap: gap,
      met: ours[1][by] <= peer[1][by] && gap < 1e-6,
    };
  };
  const lines = [
    `| case | first fit in a process (median of ${repeat}) | second fit (warm) | inertia | iterations | threads |`,
    "|---|---|---|---|---|---|",
    ...Object.entries(results).map(
      ([key, e]) =>
        `| ${key} | ${e.ms.toFixed(0)} ms | ${e.warmMs.toFixed(0)} ms | ${e.runs[0].inertia.toFixed(1)} | ${e.runs[0].nIter} | ${e.runs[0].threads} |`,
    ),
  ];
  const summary = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, totalMemBytes: totalmem(), node: process.version },
    data: { rows, cols, k, generator: "bench/kmeans/generate.ts", initRows: start },
    targets: {
      // Issue 5: our time ≤ scikit-learn's at equal inertia (same start, best algorithm of each).
      equalStartCold: target("ms"),
      equalStartWarm: target("warmMs"),
      lloydVsLloyd: ratios("trainyard lloyd, equal start", "scikit-learn lloyd, equal start"),
      elkanVsElkan: ratios("trainyard elkan, equal start", "scikit-learn elkan, equal start"),
      ownInitRatio: ratios("trainyard k-means++ (default: lloyd)", "scikit-learn k-means++ (default: lloyd)"),
    },
    results,
  };
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "kmeans.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(lines.join("\n"));
  for (const [name, t] of [
    ["first fit", summary.targets.equalStartCold],
    ["second fit", summary.targets.equalStartWarm],
  ] as const) {
    console.log(
      `equal start, ${name}, best of each: ${t.ours} ${t.oursMs.toFixed(0)} ms vs ${t.peer} ${t.peerMs.toFixed(0)} ms (${t.ratio.toFixed(2)}×), inertia gap ${t.relativeInertiaGap.toExponential(1)}; target met: ${t.met}`,
    );
  }
}
