// `npm run bench -- shap`: TreeSHAP throughput (rows/second) for 1,000 rows on a 100-tree,
// 31-leaf gradient-boosting model over 28 features (issue 5 asks for the figure).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { Random } from "../../src/data/random.js";
import { Table } from "../../src/data/table.js";
import { GradientBoostingClassifier } from "../../src/ml/trees/index.js";
import { numberArg } from "../common.js";

const ROOT = resolve(import.meta.dirname, "../..");

function data(n: number, p: number, seed: number): { X: Table; y: string[] } {
  const rng = new Random(seed);
  const cols = Array.from({ length: p }, (_, j) => ({
    kind: "numeric" as const,
    name: `f${j}`,
    values: new Float64Array(n),
  }));
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) {
      const v = rng.normal();
      cols[j].values[i] = v;
      if (j < 8) s += (j % 2 ? v * v : v) * (1 - j / 10);
    }
    y.push(s + rng.normal() > 0.5 ? "yes" : "no");
  }
  return { X: new Table(cols), y };
}

export async function main(args: readonly string[]): Promise<void> {
  const rows = numberArg(args, "rows", 1000);
  const { X, y } = data(50_000, 28, 1);
  const model = await new GradientBoostingClassifier({ nEstimators: 100, numLeaves: 31, randomState: 1 }).fit(
    X,
    y,
  );
  const background = X.slice(0, 1000);
  const explained = X.slice(10_000, 10_000 + rows);
  model.shapValues(explained.slice(0, 20), background); // warm-up
  const t = performance.now();
  const r = model.shapValues(explained, background);
  const ms = performance.now() - t;
  const perSecond = (rows / ms) * 1000;
  console.log(
    `TreeSHAP: ${rows} rows × 28 features, 100 trees × 31 leaves: ${ms.toFixed(0)} ms, ${perSecond.toFixed(0)} rows/s`,
  );
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(
    join(ROOT, "bench/results/shap.json"),
    `${JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, node: process.version, rows, ms, rowsPerSecond: perSecond, checksum: r.values.reduce((s, v) => s + v, 0) }, null, 2)}\n`,
  );
}
