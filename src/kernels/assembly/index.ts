// WebAssembly kernels. Every kernel takes raw byte offsets into the one shared memory
// that the TypeScript loader owns (runtime "stub": nothing here allocates).
export { columnStats } from "./column-stats";
export {
  kmeansAssign,
  kmeansClosestMany,
  kmeansElkanInit,
  kmeansElkanShift,
  kmeansElkanStep,
  kmeansInertia,
  kmeansPrepare,
  kmeansSquares,
} from "./kmeans";
export { logisticBinary } from "./logistic";
export { activate, activateBackward, colSums, fillRows, gatherRows, gemm } from "./matmul";
export { treeAddLeaves, treeGradLogistic, treeRowTotals, treeStatsFix, treeStatsMax } from "./tree-boost";
export {
  treeBinColumn,
  treeHist,
  treeHistClear,
  treeHistFixed,
  treeHistFixedSum,
  treePartition,
  treePartitionJoin,
  treeSortF64,
} from "./tree-hist";
export { treePredict, treePredictRow } from "./tree-predict";
export { treeBestSplit, treeBestSplitSmall, treeHistSub } from "./tree-split";
