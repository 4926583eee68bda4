import { instantiateKernels, type KernelExports, kernelModule } from "../../kernels/loader.js";

/** A k-means kernel and the arguments of each of its calls (row blocks), run in a worker thread. */
export interface KernelTask {
  readonly memory: WebAssembly.Memory;
  readonly op: KMeansKernel;
  readonly calls: readonly (readonly number[])[];
}

export type KMeansKernel =
  | "kmeansAssign"
  | "kmeansElkanInit"
  | "kmeansElkanStep"
  | "kmeansElkanShift"
  | "kmeansClosestMany";

/**
 * Runs the calls on an instance over the fit's shared memory; returns the sum of their results.
 * Each message brings a new Memory object (for the same shared buffer), so the instance is made
 * per task: cheap, as the module is compiled once per thread.
 */
export function runKernel(task: KernelTask): number {
  const k: KernelExports = instantiateKernels(kernelModule(), task.memory);
  const fn = k[task.op] as (...args: number[]) => number | undefined;
  let total = 0;
  for (const args of task.calls) total += fn(...args) ?? 0;
  return total;
}
