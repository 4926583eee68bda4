import type { Column } from "../column.js";
import type { Table } from "../table.js";

export interface DuplicateRows {
  /** Rows equal to an earlier row. */
  count: number;
  /** Up to `limit` duplicated rows (0-based) and the earlier row each repeats. */
  examples: { row: number; duplicateOf: number }[];
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

// Two independent 32-bit multiplicative mixes per row, so a 53-bit key rarely collides.
function mix(h: number, v: number, k: number): number {
  return Math.imul(h ^ v, k) ^ (h >>> 15);
}

/** Folds one column into the per-row hashes. NaN and -0 are canonical so equal cells hash equally. */
function hashColumn(c: Column, h1: Uint32Array, h2: Uint32Array): void {
  const n = h1.length;
  if (c.kind === "numeric" || c.kind === "datetime") {
    for (let i = 0; i < n; i++) {
      const x = c.values[i];
      f64[0] = Number.isNaN(x) ? Number.NaN : x === 0 ? 0 : x;
      h1[i] = mix(mix(h1[i], u32[0], 0x9e3779b1), u32[1], 0x85ebca77);
      h2[i] = mix(mix(h2[i], u32[1], 0xc2b2ae3d), u32[0], 0x27d4eb2f);
    }
  } else {
    const v = c.kind === "categorical" ? c.codes : c.values;
    for (let i = 0; i < n; i++) {
      h1[i] = mix(h1[i], v[i] + 1, 0x9e3779b1);
      h2[i] = mix(h2[i], v[i] + 7, 0xc2b2ae3d);
    }
  }
}

function cellsEqual(c: Column, a: number, b: number): boolean {
  if (c.kind === "categorical") return c.codes[a] === c.codes[b];
  const x = c.values[a];
  const y = c.values[b];
  return x === y || (Number.isNaN(x) && Number.isNaN(y));
}

/**
 * Counts rows that repeat an earlier row, comparing typed values (missing equals missing).
 * Rows are bucketed by hash and confirmed cell by cell, so a hash collision never counts.
 */
export function duplicateRows(table: Table, limit = 5): DuplicateRows {
  const n = table.nRows;
  const h1 = new Uint32Array(n).fill(0x811c9dc5);
  const h2 = new Uint32Array(n).fill(0x01000193);
  for (const c of table.columns) hashColumn(c, h1, h2);
  // key → first row with that key, or the list of distinct rows sharing it after a collision.
  const seen = new Map<number, number | number[]>();
  const equal = (a: number, b: number) => table.columns.every((c) => cellsEqual(c, a, b));
  let count = 0;
  const examples: DuplicateRows["examples"] = [];
  for (let i = 0; i < n; i++) {
    const key = h1[i] * 0x200000 + (h2[i] & 0x1fffff);
    const bucket = seen.get(key);
    if (bucket === undefined) {
      seen.set(key, i);
      continue;
    }
    const rows = typeof bucket === "number" ? [bucket] : bucket;
    const match = rows.find((r) => equal(r, i));
    if (match === undefined) {
      rows.push(i);
      if (typeof bucket === "number") seen.set(key, rows);
      continue;
    }
    count++;
    if (examples.length < limit) examples.push({ row: i, duplicateOf: match });
  }
  return { count, examples };
}
