import { Random } from "../../data/random.js";
import { ParameterError } from "../errors.js";
import { type Clusterer, type FitOptions, type ModelParts, throwIfAborted } from "../estimator.js";
import type { Features } from "../features.js";
import { choice, int, nullable, num, oneOf, type ParamsOf, resolveParams } from "../params.js";
import { CentroidClusterer } from "./centroid.js";
import { checkWeights, meanColumnVariance, numericColumns, toRowMajor } from "./dense.js";
import { assignNearest } from "./distance.js";
import { randomRows } from "./init.js";
import { centersParam } from "./kmeans.js";
import { explicitCenters } from "./run.js";
import { KMeansWorkspace, kmeansPlusPlus } from "./wasm.js";

const KIND = "mini_batch_kmeans";

export const MINI_BATCH_KMEANS_PARAMS = {
  nClusters: int(1, 8),
  init: centersParam,
  /** Initializations compared on one sample of `initSize` rows; "auto": 1 (k-means++, explicit) or 3 (random). */
  nInit: oneOf<number | "auto">([choice(["auto"] as const, "auto"), int(1, 1)], "auto"),
  /** Passes over the data (in expectation: batches are drawn with replacement). */
  maxIter: int(1, 100),
  batchSize: int(1, 1024),
  /** Stop when Σ squared center shifts of a step ≤ tol × mean feature variance (0: off). */
  tol: num(0, { min: 0 }),
  /** Stop after this many steps without a new low of the smoothed batch inertia (null: off). */
  maxNoImprovement: nullable(int(1, 10), 10),
  /** Rows used to initialize (default 3 × batchSize, at least k). */
  initSize: nullable(int(1, 1)),
  /** Centers with less than this share of the heaviest center's weight move to a random row of the batch. */
  reassignmentRatio: num(0.01, { min: 0 }),
  randomState: int(0, 0, 2 ** 32 - 1),
};
export type MiniBatchKMeansParams = ParamsOf<typeof MINI_BATCH_KMEANS_PARAMS>;

/**
 * Mini-batch k-means (Sculley 2010, as scikit-learn runs it): each step labels a random batch
 * and moves each center toward its batch rows with a per-center learning rate 1 / (weight seen).
 * Much faster than KMeans on large data for a slightly higher inertia. Stops after `maxIter`
 * passes, when the smoothed batch inertia stops improving (`maxNoImprovement`), or on `tol`.
 * `labels` and `inertia` are computed over all training rows at the end.
 */
