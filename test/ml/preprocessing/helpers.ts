import { readFileSync } from "node:fs";
import type { Column } from "../../../src/data/column.js";
import { readTable } from "../../../src/data/read.js";
import type { Table } from "../../../src/data/table.js";
import type { FeatureMatrix } from "../../../src/ml/features.js";

const ROOT = new URL("../../../", import.meta.url);

/** admissions.csv with the holes generate.py punches: region at i % 17 == 3, school_type at i % 23 == 5. */
export async function admissionsHoles(): Promise<Table> {
  let t = await readTable(new URL("examples/admissions.csv", ROOT).pathname);
  const punch = (name: string, every: number, at: number) => {
    const c = t.column(name) as Extract<Column, { kind: "categorical" }>;
    const codes = c.codes.slice();
    for (let i = 0; i < codes.length; i++) if (i % every === at) codes[i] = -1;
    t = t.withColumn({ ...c, codes });
  };
  punch("region", 17, 3);
  punch("school_type", 23, 5);
  return t;
}

export async function futureSkills(): Promise<Table> {
  return readTable(new URL("examples/future_skills.csv", ROOT).pathname);
}

export interface ReferenceCase {
  name: string;
  dataset: "admissions_holes" | "future_skills";
  columns: string[];
  kind: string;
  params: Record<string, unknown>;
  fitRows: number[] | null;
  rows: number[] | null;
  names: string[];
  values: (number | string | null)[][];
}

export const reference: { rows: number; cases: ReferenceCase[] } = JSON.parse(
  readFileSync(new URL("test/fixtures/preprocessing/reference.json", ROOT), "utf8"),
);

/** Column j of a FeatureMatrix as plain cells: numbers (NaN → null), categories as their level (missing → null). */
export function cells(m: FeatureMatrix, j: number, n: number): (number | string | null)[] {
  const f = m.features[j];
  const out: (number | string | null)[] = [];
  for (let i = 0; i < Math.min(n, m.nRows); i++) {
    if (f.kind === "numeric") out.push(Number.isNaN(f.values[i]) ? null : f.values[i]);
    else if (f.kind === "indicator") out.push(f.codes[i] === f.level ? 1 : 0);
    else out.push(f.codes[i] < 0 ? null : f.levels[f.codes[i]]);
  }
  return out;
}

/** Equal within 1e-12 (relative for large values); null matches null only; strings exactly. */
export function close(a: number | string | null, b: number | string | null): boolean {
  if (a === null || b === null || typeof a === "string" || typeof b === "string") return a === b;
  return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
}

/** Bytes of the distinct typed arrays behind a FeatureMatrix (shared code arrays counted once). */
export function matrixBytes(m: FeatureMatrix): number {
  const seen = new Set<ArrayBufferView>();
  for (const f of m.features) seen.add(f.kind === "numeric" ? f.values : f.codes);
  let bytes = 0;
  for (const a of seen) bytes += a.byteLength;
  return bytes;
}
