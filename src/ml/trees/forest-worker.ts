// A worker thread that grows random-forest trees on the fit's shared memory: the binned
// matrix is shared; statistics, rows and histograms live in this thread's own region.
import { parentPort, workerData } from "node:worker_threads";
import { Arena } from "./arena.js";
import type { FeatureBins } from "./binning.js";
import { type ForestTreeContext, growForestTree } from "./forest-tree.js";
import { TreeLearner } from "./learner.js";

export interface ForestWorkerData {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  readonly start: number;
  readonly end: number;
  readonly nRows: number;
  readonly nFeat: number;
  readonly binsPtr: number;
  readonly colsPtr: number;
  readonly bins: FeatureBins[];
  readonly channels: number;
  readonly sums: number;
  readonly context: Omit<ForestTreeContext, "learner" | "stats">;
  readonly outOfBag: boolean;
}

/** Bytes a worker's region needs. */
export function forestWorkerBytes(nRows: number, nFeat: number, channels: number): number {
  return nRows * channels * 8 + 16 + TreeLearner.bytes(nRows, nFeat, channels, 1, 32);
}

if (parentPort && workerData?.forestWorker) {
  const w = workerData.forestWorker as ForestWorkerData;
  const arena = Arena.region(w.memory, w.module, w.start, w.end);
  const statsPtr = arena.alloc(w.nRows * w.channels * 8);
  const learner = new TreeLearner(
    {
      arena,
      nRows: w.nRows,
      nFeat: w.nFeat,
      binsPtr: w.binsPtr,
      colsPtr: w.colsPtr,
      bins: w.bins,
      channels: w.channels,
      sums: w.sums,
      statsPtr,
    },
    null,
    32,
  );
  const context: ForestTreeContext = {
    ...w.context,
    learner,
    stats: arena.f64(statsPtr, w.nRows * w.channels),
  };
  const port = parentPort;
  port.on("message", (job: { index: number; seed: number } | null) => {
    if (job === null) {
      port.close();
      return;
    }
    const r = growForestTree(context, job.seed, w.outOfBag);
    port.postMessage({ index: job.index, ...r });
  });
}
