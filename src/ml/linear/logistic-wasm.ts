import { randomUUID } from "node:crypto";
import { instantiateKernels, type KernelExports, kernelModule } from "../../kernels/loader.js";
import { sharedPool, siblingModule } from "../parallel/pool.js";
import { BLOCK, type LinearDesign } from "./design.js";
import type { Objective } from "./lbfgs.js";
import { addL2 } from "./logistic-loss.js";

const WORKER = siblingModule(import.meta.url, "./logistic-worker");
const PAGE = 65_536;
/**
 * The kernels' static data (the exp/log tables of Math, from byte 1024 on) must not be
 * overwritten: this fit's data starts at 64 KiB.
 */
const DATA_START = 65_536;
/** The kernels' memory is 32-bit: leave room below 4 GiB. */
const MAX_BYTES = 3.5 * 2 ** 30;
/** Rows are evaluated in this many chunks, taken by whichever thread is free. */
const CHUNKS = 32;

/** Where one fit's data, the current coefficients, the chunk results and each thread's scratch live. */
export interface WasmLayout {
  readonly token: string;
  readonly memory: WebAssembly.Memory;
  readonly n: number;
  readonly d: number;
  readonly x: number;
  readonly y: number;
  readonly sw: number;
  /** The coefficients being evaluated (d f64), written by the main thread before each evaluation. */
  readonly w: number;
  /** Next chunk to take (an Int32 advanced with Atomics.add). */
  readonly counter: number;
  readonly chunks: number;
  readonly chunkRows: number;
  /** Per chunk: its loss, then its gradient (d + 1 f64). */
  readonly partials: number;
  /** Per thread: z scratch of BLOCK f64. */
  readonly scratch: number;
}

/**
 * Takes chunks until none is left, on thread t's scratch, writing each chunk's loss and
 * gradient into its own slot: the sum is then made in chunk order, so the result does not
 * depend on which thread took which chunk (same data ⇒ same model).
 */
export function runChunks(k: KernelExports, L: WasmLayout, t: number, bias: number): void {
  const counter = new Int32Array(L.memory.buffer, L.counter, 1);
  const heap = new Float64Array(L.memory.buffer);
  const z = L.scratch + t * 8 * BLOCK;
  for (;;) {
    const c = Atomics.add(counter, 0, 1);
    if (c >= L.chunks) return;
    const slot = L.partials + c * 8 * (L.d + 2);
    heap.fill(0, slot / 8, slot / 8 + L.d + 2);
    const start = c * L.chunkRows;
    const end = Math.min(L.n, start + L.chunkRows);
    heap[slot / 8] = k.logisticBinary(L.x, L.n, L.d, start, end, L.w, bias, L.y, L.sw, slot + 8, z);
  }
}

/**
 * The binary logistic objective on the WebAssembly kernel (f64x2 SIMD), for designs of numeric
 * columns only: the columns are copied once into a shared WebAssembly.Memory, and with
 * `jobs` > 1 pool workers run the same kernel on that memory (nothing more is copied). The
 * threads take chunks of rows as they become free, so a thread slowed by other work on the
 * machine only does less of it. Until the workers are ready this thread does every chunk.
 * Undefined when the kernel does not apply (indicator features, data over 3.5 GiB, kernels
 * not built).
 */
export function wasmLogisticObjective(
  design: LinearDesign,
  yCodes: Int32Array,
  sw: Float64Array,
  fitIntercept: boolean,
  l2: number,
  jobs: number,
  signal?: AbortSignal,
): Objective | undefined {
  const n = design.nRows;
  const d = design.nCols;
  if (design.groups.length > 0) return undefined;
  const chunks = Math.min(CHUNKS, Math.ceil(n / BLOCK));
  const bytes =
    DATA_START + n * d * 8 + n * 8 + n * 4 + 8 * d + 64 + chunks * 8 * (d + 2) + jobs * 8 * BLOCK + 256;
  if (bytes > MAX_BYTES) return undefined;
  let module: WebAssembly.Module;
  try {
    module = kernelModule();
  } catch {
    return undefined;
  }
  // Sized once, never grown: a shared memory reserves its maximum up front.
  const pages = Math.ceil(bytes / PAGE) + 1;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const kernels = instantiateKernels(module, memory);
  if (typeof kernels.logisticBinary !== "function") return undefined;
  const align = (v: number) => (v + 63) & ~63;
  const x = DATA_START;
  const swAt = x + n * d * 8;
  const yAt = swAt + n * 8;
  const w = align(yAt + n * 4);
  const counter = align(w + 8 * d);
  const partials = counter + 64;
  const scratch = align(partials + chunks * 8 * (d + 2));
  const L: WasmLayout = {
    token: randomUUID(),
    memory,
    n,
    d,
    x,
    y: yAt,
    sw: swAt,
    w,
    counter,
    chunks,
    chunkRows: Math.ceil(n / chunks),
    partials,
    scratch,
  };
  const heap = new Float64Array(memory.buffer);
  design.numeric.forEach((col, q) => {
    heap.set(col, x / 8 + design.numericIdx[q] * n);
  });
  heap.set(sw, swAt / 8);
  new Int32Array(memory.buffer).set(yCodes, yAt / 4);
  const count = new Int32Array(memory.buffer, counter, 1);

  let ready = jobs === 1;
  if (!ready) {
    const pool = sharedPool();
    Promise.all(
      Array.from({ length: jobs - 1 }, () => pool.run<boolean>(WORKER, "prepareWasm", L, { signal })),
    ).then(
      () => {
        ready = true;
      },
      () => {},
    );
  }
  return async (xv, g) => {
    const bias = fitIntercept ? xv[d] : 0;
    heap.set(xv.subarray(0, d), w / 8);
    Atomics.store(count, 0, 0);
    if (!ready) {
      // Let the event loop deliver the workers' "ready" messages.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const remote = [];
    if (ready) {
      const pool = sharedPool();
      for (let t = 1; t < jobs; t++)
        remote.push(pool.run<boolean>(WORKER, "evaluateWasm", { layout: L, t, bias }, { signal }));
    }
    runChunks(kernels, L, 0, bias);
    await Promise.all(remote);
    let f = 0;
    g.fill(0);
    for (let c = 0; c < chunks; c++) {
      const slot = (partials + c * 8 * (d + 2)) / 8;
      f += heap[slot];
      for (let j = 0; j < d; j++) g[j] += heap[slot + 1 + j];
      if (fitIntercept) g[d] += heap[slot + 1 + d];
    }
    return addL2(f, xv, g, d, l2);
  };
}
