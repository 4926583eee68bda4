// Deterministic benchmark data shared by both tools as raw little-endian files:
// 8 numeric columns (5% missing, NaN) as <prefix>.x<j>.f64 and 3 categorical columns of 10,
// 100 and 1,000 levels "L0".."Lk" (2% missing, code -1) as <prefix>.c<j>.i32.

import { existsSync, writeFileSync } from "node:fs";
import type { Column } from "../../src/data/column.js";
import { Random } from "../../src/data/random.js";
import { Table } from "../../src/data/table.js";

export const NUMERIC = 8;
export const LEVELS = [10, 100, 1000];

function path(prefix: string, name: string): string {
  return `${prefix}.${name}`;
}

export function ensureData(prefix: string, rows: number): void {
  if (existsSync(path(prefix, `c${LEVELS.length - 1}.i32`))) return;
  const rng = new Random(7);
  for (let j = 0; j < NUMERIC; j++) {
    const v = new Float64Array(rows);
    for (let i = 0; i < rows; i++) v[i] = rng.next() < 0.05 ? Number.NaN : rng.normal() * (j + 1) * 10 + j;
    writeFileSync(path(prefix, `x${j}.f64`), v);
  }
  for (const [j, k] of LEVELS.entries()) {
    const c = new Int32Array(rows);
    for (let i = 0; i < rows; i++) c[i] = rng.next() < 0.02 ? -1 : rng.int(k);
    writeFileSync(path(prefix, `c${j}.i32`), c);
  }
}

/** The benchmark table, read back from the files. */
export async function readData(prefix: string): Promise<Table> {
  const { readFileSync } = await import("node:fs");
  const columns: Column[] = [];
  for (let j = 0; j < NUMERIC; j++) {
    const b = readFileSync(path(prefix, `x${j}.f64`));
    columns.push({
      kind: "numeric",
      name: `x${j}`,
      values: new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
    });
  }
  for (const [j, k] of LEVELS.entries()) {
    const b = readFileSync(path(prefix, `c${j}.i32`));
    columns.push({
      kind: "categorical",
      name: `c${j}`,
      codes: new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
      levels: Array.from({ length: k }, (_, l) => `L${l}`),
    });
  }
  return new Table(columns);
}
