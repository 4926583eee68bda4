import { type MatrixOps, tsOps } from "./matrix.js";
import { WasmOps } from "./wasm-ops.js";

export type MatrixBackend = "webassembly" | "typescript";
let chosen: MatrixBackend = "webassembly";

/** Picks the backend of networks built from now on (benchmarks and tests compare the two). */
export function useMatrixBackend(backend: MatrixBackend): void {
  chosen = backend;
}

/** A backend for one new network: its own WebAssembly memory, or plain arrays. */
export function defaultOps(): MatrixOps {
  return chosen === "webassembly" ? new WasmOps() : tsOps;
}
