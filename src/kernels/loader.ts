import { readFileSync } from "node:fs";

/** Exports of build/kernels.wasm; all pointers are byte offsets into `memory`. */
export interface KernelExports {
  logisticBinary(
    x: number,
    n: number,
    d: number,
    start: number,
    end: number,
    w: number,
    bias: number,
    y: number,
    sw: number,
    g: number,
    z: number,
  ): number;
  columnStats(ptr: number, n: number, out: number): void;
  /** k-means (src/kernels/assembly/kmeans.ts): Lloyd labelling pass over rows [start, end); returns Σ w·d². */
  kmeansAssign(
    data: number,
    start: number,
    end: number,
    d: number,
    centers: number,
    k: number,
    weights: number,
    labels: number,
    sums: number,
    mass: number,
    minDist: number,
  ): number;
  kmeansElkanInit(
    data: number,
    start: number,
    end: number,
    d: number,
    centers: number,
    k: number,
    half: number,
    labels: number,
    upper: number,
    lower: number,
  ): void;
  kmeansElkanStep(
    data: number,
    start: number,
    end: number,
    d: number,
    centers: number,
    k: number,
    weights: number,
    half: number,
    nextHalf: number,
    labels: number,
    upper: number,
    lower: number,
    sums: number,
    mass: number,
  ): void;
  kmeansElkanShift(
    start: number,
    end: number,
    k: number,
    shift: number,
    labels: number,
    upper: number,
    lower: number,
  ): void;
  kmeansInertia(
    data: number,
    start: number,
    end: number,
    d: number,
    centers: number,
    labels: number,
    weights: number,
  ): number;
  kmeansPrepare(block: number, m: number, d: number, out: number, sums: number): number;
  kmeansSquares(rows: number, n: number, d: number, means: number, out: number): void;
  kmeansClosestMany(
    data: number,
    n: number,
    d: number,
    cands: number,
    t: number,
    closest: number,
    weights: number,
    out: number,
    outStride: number,
    pots: number,
  ): void;
  /** Dense product C (+)= A·B over f64 (src/kernels/assembly/matmul.ts); `accumulate` 0 or 1. */
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    sam: number,
    sak: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    accumulate: number,
  ): void;
  /** Rows of y (n × k) set to the k values at b. */
  fillRows(y: number, b: number, n: number, k: number): void;
  /** out (k) = column sums of d (n × k). */
  colSums(d: number, n: number, k: number, out: number): void;
  /** Activation in place; kind 0 identity, 1 logistic, 2 tanh, 3 relu. */
  activate(kind: number, x: number, len: number): void;
  /** d *= the activation's derivative, from its output y. */
  activateBackward(kind: number, d: number, y: number, len: number): void;
  /** dst (n × d) = the rows of src (d columns) listed by the n i32 indices at `rows`. */
  gatherRows(dst: number, src: number, rows: number, n: number, d: number): void;
  treeHist(
    bins: number,
    nFeat: number,
    rows: number,
    start: number,
    end: number,
    stats: number,
    c2: number,
    feats: number,
    nf: number,
    hist: number,
  ): void;
  treeHistClear(feats: number, nf: number, c2: number, hist: number): void;
  treePartition(col: number, rows: number, start: number, end: number, goLeft: number, tmp: number): number;
  treePartitionJoin(rows: number, tmp: number, cuts: number, counts: number, T: number): void;
  treeSortF64(a: number, n: number, tmp: number, counts: number): void;
  treeHistFixed(
    bins: number,
    nFeat: number,
    rows: number,
    start: number,
    end: number,
    fixed: number,
    f0: number,
    nf: number,
    hist: number,
    scratch: number,
    next: number,
  ): void;
  treeHistFixedSum(
    hist: number,
    others: number,
    nOthers: number,
    f0: number,
    nf: number,
    eg: number,
    eh: number,
  ): void;
  treeStatsMax(stats: number, lo: number, hi: number, out: number): void;
  treeStatsFix(stats: number, fixed: number, lo: number, hi: number, eg: number, eh: number): void;
  treeRowTotals(rows: number, n: number, stats: number, iota: number, out: number): void;
  treeAddLeaves(
    order: number,
    starts: number,
    ends: number,
    values: number,
    nLeaves: number,
    F: number,
    K: number,
    k: number,
    lo: number,
    hi: number,
  ): void;
  treeGradLogistic(
    F: number,
    y: number,
    w: number,
    stats: number,
    fixed: number,
    start: number,
    end: number,
    eg: number,
    eh: number,
  ): void;
  treeBestSplitSmall(
    cols: number,
    nRows: number,
    rows: number,
    cnt: number,
    stats: number,
    feats: number,
    nf: number,
    Pg: number,
    Pw: number,
    cf: number,
    lam: number,
    minW: number,
    minN: number,
    parent: number,
    floor: number,
    out: number,
    scratch: number,
  ): number;
  treeHistSub(parent: number, small: number, f0: number, nf: number, c2: number): void;
  treeBestSplit(
    hist: number,
    feats: number,
    nf: number,
    nbins: number,
    Pg: number,
    Pw: number,
    cf: number,
    lam: number,
    minW: number,
    minN: number,
    parent: number,
    floor: number,
    out: number,
  ): number;
  treePredict(
    nodes: number,
    catBits: number,
    leafValues: number,
    treeStart: number,
    nTrees: number,
    x: number,
    nRows: number,
    nFeat: number,
    out: number,
    leafWidth: number,
    outWidth: number,
  ): void;
  treePredictRow(
    nodes: number,
    catBits: number,
    leafValues: number,
    treeStart: number,
    nTrees: number,
    row: number,
    out: number,
    leafWidth: number,
    outWidth: number,
    leaves: number,
  ): void;
  treeBinColumn(
    values: number,
    n: number,
    upper: number,
    nUpper: number,
    rowOut: number,
    stride: number,
    colOut: number,
  ): void;
}

export interface Kernels {
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
}

const PAGE = 65_536;
let cached: Kernels | undefined;

/**
 * Instantiates the WebAssembly kernels once per thread. The memory is shared so that
 * worker threads can later run the same kernels over the same buffers.
 */
export function kernels(): Kernels {
  if (cached) return cached;
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65_536, shared: true });
  cached = { exports: instantiateKernels(kernelModule(), memory), memory };
  return cached;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled kernels, to instantiate on a memory of one's own (one fit, or a worker thread). */
export function kernelModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const url = new URL("../../build/kernels.wasm", import.meta.url);
  let bytes: Buffer;
  try {
    bytes = readFileSync(url);
  } catch {
    throw new Error(
      `trainyard: WebAssembly kernels not found at ${url.pathname}; run \`npm run build:kernels\``,
    );
  }
  compiled = new WebAssembly.Module(bytes);
  return compiled;
}

export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}

/**
 * A bump allocator over the kernels' memory for one call's scratch space: allocate,
 * run the kernel, read results, then `reset`. Grows the memory when needed.
 */
export class Scratch {
  // Page 0 holds the module's static data (e.g. exp/log tables at byte 1024): scratch starts above it.
  private top = PAGE;
  constructor(private readonly k: Kernels = kernels()) {}

  alloc(bytes: number): number {
    const ptr = (this.top + 15) & ~15;
    const end = ptr + bytes;
    const have = this.k.memory.buffer.byteLength;
    if (end > have) this.k.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return ptr;
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.k.memory.buffer, ptr, length);
  }

  reset(): void {
    this.top = PAGE;
  }
}
