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
  | "kmeansClosest";

const instances = new WeakMap<WebAssembly.Memory, KernelExports>();

/** Runs the calls on this thread's instance over the fit's shared memory; returns the sum of their results. */
export function runKernel(task: KernelTask): number {
  let k = instances.get(task.memory);
  if (!k) {
    k = instantiateKernels(kernelModule(), task.memory);
    instances.set(task.memory, k);
  }
  const fn = k[task.op] as (...args: number[]) => number | undefined;
  let total = 0;
  for (const args of task.calls) total += fn(...args) ?? 0;
  return total;
}
