// Deterministic data for the model-selection benchmarks (written once to bench/data/).
//
// - cv-100k.csv: 100,000 rows of a mixed table as the scenarios have: 8 numeric features
//   (two with 5% missing), 3 categorical (5, 12 and 40 levels, one with 3% missing), and a
//   binary label from a noisy logistic model of them.
// - search-20k.csv: 20,000 rows × 20 numeric features and a binary label with interactions and
//   thresholds (so that tuning a boosting model matters).

import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { Random } from "../../src/data/random.js";

function writeCsv(path: string, header: string[], rows: number, row: (i: number) => string): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, `${header.join(",")}\n`);
    let out = "";
    for (let i = 0; i < rows; i++) {
      out += `${row(i)}\n`;
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

export function ensureCvCsv(path: string, rows = 100_000, seed = 7): void {
  const rng = new Random(seed);
  const levels = [5, 12, 40];
  const catEffect = levels.map((k) => Array.from({ length: k }, () => rng.normal()));
  const w = Array.from({ length: 8 }, () => rng.normal());
  const header = [...Array.from({ length: 8 }, (_, j) => `x${j}`), "plan", "region", "team", "label"];
  writeCsv(path, header, rows, () => {
    const cells: string[] = [];
    let z = -0.3;
    for (let j = 0; j < 8; j++) {
      const v = rng.normal() * (j + 1) + j;
      z += (w[j] * (v - j)) / (j + 1);
      cells.push(j < 2 && rng.next() < 0.05 ? "" : v.toFixed(4));
    }
    levels.forEach((k, c) => {
      const code = Math.min(k - 1, Math.floor(k * rng.next() ** 1.5));
      z += catEffect[c][code];
      cells.push(c === 2 && rng.next() < 0.03 ? "" : `${["p", "r", "t"][c]}${code}`);
    });
    cells.push(1 / (1 + Math.exp(-z)) > rng.next() ? "yes" : "no");
    return cells.join(",");
  });
}

export function ensureSearchCsv(path: string, rows = 20_000, seed = 11): void {
  const rng = new Random(seed);
  const header = [...Array.from({ length: 20 }, (_, j) => `f${j}`), "label"];
  writeCsv(path, header, rows, () => {
    const x = Array.from({ length: 20 }, () => rng.normal());
    const z =
      1.2 * x[0] -
      0.8 * x[1] +
      (x[2] > 0.5 ? 1.5 : -0.5) +
      x[3] * x[4] +
      0.6 * Math.sin(2 * x[5]) +
      0.4 * x[6] ** 2 -
      0.5 +
      (x[7] > 0 && x[8] > 0 ? 1 : 0) +
      0.7 * rng.normal();
    return `${x.map((v) => v.toFixed(5)).join(",")},${z > 0 ? 1 : 0}`;
  });
}
