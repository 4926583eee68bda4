import { instantiateKernels, type KernelExports, kernelModule } from "../../kernels/loader.js";
import { type DesignArrays, LinearDesign } from "./design.js";
import { logisticPartial, type PartialObjective } from "./logistic-loss.js";
import { runChunks, type WasmLayout } from "./logistic-wasm.js";

/** A worker's share of the rows of one fit (arrays in SharedArrayBuffers: posting them copies nothing). */
export interface LogisticShare {
  /** Identifies the fit and share, so that a worker builds its design and scratch once. */
  readonly token: string;
  readonly design: DesignArrays;
  readonly yCodes: Int32Array;
  readonly sw: Float64Array;
  readonly k: number;
  readonly fitIntercept: boolean;
}

let cache: { token: string; partial: PartialObjective; n: number } | undefined;

function open(s: LogisticShare): { partial: PartialObjective; n: number } {
  if (cache?.token !== s.token) {
    const design = new LinearDesign(s.design);
    cache = {
      token: s.token,
      partial: logisticPartial(design, s.yCodes, s.sw, s.k, s.fitIntercept),
      n: design.nRows,
    };
  }
  return cache;
}

/** Runs in a pool worker: nothing, so that the worker starts (and compiles this module) early. */
export function warmUp(): boolean {
  return true;
}

/** Runs in a pool worker: builds the share's design ahead of the first evaluation. */
export function prepareLogistic(s: LogisticShare): boolean {
  open(s);
  return true;
}

/** Runs in a pool worker: the loss and gradient of the whole share at x. */
export function evaluateLogistic(t: { share: LogisticShare; x: Float64Array }): {
  f: number;
  g: Float64Array;
} {
  const { partial, n } = open(t.share);
  const g = new Float64Array(t.x.length);
  const f = partial(t.x, g, 0, n);
  return { f, g };
}

let wasm: { token: string; kernels: KernelExports } | undefined;

function openWasm(L: WasmLayout): KernelExports {
  if (wasm?.token !== L.token)
    wasm = { token: L.token, kernels: instantiateKernels(kernelModule(), L.memory) };
  return wasm.kernels;
}

/** Runs in a pool worker: instantiates the kernels on the fit's shared memory. */
export function prepareWasm(L: WasmLayout): boolean {
  openWasm(L);
  return true;
}

/** Runs in a pool worker: takes chunks of rows on the WebAssembly kernel until none is left. */
export function evaluateWasm(task: { layout: WasmLayout; t: number; bias: number }): boolean {
  runChunks(openWasm(task.layout), task.layout, task.t, task.bias);
  return true;
}

/** Runs in a pool worker: drops the last fit's design and kernel memory (called when a fit ends). */
export function releaseLogistic(): boolean {
  cache = undefined;
  wasm = undefined;
  return true;
}
