// Deterministic benchmark data: 1,000,000 rows × 28 numeric features and a text label,
// written with realistic decimal formats (0.7312845, -1.27, integers, 12.3456).

import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { Random } from "../../src/data/random.js";

export const BENCH_ROWS = 1_000_000;
export const BENCH_FEATURES = 28;
const LABELS = ["low", "medium", "high"];

/** One feature value's text; the format depends on the column. */
function feature(rng: Random, j: number): string {
  switch (j % 4) {
    case 0:
      return (rng.normal() * 0.5 + 0.5).toFixed(7); // 0.7312845
    case 1:
      return (rng.normal() * 1.5).toFixed(2); // -1.27
    case 2:
      return String(rng.int(1000)); // counts
    default:
      return (rng.next() * 100).toFixed(4); // 12.3456
  }
}

/** Writes the CSV to `path` (atomically) unless it already exists with the same size seed. */
export function generateBenchCsv(path: string, rows = BENCH_ROWS, seed = 42): void {
  mkdirSync(dirname(path), { recursive: true });
  const rng = new Random(seed);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    const header = [...Array.from({ length: BENCH_FEATURES }, (_, j) => `f${j}`), "label"];
    writeSync(fd, `${header.join(",")}\n`);
    let out = "";
    for (let i = 0; i < rows; i++) {
      let score = 0;
      for (let j = 0; j < BENCH_FEATURES; j++) {
        const v = feature(rng, j);
        if (j < 3) score += Number(v) * (j === 2 ? 0.001 : 1);
        out += v;
        out += ",";
      }
      out += LABELS[Math.max(0, Math.min(2, Math.floor(score + rng.normal() * 0.5)))];
      out += "\n";
      if (out.length > 1 << 20) {
        writeSync(fd, out);
        out = "";
      }
    }
    writeSync(fd, out);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Generates the file if it is not there yet; returns its size in bytes. */
export function ensureBenchCsv(path: string, rows = BENCH_ROWS): number {
  if (!existsSync(path)) {
    const t0 = performance.now();
    generateBenchCsv(path, rows);
    console.error(`generated ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return statSync(path).size;
}
