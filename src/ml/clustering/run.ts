import { Random } from "../../data/random.js";
import { ParameterError } from "../errors.js";
import { type FitOptions, throwIfAborted } from "../estimator.js";
import type { NumericColumns } from "./dense.js";
import { randomRows } from "./init.js";
import { elkan, KMeansWorkspace, kmeansPlusPlus, lloyd, type RunResult, wantsHelper } from "./wasm.js";

export type KMeansInit = "k-means++" | "random" | number[][];

export interface KMeansRunParams {
  nClusters: number;
  init: KMeansInit;
  nInit: number | "auto";
  maxIter: number;
  tol: number;
  algorithm: "lloyd" | "elkan";
  randomState: number;
  nThreads: number | null;
}

export interface KMeansFit extends RunResult {
  readonly warnings: string[];
}

/** The number of runs: "auto" is 1 for k-means++ and explicit centers, 10 for random starts. */
export function runsOf(p: Pick<KMeansRunParams, "init" | "nInit">): number {
  if (Array.isArray(p.init)) return 1;
  if (p.nInit === "auto") return p.init === "random" ? 10 : 1;
  return p.nInit;
}

/** Explicit initial centers as a k × d array, checked against the data's shape. */
export function explicitCenters(owner: string, init: number[][], k: number, d: number): Float64Array {
  if (init.length !== k || init.some((r) => r.length !== d)) {
    throw new ParameterError(`${owner}.init`, `${k} centers (nClusters) of ${d} numbers (one per feature)`);
  }
  return Float64Array.from(init.flat());
}

/**
 * k-means on numeric columns: `nInit` runs from seeded starts (each its own k-means++ or random draw
 * from one Random), the run of least inertia kept (the first on a tie).
 */
export async function fitKMeans(
  owner: string,
  cols: NumericColumns,
  p: KMeansRunParams,
  weights: Float64Array | undefined,
  options: FitOptions = {},
): Promise<KMeansFit> {
  const n = cols.nRows;
  const d = cols.columns.length;
  const k = p.nClusters;
  if (k > n) throw new ParameterError(`${owner}.nClusters`, `at most the number of rows (${n})`, k);
  const warnings: string[] = [];
  if (Array.isArray(p.init) && p.nInit !== "auto" && p.nInit !== 1) {
    warnings.push(`explicit initial centers given: nInit=${p.nInit} ignored, one run made`);
  }
  const runs = runsOf(p);
  const rng = new Random(p.randomState);
  const { signal, onProgress } = options;
  const ws = new KMeansWorkspace(cols, n, d, k, weights, wantsHelper(n, d, k, p.nThreads));
  const tol = p.tol * ws.meanVariance;
  let best: RunResult | undefined;
  for (let r = 0; r < runs; r++) {
    throwIfAborted(signal);
    const init = Array.isArray(p.init)
      ? explicitCenters(owner, p.init, k, d)
      : p.init === "random"
        ? randomRows(ws.dataView, n, d, k, rng, weights)
        : await kmeansPlusPlus(ws, rng);
    const between =
      signal || onProgress
        ? async (iter: number) => {
            onProgress?.({
              done: r * p.maxIter + iter,
              total: runs * p.maxIter,
              message: `run ${r + 1}/${runs}`,
            });
            await new Promise((resolve) => setImmediate(resolve));
            throwIfAborted(signal);
          }
        : undefined;
    const settings = { maxIter: p.maxIter, tol, between };
    const result =
      p.algorithm === "elkan" ? await elkan(ws, init, settings) : await lloyd(ws, init, settings);
    if (!best || result.inertia < best.inertia) best = result;
  }
  if (!best) throw new Error("unreachable: no k-means run");
  if (!best.converged) {
    warnings.push(`k-means did not converge in maxIter=${p.maxIter} iterations (raise maxIter or tol)`);
  }
  const used = new Set(best.labels).size;
  if (used < k) {
    warnings.push(`only ${used} distinct clusters found for nClusters=${k} (duplicate rows?)`);
  }
  onProgress?.({ done: runs * p.maxIter, total: runs * p.maxIter, message: "done" });
  return { ...best, warnings };
}
