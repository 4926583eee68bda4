import { availableParallelism } from "node:os";
import { kernelModule } from "../../kernels/loader.js";
import { InputError } from "../errors.js";
import { type FeatureMatrix, type FeatureSpec, type Features, FeatureMatrix as FM } from "../features.js";
import { Arena } from "./arena.js";
import { binInto, fitBins } from "./binning.js";
import { forestWorkerBytes } from "./forest-worker.js";
import { HistPool } from "./hist-pool.js";
import { type LearnerData, TreeLearner } from "./learner.js";

/** Fits of fewer cells (rows × features) than this run on one thread. */
const PARALLEL_MIN_CELLS = 100_000;

/** The input of a tree fit: features, their spec, the binned data and learner in a fresh arena, helper threads. */
export interface BinnedInput {
  readonly X: FeatureMatrix;
  readonly spec: FeatureSpec[];
  readonly data: LearnerData;
  readonly learner: TreeLearner;
  /** The row-major binned matrix (a view of the arena). */
  readonly binned: Uint8Array;
  /** Helper threads for this fit (close them at the end), or null. */
  readonly pool: HistPool | null;
  /** Arena regions reserved for tree-growing worker threads (none: grow here). */
  readonly treeRegions: readonly { start: number; end: number }[];
}

export interface BinOptions {
  readonly maxBins: number;
  readonly seed: number;
  /** Statistics per row (even) and how many of them are sums (the next one is the weight). */
  readonly channels: number;
  readonly sums: number;
  /** null: one thread per core. */
  readonly nThreads: number | null;
  /** Leaves that may hold a histogram at once (leaf-wise growth: numLeaves). */
  readonly maxHeld: number;
  /** Reserve a region per thread for forest workers (when more than one thread is used). */
  readonly treeWorkers?: boolean;
  /** More arena bytes for the caller's own buffers (allocated after binInput returns). */
  readonly extraBytes?: number;
}

/**
 * Bins X and lays out everything a fit needs in one arena: the binned matrix (row- and
 * column-major), per-row statistics (zeroed), and a tree learner. All memory is reserved before
 * the helper threads start, since they cannot follow the memory growing under them.
 */
export function binInput(Xin: Features | FeatureMatrix, o: BinOptions): BinnedInput {
  const X = FM.from(Xin);
  if (X.nCols === 0) throw new InputError("no features to fit on");
  if (X.nRows === 0) throw new InputError("no rows to fit on");
  const n = X.nRows;
  const F = X.nCols;
  const C = o.channels;
  // Small fits stay on this thread: starting helpers costs more than they save.
  const T = n * F < PARALLEL_MIN_CELLS ? 1 : Math.max(1, o.nThreads ?? availableParallelism());
  const arena = new Arena();
  const bins = fitBins(X, o.maxBins, o.seed, arena);
  const regions = o.treeWorkers && T > 1 ? T : 0;
  const regionBytes = forestWorkerBytes(n, F, C) + 1024;
  arena.reserve(
    2 * n * F +
      n * C * 8 +
      T * (n * 8 + 256 * 8) +
      256 +
      TreeLearner.bytes(n, F, C, T, o.maxHeld) +
      regions * (regionBytes + 16) +
      (o.extraBytes ?? 0),
  );
  const pool = T > 1 ? new HistPool(arena, T, kernelModule()) : null;
  if (pool) arena.freeze();
  try {
    const binsPtr = arena.alloc(n * F);
    const colsPtr = arena.alloc(n * F);
    const statsPtr = arena.alloc(n * C * 8);
    binInto(X, bins, arena, binsPtr, colsPtr, pool);
    const data: LearnerData = {
      arena,
      nRows: n,
      nFeat: F,
      binsPtr,
      colsPtr,
      bins,
      channels: C,
      sums: o.sums,
      statsPtr,
    };
    const treeRegions = Array.from({ length: regions }, () => {
      const start = arena.alloc(regionBytes);
      return { start, end: start + regionBytes };
    });
    return {
      X,
      treeRegions,
      spec: X.spec(),
      binned: arena.u8(binsPtr, n * F),
      pool,
      data,
      learner: new TreeLearner(data, pool, o.maxHeld),
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
