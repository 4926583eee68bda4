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

/** Where one fit's data and each thread's scratch live in the kernels' shared memory. */
export interface WasmLayout {
  readonly token: string;
  readonly memory: WebAssembly.Memory;
  readonly n: number;
  readonly d: number;
  readonly x: number;
  readonly y: number;
  readonly sw: number;
  /** Per thread: w (d), g (d + 1) and z (BLOCK) f64 regions, `scratchBytes` apart. */
  readonly scratch: number;
  readonly scratchBytes: number;
}

/** Thread `t`'s evaluation of rows [start, end) at x (writes the partial gradient into g). */
export function evaluateRows(
  k: KernelExports,
  L: WasmLayout,
  t: number,
  x: Float64Array,
  fitIntercept: boolean,
  g: Float64Array,
  start: number,
  end: number,
): number {
  const base = L.scratch + t * L.scratchBytes;
  const w = base;
  const gp = base + 8 * (L.d + 1);
  const z = gp + 8 * (L.d + 1);
  const heap = new Float64Array(L.memory.buffer);
  heap.set(x.subarray(0, L.d), w / 8);
  heap.fill(0, gp / 8, gp / 8 + L.d + 1);
  const f = k.logisticBinary(L.x, L.n, L.d, start, end, w, fitIntercept ? x[L.d] : 0, L.y, L.sw, gp, z);
  g.set(heap.subarray(gp / 8, gp / 8 + L.d));
  if (fitIntercept) g[L.d] = heap[gp / 8 + L.d];
  return f;
}

/**
 * The binary logistic objective on the WebAssembly kernel (f64x2 SIMD), for designs of numeric
 * columns only: the columns are copied once into a shared WebAssembly.Memory, and with
 * `jobs` > 1 pool workers evaluate their share of the rows on the same memory (nothing more is
 * copied). Until the workers are ready, this thread evaluates every row. Undefined when the
 * kernel does not apply (indicator features, data over 3.5 GiB, kernels not built).
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
  const scratchBytes = 8 * (2 * (d + 1) + BLOCK);
  const bytes = DATA_START + n * d * 8 + n * 8 + n * 4 + jobs * scratchBytes + 64;
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
  const x = DATA_START;
  const swAt = x + n * d * 8;
  const yAt = swAt + n * 8;
  const scratch = (yAt + n * 4 + 63) & ~63;
  const L: WasmLayout = { token: randomUUID(), memory, n, d, x, y: yAt, sw: swAt, scratch, scratchBytes };
  const heap = new Float64Array(memory.buffer);
  design.numeric.forEach((col, q) => heap.set(col, x / 8 + design.numericIdx[q] * n));
  heap.set(sw, swAt / 8);
  new Int32Array(memory.buffer).set(yCodes, yAt / 4);

  const bounds = Array.from({ length: jobs + 1 }, (_, t) => Math.round((t * n) / jobs));
  const nw = d;
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
    if (!ready) {
      // Let the event loop deliver the workers' "ready" messages.
      await new Promise((resolve) => setImmediate(resolve));
      if (!ready) return addL2(evaluateRows(kernels, L, 0, xv, fitIntercept, g, 0, n), xv, g, nw, l2);
    }
    const pool = sharedPool();
    const remote = [];
    for (let t = 1; t < jobs; t++) {
      const task = { layout: L, t, x: xv, fitIntercept, start: bounds[t], end: bounds[t + 1] };
      remote.push(pool.run<{ f: number; g: Float64Array }>(WORKER, "evaluateWasm", task, { signal }));
    }
    let f = evaluateRows(kernels, L, 0, xv, fitIntercept, g, 0, bounds[1]);
    for (const r of await Promise.all(remote)) {
      f += r.f;
      for (let j = 0; j < g.length; j++) g[j] += r.g[j];
    }
    return addL2(f, xv, g, nw, l2);
  };
}
