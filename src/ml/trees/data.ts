import { availableParallelism } from "node:os";
import { kernelModule } from "../../kernels/loader.js";
import { InputError } from "../errors.js";
import { type FeatureMatrix, type FeatureSpec, type Features, FeatureMatrix as FM } from "../features.js";
import { Arena } from "./arena.js";
import { binInto, fitBins } from "./binning.js";
import { HistPool } from "./hist-pool.js";
import type { LearnerData } from "./learner.js";

/** Fits of fewer cells (rows × features) than this run on one thread. */
const PARALLEL_MIN_CELLS = 100_000;

/** The input of a tree fit: features, their spec, the binned matrix in a fresh arena, helper threads. */
export interface BinnedInput {
  readonly X: FeatureMatrix;
  readonly spec: FeatureSpec[];
  readonly data: LearnerData;
  /** The row-major binned matrix (a view of the arena). */
  readonly binned: Uint8Array;
  /** Helper threads for this fit (close them at the end), or null. */
  readonly pool: HistPool | null;
}

/**
 * Bins X and lays out a learner's data with `channels` statistics per row (zeroed); starts
 * nThreads - 1 helper threads (null: one per core) on the fit's memory.
 */
export function binInput(
  Xin: Features | FeatureMatrix,
  maxBins: number,
  seed: number,
  channels: number,
  sums: number,
  nThreads: number | null,
): BinnedInput {
  const X = FM.from(Xin);
  if (X.nCols === 0) throw new InputError("no features to fit on");
  if (X.nRows === 0) throw new InputError("no rows to fit on");
  const bins = fitBins(X, maxBins, seed);
  const n = X.nRows;
  const F = X.nCols;
  const arena = new Arena(2 * n * F + n * channels * 8 + n * 8 + F * 256 * channels * 8 * 4);
  // Small fits stay on this thread: starting helpers costs more than they save.
  const T = n * F < PARALLEL_MIN_CELLS ? 1 : (nThreads ?? availableParallelism());
  const pool = T > 1 ? new HistPool(arena, T, kernelModule()) : null;
  try {
    const binsPtr = arena.alloc(n * F);
    const colsPtr = arena.alloc(n * F);
    binInto(X, bins, arena, binsPtr, colsPtr, pool);
    const statsPtr = arena.alloc(n * channels * 8);
    return {
      X,
      spec: X.spec(),
      binned: arena.u8(binsPtr, n * F),
      pool,
      data: { arena, nRows: n, nFeat: F, binsPtr, colsPtr, bins, channels, sums, statsPtr },
    };
  } catch (e) {
    pool?.close();
    throw e;
  }
}

/** Checks sample weights: one finite non-negative number per row. */
export function checkWeights(w: Float64Array | undefined, n: number): Float64Array | null {
  if (!w) return null;
  if (w.length !== n)
    throw new InputError(`sampleWeight has ${w.length} entries for ${n} rows`, "sampleWeight");
  for (let i = 0; i < n; i++) {
    if (!(Number.isFinite(w[i]) && w[i] >= 0))
      throw new InputError(`sampleWeight at row ${i + 1} must be a finite number ≥ 0`, "sampleWeight");
  }
  return w;
}

/** Channels per row for `sums` sum channels plus the weight, padded to an even count (SIMD pairs). */
export function channelsFor(sums: number): number {
  return (sums + 1 + 1) & ~1;
}

/** Normalizes to sum 1 (all zeros stay zeros). */
export function normalize(v: Float64Array): Float64Array {
  let s = 0;
  for (const x of v) s += x;
  if (s > 0) for (let i = 0; i < v.length; i++) v[i] /= s;
  return v;
}

/** Lets pending timers and abort events run between units of work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