export class MiniBatchKMeans
  extends CentroidClusterer<MiniBatchKMeansParams>
  implements Clusterer<MiniBatchKMeansParams>
{
  readonly kind = KIND;
  readonly params: Readonly<MiniBatchKMeansParams>;
  /** Mini-batch steps made. */
  nSteps = 0;

  constructor(params: Partial<MiniBatchKMeansParams> = {}) {
    super();
    this.params = resolveParams("MiniBatchKMeans", MINI_BATCH_KMEANS_PARAMS, params);
  }

  async fit(X: Features, options: FitOptions = {}): Promise<this> {
    const cols = numericColumns(X);
    const n = cols.nRows;
    const d = cols.columns.length;
    const data = toRowMajor(cols);
    const w = checkWeights(options.sampleWeight, n);
    const p = this.params;
    const k = p.nClusters;
    if (k > n) throw new ParameterError("MiniBatchKMeans.nClusters", `at most the number of rows (${n})`, k);
    const rng = new Random(p.randomState);
    const batch = Math.min(p.batchSize, n);
    const warnings: string[] = [];

    // Initialization: the best of nInit starts, judged on one random sample of rows.
    const initSize = Math.min(n, Math.max(k, p.initSize ?? 3 * batch));
    const sampleIdx = Int32Array.from({ length: initSize }, () => rng.int(n));
    const sample = gather(data, d, sampleIdx);
    const sampleW = w ? Float64Array.from(sampleIdx, (i) => w[i]) : undefined;
    const runs = Array.isArray(p.init) ? 1 : p.nInit === "auto" ? (p.init === "random" ? 3 : 1) : p.nInit;
    let centers: Float64Array | undefined;
    let bestInertia = Number.POSITIVE_INFINITY;
    const scratchLabels = new Int32Array(initSize);
    const seeding = p.init === "k-means++" ? new KMeansWorkspace(sample, initSize, d, k, sampleW) : undefined;
    for (let r = 0; r < runs; r++) {
      const c = Array.isArray(p.init)
        ? explicitCenters("MiniBatchKMeans", p.init, k, d)
        : p.init === "random"
          ? randomRows(sample, initSize, d, k, rng, sampleW)
          : await kmeansPlusPlus(seeding ?? new KMeansWorkspace(sample, initSize, d, k, sampleW), rng);
      const inertia = assignNearest(sample, initSize, d, c, k, scratchLabels, sampleW);
      if (inertia < bestInertia || !centers) {
        bestInertia = inertia;
        centers = c;
      }
    }
    if (!centers) throw new Error("unreachable: no initialization");

    // Mini-batch steps.
    const tol = p.tol > 0 ? p.tol * meanColumnVariance(cols) : 0;
    const steps = Math.max(1, Math.floor((p.maxIter * n) / batch));
    const counts = new Float64Array(k);
    const idx = new Int32Array(batch);
    const bl = new Int32Array(batch);
    const sums = new Float64Array(k * d);
    const mass = new Float64Array(k);
    const alpha = Math.min(1, (batch * 2) / (n + 1));
    let ewa = Number.NaN;
    let ewaMin = Number.POSITIVE_INFINITY;
    let noImprovement = 0;
    let step = 0;
    const stepsPerPass = Math.max(1, Math.floor(n / batch));
    for (; step < steps; step++) {
      if (step % stepsPerPass === 0 && (options.signal || options.onProgress)) {
        options.onProgress?.({ done: step, total: steps });
        await new Promise((resolve) => setImmediate(resolve));
        throwIfAborted(options.signal);
      }
      for (let b = 0; b < batch; b++) idx[b] = rng.int(n);
      // Label the batch against the current centers, accumulate per-center sums.
      sums.fill(0);
      mass.fill(0);
      let batchInertia = 0;
      for (let b = 0; b < batch; b++) {
        const i = idx[b];
        let best = 0;
        let bestD = Number.POSITIVE_INFINITY;
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let t = 0; t < d; t++) {
            const diff = data[i * d + t] - centers[c * d + t];
            s += diff * diff;
          }
          if (s < bestD) {
            bestD = s;
            best = c;
          }
        }
        bl[b] = best;
        const wi = w ? w[i] : 1;
        batchInertia += wi * bestD;
        mass[best] += wi;
        for (let t = 0; t < d; t++) sums[best * d + t] += data[i * d + t] * wi;
      }
      batchInertia /= batch;
      // Each center moves to the weighted mean of everything it has seen so far.
      let shift = 0;
      for (let c = 0; c < k; c++) {
        if (mass[c] === 0) continue;
        const total = counts[c] + mass[c];
        for (let t = 0; t < d; t++) {
          const v = (centers[c * d + t] * counts[c] + sums[c * d + t]) / total;
          shift += (v - centers[c * d + t]) ** 2;
          centers[c * d + t] = v;
        }
        counts[c] = total;
      }
      // Now and then, centers that have seen (almost) nothing jump to random rows of the batch.
      let minCount = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) minCount = Math.min(minCount, counts[c]);
      if (p.reassignmentRatio > 0 && (step + 1) % (10 + Math.floor(minCount)) === 0) {
        reassign(data, d, k, centers, counts, idx, p.reassignmentRatio, rng, batch);
      }
      if (tol > 0 && shift <= tol) {
        step++;
        break;
      }
      // Early stop on the exponentially weighted average of the batch inertia.
      if (step > 0) {
        ewa = Number.isNaN(ewa) ? batchInertia : ewa * (1 - alpha) + batchInertia * alpha;
        if (ewa < ewaMin) {
          ewaMin = ewa;
          noImprovement = 0;
        } else if (p.maxNoImprovement !== null && ++noImprovement >= p.maxNoImprovement) {
          step++;
          break;
        }
      }
    }
    const labels = new Int32Array(n);
    this.inertia = assignNearest(data, n, d, centers, k, labels, w);
    this.nSteps = Math.max(1, Math.min(step, steps));
    this.nIter = Math.ceil((this.nSteps * batch) / n);
    const used = new Set(labels).size;
    if (used < k) warnings.push(`only ${used} distinct clusters found for nClusters=${k}`);
    this.warnings = warnings;
    this.setFitted(cols.spec, centers, labels);
    return this;
  }

  clone(overrides: Partial<MiniBatchKMeansParams> = {}): this {
    return new MiniBatchKMeans({ ...this.params, ...overrides }) as this;
  }

  static fromParts(parts: ModelParts): MiniBatchKMeans {
    return CentroidClusterer.load(
      KIND,
      parts,
      (p) => new MiniBatchKMeans(p as Partial<MiniBatchKMeansParams>),
    );
  }
}

function gather(data: Float64Array, d: number, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length * d);
  for (let s = 0; s < idx.length; s++) out.set(data.subarray(idx[s] * d, idx[s] * d + d), s * d);
  return out;
}

/** Moves the centers whose weight is below `ratio` × the largest to random rows of the batch. */
function reassign(
  data: Float64Array,
  d: number,
  k: number,
  centers: Float64Array,
  counts: Float64Array,
  idx: Int32Array,
  ratio: number,
  rng: Random,
  batch: number,
): void {
  let max = 0;
  for (let c = 0; c < k; c++) max = Math.max(max, counts[c]);
  const low: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] < ratio * max) low.push(c);
  if (low.length === 0) return;
  // At most half a batch at once, the lightest first.
  low.sort((a, b) => counts[a] - counts[b] || a - b);
  const moving = low.slice(0, Math.max(1, Math.floor(batch / 2)));
  let minKept = Number.POSITIVE_INFINITY;
  const set = new Set(moving);
  for (let c = 0; c < k; c++) if (!set.has(c)) minKept = Math.min(minKept, counts[c]);
  for (const c of moving) {
    const row = idx[rng.int(batch)];
    centers.set(data.subarray(row * d, row * d + d), c * d);
    counts[c] = Number.isFinite(minKept) ? minKept : 0;
  }
}
