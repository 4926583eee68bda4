import { describe, expect, it } from "vitest";
import { Random } from "../../../src/data/random.js";
import { elkan, KMeansWorkspace, kmeansPlusPlus, lloyd } from "../../../src/ml/clustering/wasm.js";

/** 40,000 rows of 3 features around 5 centers. */
function blobs(): Float64Array {
  const rng = new Random(5);
  const n = 40_000;
  const data = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = rng.int(5);
    for (let t = 0; t < 3; t++) data[i * 3 + t] = c * 3 + rng.normal();
  }
  return data;
}

async function helperReady(ws: KMeansWorkspace): Promise<void> {
  for (let i = 0; i < 600 && !ws.threaded; i++) await new Promise((r) => setTimeout(r, 20));
  if (!ws.threaded) throw new Error("the helper thread did not start");
}

describe("k-means with a helper thread", () => {
  it("gives bit-for-bit the result of one thread (Lloyd, Elkan, k-means++)", async () => {
    const data = blobs();
    const n = data.length / 3;
    const single = new KMeansWorkspace(data, n, 3, 6);
    const threaded = new KMeansWorkspace(data, n, 3, 6, undefined, true);
    await helperReady(threaded);
    const initA = await kmeansPlusPlus(single, new Random(1));
    const initB = await kmeansPlusPlus(threaded, new Random(1));
    expect(Array.from(initB)).toEqual(Array.from(initA));
    for (const run of [lloyd, elkan]) {
      const a = await run(single, initA, { maxIter: 100, tol: 0 });
      const b = await run(threaded, initA, { maxIter: 100, tol: 0 });
      expect(b.inertia).toBe(a.inertia);
      expect(b.nIter).toBe(a.nIter);
      expect(Array.from(b.centers)).toEqual(Array.from(a.centers));
      expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    }
  });
});
