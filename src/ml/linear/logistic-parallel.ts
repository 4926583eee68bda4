import { randomUUID } from "node:crypto";
import { sharedPool, siblingModule } from "../parallel/pool.js";
import { toShared } from "../parallel/transfer.js";
import type { LinearDesign } from "./design.js";
import type { Objective } from "./lbfgs.js";
import { addL2, logisticPartial } from "./logistic-loss.js";
import type { LogisticShare } from "./logistic-worker.js";

const WORKER = siblingModule(import.meta.url, "./logistic-worker");

/** Starts `jobs − 1` pool workers on this module now, while the caller validates its data. */
export function warmUpWorkers(jobs: number): void {
  const pool = sharedPool();
  for (let t = 1; t < jobs; t++) pool.run(WORKER, "warmUp", null).catch(() => {});
}

/**
 * Asks the pool's idle workers to drop what the last fit left cached in them (its share of
 * the data or its kernel memory), so that a finished fit does not keep its data alive.
 */
export function releaseWorkers(jobs: number): void {
  const pool = sharedPool();
  for (let t = 1; t < jobs; t++) pool.run(WORKER, "releaseLogistic", null).catch(() => {});
}

/**
 * The logistic objective split by rows over `jobs` threads: this thread evaluates the first
 * share from the caller's arrays while pool workers evaluate the others from shared copies of
 * just their rows, and the partial losses and gradients are summed. Until every worker has
 * started and built its share, evaluations run here on all rows, so starting the threads
 * delays nothing.
 */
export function parallelLogisticObjective(
  design: LinearDesign,
  yCodes: Int32Array,
  sw: Float64Array,
  k: number,
  fitIntercept: boolean,
  l2: number,
  jobs: number,
  signal?: AbortSignal,
): Objective {
  const n = design.nRows;
  const bounds = Array.from({ length: jobs + 1 }, (_, t) => Math.round((t * n) / jobs));
  const shares: LogisticShare[] = [];
  for (let t = 1; t < jobs; t++) {
    const [start, end] = [bounds[t], bounds[t + 1]];
    shares.push({
      token: randomUUID(),
      design: design.shareRows(start, end),
      yCodes: toShared(yCodes.subarray(start, end)),
      sw: toShared(sw.subarray(start, end)),
      k,
      fitIntercept,
    });
  }
  const local = logisticPartial(design, yCodes, sw, k, fitIntercept);
  const pool = sharedPool();
  let ready = false;
  // A failed start leaves `ready` false: the fit then simply stays on this thread.
  Promise.all(shares.map((share) => pool.run<boolean>(WORKER, "prepareLogistic", share, { signal }))).then(
    () => {
      ready = true;
    },
    () => {},
  );
  return async (x, g) => {
    if (!ready) {
      // Let the event loop deliver the workers' "ready" messages.
      await new Promise((resolve) => setImmediate(resolve));
      if (!ready) return addL2(local(x, g, 0, n), x, g, k * design.nCols, l2);
    }
    const remote = shares.map((share) =>
      pool.run<{ f: number; g: Float64Array }>(WORKER, "evaluateLogistic", { share, x }, { signal }),
    );
    let f = local(x, g, 0, bounds[1]);
    for (const r of await Promise.all(remote)) {
      f += r.f;
      for (let j = 0; j < g.length; j++) g[j] += r.g[j];
    }
    return addL2(f, x, g, k * design.nCols, l2);
  };
}
