import type { Column } from "../../../src/data/column.js";
import { readCsv } from "../../../src/data/csv/read.js";
import { type Feature, FeatureMatrix } from "../../../src/ml/features.js";

/** A reference dataset as the fixture generator prepares it: features standardized over all rows (population std). */
export async function standardized(file: string): Promise<{ X: FeatureMatrix; y: Column }> {
  const t = await readCsv(new URL(`../../../examples/reference/${file}`, import.meta.url).pathname);
  const y = t.columns.find((c) => c.name === "target");
  if (!y) throw new Error(`${file} has no target column`);
  const features = FeatureMatrix.from(t)
    .features.filter((f) => f.name !== "target")
    .map((f): Feature => {
      if (f.kind !== "numeric") throw new Error(`${f.name} is not numeric`);
      const v = f.values;
      let mean = 0;
      for (const x of v) mean += x;
      mean /= v.length;
      let ss = 0;
      for (const x of v) ss += (x - mean) ** 2;
      const sd = Math.sqrt(ss / v.length);
      return { ...f, values: v.map((x) => (x - mean) / sd) };
    });
  return { X: new FeatureMatrix(features, t.nRows), y };
}

/** The fixture's split: rows whose index is a multiple of 4 are held out. */
export function splitRows(n: number): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (i % 4 === 0 ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
