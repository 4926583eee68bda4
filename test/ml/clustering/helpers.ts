import { readFileSync } from "node:fs";
import { readCsv } from "../../../src/data/csv/read.js";
import { FeatureMatrix } from "../../../src/ml/features.js";

export interface KMeansCase {
  name: string;
  k: number;
  initRows: number[];
  init: number[][];
  algorithm: "lloyd" | "elkan";
  tol: number;
  inertia: number;
  nIter: number;
  centers: number[][];
  labels: number[];
}

export interface MetricsCase {
  name: string;
  labels: number[];
  silhouette: number;
  silhouetteSamples: number[];
  calinskiHarabasz: number;
  daviesBouldin: number;
}

export interface Reference {
  fincoachColumns: string[];
  kmeans: KMeansCase[];
  metrics: MetricsCase[];
  ari: { a: number[]; b: number[]; ari: number }[];
}

export const reference: Reference = JSON.parse(
  readFileSync(new URL("../../fixtures/clustering/reference.json", import.meta.url), "utf8"),
);

/** Numeric features, each standardized with the population standard deviation (as generate.py does). */
export function standardize(fm: FeatureMatrix): FeatureMatrix {
  const features = fm.features.map((f, j) => {
    const x = fm.numericColumn(j);
    let mean = 0;
    for (const v of x) mean += v;
    mean /= x.length;
    let v2 = 0;
    for (const v of x) v2 += (v - mean) ** 2;
    const sd = Math.sqrt(v2 / x.length);
    return { kind: "numeric" as const, name: f.name, values: x.map((v) => (v - mean) / sd) };
  });
  return new FeatureMatrix(features, fm.nRows);
}

export async function fincoach(): Promise<{ X: FeatureMatrix; raw: FeatureMatrix; truth: string[] }> {
  const users = await readCsv("examples/fincoach/user_features.csv");
  const truth = await readCsv("examples/fincoach/user_segments_truth.csv");
  const raw = FeatureMatrix.from(users.drop(["user_id"]));
  const seg = truth.column("segment");
  if (seg.kind !== "categorical") throw new Error("segment should be categorical");
  return { X: standardize(raw), raw, truth: Array.from(seg.codes, (c) => seg.levels[c]) };
}

export async function iris(): Promise<{ X: FeatureMatrix; species: string[] }> {
  const t = await readCsv("examples/reference/iris.csv");
  const sp = t.column("target");
  if (sp.kind !== "categorical") throw new Error("target should be categorical");
  return { X: FeatureMatrix.from(t.drop(["target"])), species: Array.from(sp.codes, (c) => sp.levels[c]) };
}

/** A data set of `k` Gaussian blobs in `d` dimensions (row-major values as numeric features). */
export function rowsToMatrix(rows: number[][]): FeatureMatrix {
  const d = rows[0]?.length ?? 0;
  const features = Array.from({ length: d }, (_, j) => ({
    kind: "numeric" as const,
    name: `x${j}`,
    values: Float64Array.from(rows, (r) => r[j]),
  }));
  return new FeatureMatrix(features, rows.length);
}

export interface DbscanCase {
  name: string;
  eps: number;
  minSamples: number;
  labels: number[];
  coreSampleIndices: number[];
}

export const dbscanCases = (reference as unknown as { dbscan: DbscanCase[] }).dbscan;
export const miniBatchReferenceInertia = (
  reference as unknown as { miniBatchKMeansFincoachK5Inertia: number }
).miniBatchKMeansFincoachK5Inertia;
