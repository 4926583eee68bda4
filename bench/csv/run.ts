// CSV benchmark: trainyard readCsv vs pandas.read_csv vs DuckDB on the same generated file,
// each in its own child process (peak RSS measured inside the child). Prints a Markdown table
// and writes bench/results/csv.json.
//
//   npm run bench -- csv [--rows 1000000] [--repeat 3]

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { childJson, median, numberArg } from "../common.js";
import { BENCH_FEATURES, BENCH_ROWS, ensureBenchCsv } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const PYTHON = "/usr/bin/python3";

interface Measurement {
  tool: string;
  ms: number;
  maxRssBytes: number;
  rows: number;
  cols: number;
  columnBytes: number;
  readMs?: number;
  extractMs?: number;
}

const nodeTs = (script: string, file: string): [string, string[]] => [
  process.execPath,
  ["--import", "tsx", join(here, script), file],
];

const child = (cmd: string, argv: readonly string[]) => childJson<Measurement>(cmd, argv);

export async function main(args: readonly string[]): Promise<void> {
  const rows = numberArg(args, "rows", BENCH_ROWS);
  const repeat = numberArg(args, "repeat", 3);
  const file = join(root, "bench", "data", rows === BENCH_ROWS ? "numeric-1m.csv" : `numeric-${rows}.csv`);
  const size = ensureBenchCsv(file, rows);
  console.error(`${file}: ${(size / 1e6).toFixed(1)} MB, ${rows} rows × ${BENCH_FEATURES} features + label`);

  let pandasOk = true;
  try {
    execFileSync(PYTHON, ["-c", "import pandas"], { stdio: "ignore" });
  } catch {
    pandasOk = false;
    console.error(`${PYTHON} cannot import pandas (apt install python3-pandas): pandas skipped`);
  }
  const tools: { key: string; run: () => Measurement }[] = [
    { key: "trainyard", run: () => child(...nodeTs("child-trainyard.ts", file)) },
    ...(pandasOk ? [{ key: "pandas", run: () => child(PYTHON, [join(here, "read_pandas.py"), file]) }] : []),
    { key: "duckdb", run: () => child(...nodeTs("child-duckdb.ts", file)) },
  ];
  const results: Record<
    string,
    { runs: Measurement[]; ms: number; maxRssBytes: number; columnBytes: number }
  > = {};
  // Interleave the tools so that machine noise spreads evenly over them.
  for (let r = 0; r < repeat; r++) {
    for (const t of tools) {
      const m = t.run();
      console.error(
        `  ${t.key} run ${r + 1}: ${(m.ms / 1000).toFixed(2)} s, peak RSS ${(m.maxRssBytes / 2 ** 20).toFixed(0)} MiB`,
      );
      const entry = results[t.key] ?? { runs: [], ms: 0, maxRssBytes: 0, columnBytes: m.columnBytes };
      entry.runs.push(m);
      results[t.key] = entry;
    }
  }
  // What the runtimes cost with no data at all, for reading the RSS figures.
  const baseline = {
    nodeTsx: child(process.execPath, [
      "--import",
      "tsx",
      "-e",
      "console.log(JSON.stringify({maxRssBytes: process.resourceUsage().maxRSS*1024}))",
    ]).maxRssBytes,
  };
  for (const e of Object.values(results)) {
    e.ms = median(e.runs.map((m) => m.ms));
    e.maxRssBytes = Math.max(...e.runs.map((m) => m.maxRssBytes));
  }
  const ty = results.trainyard;
  const pd = results.pandas;
  const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const lines = [
    `| tool | time (median of ${repeat}) | vs pandas | peak RSS (max) | RSS / typed column bytes |`,
    "|---|---|---|---|---|",
  ];
  for (const [key, e] of Object.entries(results)) {
    const extra =
      key === "duckdb"
        ? ` (read ${(median(e.runs.map((m) => m.readMs ?? 0)) / 1000).toFixed(2)} s + extract ${(median(e.runs.map((m) => m.extractMs ?? 0)) / 1000).toFixed(2)} s)`
        : "";
    lines.push(
      `| ${e.runs[0].tool} | ${(e.ms / 1000).toFixed(2)} s${extra} | ${pd ? `${(e.ms / pd.ms).toFixed(2)}×` : "n/a"} | ${mib(e.maxRssBytes)} | ${(e.maxRssBytes / ty.columnBytes).toFixed(2)} |`,
    );
  }
  const summary = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, totalMemBytes: totalmem(), node: process.version },
    file: { rows, features: BENCH_FEATURES, bytes: size },
    typedColumnBytes: ty.columnBytes,
    baselineRssBytes: baseline,
    targets: {
      timeVsPandas: pd ? ty.ms / pd.ms : null,
      timeMet: pd ? ty.ms <= pd.ms : null,
      rssVsTwiceColumns: ty.maxRssBytes / (2 * ty.columnBytes),
      rssMet: ty.maxRssBytes <= 2 * ty.columnBytes,
    },
    results,
  };
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "csv.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(lines.join("\n"));
  console.log(
    `\ntyped columns: ${mib(ty.columnBytes)} (2× = ${mib(2 * ty.columnBytes)}); node+tsx baseline RSS ${mib(baseline.nodeTsx)}`,
  );
  console.log(
    `targets: time ≤ pandas: ${summary.targets.timeMet ?? "n/a"}; peak RSS ≤ 2× column bytes: ${summary.targets.rssMet}`,
  );
}
