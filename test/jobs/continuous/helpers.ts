import type { DatasetRecord, Registry } from "../../../src/registry/index.js";

let n = 0;
/** A registered dataset (the rows live nowhere: conditions only read its counters). */
export function dataset(registry: Registry, name = `ds${++n}`): Promise<DatasetRecord> {
  return registry.datasets.register({
    name,
    source: `/tmp/${name}.csv`,
    fingerprint: `fp-${name}`,
    rows: 100,
    columns: 3,
    schema: [],
  });
}

/** A model with an active version recorded now (real time). */
export async function activeModel(registry: Registry, name: string, version = "v1"): Promise<void> {
  await registry.models.addVersion({
    modelName: name,
    task: "binary",
    inputSchema: [],
    version,
    artifactUri: `file:///tmp/${name}-${version}.tyd`,
    checksum: "0",
    sizeBytes: 1,
    activate: true,
  });
}

/** Ends a job as a worker would (claim, then finish). */
export async function finishJob(
  registry: Registry,
  id: string,
  status: "COMPLETED" | "FAILED" = "COMPLETED",
): Promise<void> {
  const claimed = await registry.jobs.claim(id, "test-worker");
  if (!claimed) throw new Error(`job ${id} was not QUEUED`);
  await registry.jobs.finish(id, status, status === "FAILED" ? { error: "boom" } : {});
}

/** A clock the test moves by hand. */
export function manualClock(start: string | Date) {
  let t = new Date(start).getTime();
  const clock = () => new Date(t);
  return Object.assign(clock, {
    set(at: string | Date) {
      t = new Date(at).getTime();
    },
    advance(ms: number) {
      t += ms;
    },
  });
}

export const DAY = 86_400_000;
