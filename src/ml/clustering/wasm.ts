import { availableParallelism } from "node:os";
import { isMainThread } from "node:worker_threads";
import type { Random } from "../../data/random.js";
import { siblingModule, WorkerPool } from "../parallel/pool.js";
import { Arena } from "../trees/arena.js";
import { type NumericColumns, notFinite } from "./dense.js";
import type { KernelTask, KMeansKernel } from "./kernel-worker.js";
import { averageCenters, relocateEmpty, sameLabels } from "./step.js";

/**
 * Rows per kernel call. Many short calls rather than one long one let V8 move the kernels from
 * its baseline WebAssembly compiler to the optimizing one early in a fit (a running call never
 * switches), and leave room for splitting the rows over threads.
 */
const BLOCK = 8192;

const WORKER = siblingModule(import.meta.url, "./kernel-worker");
let helperPool: WorkerPool | undefined;

/**
 * Whether a fit gets a helper thread: `nThreads` ≥ 2 asks for it; null (auto) takes it for large
 * fits only (starting a worker costs about as much as a 200,000 × 16, k = 8 fit saves), in the
 * main thread (inside a worker the caller parallelizes) with a spare core.
 */
export function wantsHelper(n: number, d: number, k: number, nThreads: number | null = null): boolean {
  if (nThreads !== null) return nThreads >= 2;
  return isMainThread && availableParallelism() > 1 && n * d * k >= 2 ** 26;
}

/**
 * k-means on the WebAssembly SIMD kernels (src/kernels/assembly/kmeans.ts). A workspace holds
 * one fit's rows in a memory of its own (copied once, shared by every run and the k-means++
 * draws); the per-row loops run in the kernels, the per-center work (averaging, shifts, empty
 * clusters) here. Lloyd and Elkan follow scikit-learn's iterations and stopping rules, so the
 * same start gives the same result.
 */
export class KMeansWorkspace {
  readonly arena: Arena;
  readonly data: number;
  readonly weights: number;
  readonly labels: number;
  readonly centers: number;
  readonly sums: number;
  readonly mass: number;
  readonly dataView: Float64Array;
  readonly labelView: Int32Array;
  readonly centerView: Float64Array;
  readonly sumView: Float64Array;
  readonly massView: Float64Array;
  private elkanBuffers: ElkanBuffers | undefined;
  private seedBuffers: SeedBuffers | undefined;
  /** The mean over features of their variances, when built from columns (scikit-learn's scale for `tol`). */
  readonly meanVariance: number = Number.NaN;
  /** True once the helper thread has its kernel instance on this memory. */
  private helperReady = false;

  /** Rows from row-major `data` (n × d) or from numeric columns, copied into the workspace. */
  constructor(
    data: Float64Array | NumericColumns,
    readonly n: number,
    readonly d: number,
    readonly k: number,
    readonly weightArray?: Float64Array,
    helper = false,
  ) {
    this.arena = new Arena(n * d * 8 + n * 12 + 2 * k * d * 8 + 65_536);
    this.data = this.arena.alloc(n * d * 8);
    this.dataView = this.arena.f64(this.data, n * d);
    if (data instanceof Float64Array) this.dataView.set(data.subarray(0, n * d));
    else this.meanVariance = this.loadColumns(data);
    this.weights = weightArray ? this.arena.alloc(n * 8) : 0;
    if (weightArray) this.arena.f64(this.weights, n).set(weightArray);
    this.labels = this.arena.alloc(n * 4);
    this.labelView = this.arena.i32(this.labels, n);
    this.centers = this.arena.alloc(k * d * 8);
    this.centerView = this.arena.f64(this.centers, k * d);
    // Two halves of the rows accumulate into two sums/mass parts, merged after each pass.
    this.sums = this.arena.alloc(2 * k * d * 8);
    this.sumView = this.arena.f64(this.sums, k * d);
    this.mass = this.arena.alloc(2 * k * 8);
    this.massView = this.arena.f64(this.mass, k);
    if (helper) {
      // Warm the helper up while this thread prepares; passes use it once it is ready.
      helperPool ??= new WorkerPool(1);
      helperPool
        .run<number>(WORKER, "runKernel", { memory: this.arena.memory, op: "kmeansAssign", calls: [] })
        .then(() => {
          this.helperReady = true;
        })
        .catch(() => {
          // no helper: this thread does all the rows
        });
    }
  }

  /**
   * Runs kernel `op` over all rows in blocks; `args(start, end, part)` gives a block's arguments,
   * `part` 0 for the first half of the rows, 1 for the second (each half accumulates into its own
   * part). The second half goes to the helper thread when it is ready. The blocks and the order of
   * the sums are the same either way, so the result never depends on the threads.
   */
  async pass(
    op: KMeansKernel,
    args: (start: number, end: number, part: number) => number[],
  ): Promise<number> {
    const n = this.n;
    const mid = Math.min(n, Math.ceil(n / 2 / BLOCK) * BLOCK);
    const second: number[][] = [];
    for (let s = mid; s < n; s += BLOCK) second.push(args(s, Math.min(n, s + BLOCK), 1));
    const remote =
      this.helperReady && helperPool && second.length > 0
        ? helperPool.run<number>(WORKER, "runKernel", {
            memory: this.arena.memory,
            op,
            calls: second,
          } satisfies KernelTask)
        : undefined;
    const fn = this.arena.k[op] as (...a: number[]) => number | undefined;
    let first = 0;
    for (let s = 0; s < mid; s += BLOCK) first += fn(...args(s, Math.min(mid, s + BLOCK), 0)) ?? 0;
    let rest = 0;
    if (remote) rest = await remote;
    else for (const a of second) rest += fn(...a) ?? 0;
    return first + rest;
  }

  /**
   * Writes the columns row-major into the workspace, block by block through the kernel (which
   * also checks that every value is finite); returns the mean of the columns' variances.
   */
  private loadColumns(c: NumericColumns): number {
    const { n, d, arena: a } = this;
    const kx = a.k;
    const block = a.alloc(BLOCK * d * 8);
    const sums = a.alloc(d * 8);
    const sq = a.alloc(d * 8);
    a.f64(sums, d).fill(0);
    a.f64(sq, d).fill(0);
    for (let start = 0; start < n; start += BLOCK) {
      const m = Math.min(n, start + BLOCK) - start;
      for (let j = 0; j < d; j++) a.f64(block + j * m * 8, m).set(c.columns[j].subarray(start, start + m));
      const bad = kx.kmeansPrepare(block, m, d, this.data + start * d * 8, sums);
      if (bad >= 0) {
        const j = Math.floor(bad / m);
        const i = start + (bad % m);
        throw notFinite(c.names[j], i, c.columns[j][i]);
      }
    }
    if (n === 0 || d === 0) return 0;
    const means = a.f64(sums, d);
    for (let j = 0; j < d; j++) means[j] /= n;
    kx.kmeansSquares(this.data, n, d, sums, sq);
    let total = 0;
    for (const v of a.f64(sq, d)) total += v / n;
    return total / d;
  }

  /** Whether passes currently split the rows with the helper thread. */
  get threaded(): boolean {
    return this.helperReady;
  }

  /** Zeroes both parts of the sums and masses. */
  private clearSums(): void {
    const { k, d } = this;
    this.arena.f64(this.sums, 2 * k * d).fill(0);
    this.arena.f64(this.mass, 2 * k).fill(0);
  }

  /** Adds part 1 of the sums and masses into part 0 (sumView, massView). */
  private mergeSums(): void {
    const { k, d } = this;
    const s = this.arena.f64(this.sums, 2 * k * d);
    const m = this.arena.f64(this.mass, 2 * k);
    for (let i = 0; i < k * d; i++) s[i] += s[k * d + i];
    for (let c = 0; c < k; c++) m[c] += m[k + c];
  }

  partSums(part: number): number {
    return this.sums + part * this.k * this.d * 8;
  }

  partMass(part: number): number {
    return this.mass + part * this.k * 8;
  }

  /** Labels every row with its nearest center; with `sums`, accumulates the clusters' sums and masses. */
  async assign(sums: boolean): Promise<number> {
    this.clearSums();
    const { d, k } = this;
    const inertia = await this.pass("kmeansAssign", (start, end, part) => [
      this.data,
      start,
      end,
      d,
      this.centers,
      k,
      this.weights,
      this.labels,
      sums ? this.partSums(part) : 0,
      this.partMass(part),
      0,
    ]);
    this.mergeSums();
    return inertia;
  }

  /** Runs one Elkan labelling pass under the bounds, accumulating the sums and masses. */
  async elkanStep(b: ElkanBuffers): Promise<void> {
    this.clearSums();
    const { d, k } = this;
    await this.pass("kmeansElkanStep", (start, end, part) => [
      this.data,
      start,
      end,
      d,
      this.centers,
      k,
      this.weights,
      b.half,
      b.nextHalf,
      this.labels,
      b.upper,
      b.lower,
      this.partSums(part),
      this.partMass(part),
    ]);
    this.mergeSums();
  }

  /** Sums → new centers (written in place), empty clusters relocated; returns Σ squared shifts. */
  moveCenters(shift: Float64Array, next: Float64Array): number {
    const { n, d, k } = this;
    const w = this.weightArray;
    relocateEmpty(this.dataView, n, d, k, this.centerView, this.labelView, w, this.sumView, this.massView);
    const total = averageCenters(this.sumView, this.massView, this.centerView, next, shift, k, d);
    this.centerView.set(next);
    return total;
  }

  result(nIter: number, converged: boolean): RunResult {
    const { n, d } = this;
    let inertia = 0;
    for (let start = 0; start < n; start += BLOCK) {
      const end = Math.min(n, start + BLOCK);
      inertia += this.arena.k.kmeansInertia(
        this.data,
        start,
        end,
        d,
        this.centers,
        this.labels,
        this.weights,
      );
    }
    return {
      centers: this.centerView.slice(),
      labels: this.labelView.slice(),
      inertia,
      nIter,
      converged,
    };
  }

  elkan(): ElkanBuffers {
    if (!this.elkanBuffers) {
      const { n, k, arena: a } = this;
      const half = a.alloc(k * k * 8);
      const nextHalf = a.alloc(k * 8);
      const shift = a.alloc(k * 8);
      this.elkanBuffers = {
        half,
        halfView: a.f64(half, k * k),
        nextHalf,
        nextHalfView: a.f64(nextHalf, k),
        upper: a.alloc(n * 8),
        lower: a.alloc(n * k * 8),
        shift,
        shiftView: a.f64(shift, k),
      };
    }
    return this.elkanBuffers;
  }

  /** Buffers of the k-means++ draws: closest distances (n), candidates' distances (t × n), candidates (t × d), potentials (2 × t). */
  seeding(trials: number): SeedBuffers {
    if (!this.seedBuffers || this.seedBuffers.trials !== trials) {
      const { n, d, arena: a } = this;
      this.seedBuffers = {
        trials,
        closest: a.alloc(n * 8),
        out: a.alloc(trials * n * 8),
        cands: a.alloc(trials * d * 8),
        pots: a.alloc(2 * trials * 8),
      };
    }
    return this.seedBuffers;
  }
}

interface SeedBuffers {
  trials: number;
  closest: number;
  out: number;
  cands: number;
  pots: number;
}

interface ElkanBuffers {
  half: number;
  halfView: Float64Array;
  nextHalf: number;
  nextHalfView: Float64Array;
  upper: number;
  lower: number;
  shift: number;
  shiftView: Float64Array;
}

export interface RunSettings {
  readonly maxIter: number;
  /** Absolute tolerance on the sum of squared center shifts (already scaled by the data's variance). */
  readonly tol: number;
  /** Called between iterations; may throw (cancellation) or wait (to let the event loop run). */
  readonly between?: (iteration: number) => Promise<void>;
}

export interface RunResult {
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  /** True when labels stopped changing or the centers moved less than `tol`. */
  converged: boolean;
}

/**
 * Lloyd's k-means from `init`: label every row with its nearest center, move each center to its
 * rows' (weighted) mean, until the labels stop changing, the centers move less than `tol` in
 * total (Σ squared shifts), or `maxIter` iterations.
 */
export async function lloyd(ws: KMeansWorkspace, init: Float64Array, s: RunSettings): Promise<RunResult> {
  const { n, d, k } = ws;
  ws.centerView.set(init);
  ws.labelView.fill(-1);
  const old = new Int32Array(n).fill(-1);
  const shift = new Float64Array(k);
  const next = new Float64Array(k * d);
  let strict = false;
  let converged = false;
  let iter = 0;
  while (iter < s.maxIter) {
    await s.between?.(iter);
    await ws.assign(true);
    const total = ws.moveCenters(shift, next);
    iter++;
    if (sameLabels(ws.labelView, old)) {
      strict = converged = true;
      break;
    }
    if (total <= s.tol) {
      converged = true;
      break;
    }
    old.set(ws.labelView);
  }
  // The labels must belong to the final centers.
  if (!strict) await ws.assign(false);
  return ws.result(iter, converged);
}

/**
 * Elkan's k-means: the same iterations (and result) as Lloyd's, but the triangle inequality
 * skips most distance computations. Each row keeps an upper bound on the distance to its center
 * and a lower bound on the distance to every other center (n × k); a center is examined only
 * when the bounds cannot rule it out.
 */
export async function elkan(ws: KMeansWorkspace, init: Float64Array, s: RunSettings): Promise<RunResult> {
  const { n, d, k } = ws;
  const b = ws.elkan();
  ws.arena.f64(b.lower, n * k).fill(0);
  const next = new Float64Array(k * d);
  const old = new Int32Array(n);
  ws.centerView.set(init);
  halfDistances(ws.centerView, k, d, b.halfView, b.nextHalfView);
  await ws.pass("kmeansElkanInit", (start, end) => [
    ws.data,
    start,
    end,
    d,
    ws.centers,
    k,
    b.half,
    ws.labels,
    b.upper,
    b.lower,
  ]);
  let strict = false;
  let converged = false;
  let iter = 0;
  while (iter < s.maxIter) {
    await s.between?.(iter);
    old.set(ws.labelView);
    await ws.elkanStep(b);
    const total = ws.moveCenters(b.shiftView, next);
    // Moving centers loosen the bounds by at most their shifts.
    await ws.pass("kmeansElkanShift", (start, end) => [start, end, k, b.shift, ws.labels, b.upper, b.lower]);
    halfDistances(ws.centerView, k, d, b.halfView, b.nextHalfView);
    iter++;
    // The first pass is never "unchanged labels": scikit-learn compares it with no labels.
    if (iter > 1 && sameLabels(ws.labelView, old)) {
      strict = converged = true;
      break;
    }
    if (total <= s.tol) {
      converged = true;
      break;
    }
  }
  if (!strict) await ws.elkanStep(b);
  return ws.result(iter, converged);
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii, with the greedy variant scikit-learn uses): each
 * new center is the best of 2 + ⌊ln k⌋ candidates drawn with probability ∝ weight × D², the one
 * that lowers the potential most. All candidates of a round are scored in one pass over the rows.
 * Returns k × d centers.
 */
export async function kmeansPlusPlus(ws: KMeansWorkspace, rng: Random): Promise<Float64Array> {
  const { n, d, k, dataView: data } = ws;
  const w = ws.weightArray;
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const s = ws.seeding(trials);
  const closest = ws.arena.f64(s.closest, n);
  const cands = ws.arena.f64(s.cands, trials * d);
  const pots = ws.arena.f64(s.pots, 2 * trials);
  /** Scores the first `t` rows of `cands` against every row, into out (and pots). */
  const score = async (t: number, out: number) => {
    pots.fill(0);
    await ws.pass("kmeansClosestMany", (start, end, part) => [
      ws.data + start * d * 8,
      end - start,
      d,
      s.cands,
      t,
      s.closest + start * 8,
      ws.weights === 0 ? 0 : ws.weights + start * 8,
      out + start * 8,
      n,
      s.pots + part * trials * 8,
    ]);
  };
  const first = weightedIndex(rng, n, w);
  centers.set(data.subarray(first * d, first * d + d), 0);
  closest.fill(Number.POSITIVE_INFINITY);
  cands.set(data.subarray(first * d, first * d + d));
  await score(1, s.closest);
  const cumsum = new Float64Array(n);
  const ids = new Int32Array(trials);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += w ? w[i] * closest[i] : closest[i];
      cumsum[i] = acc;
    }
    for (let t = 0; t < trials; t++) {
      // All rows coincide with the centers so far (potential 0): any row will do.
      ids[t] = acc > 0 ? searchSorted(cumsum, rng.next() * acc) : rng.int(n);
      cands.set(data.subarray(ids[t] * d, ids[t] * d + d), t * d);
    }
    await score(trials, s.out);
    let best = 0;
    for (let t = 1; t < trials; t++)
      if (pots[t] + pots[trials + t] < pots[best] + pots[trials + best]) best = t;
    centers.set(data.subarray(ids[best] * d, ids[best] * d + d), c * d);
    closest.set(ws.arena.f64(s.out + best * n * 8, n));
  }
  return centers;
}

function weightedIndex(rng: Random, n: number, weights?: Float64Array): number {
  if (!weights) return rng.int(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const target = rng.next() * total;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += weights[i];
    if (acc > target && weights[i] > 0) return i;
  }
  for (let i = n - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return 0;
}

/** The first index whose cumulative sum exceeds `x` (clipped to the last index). */
function searchSorted(cumsum: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumsum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumsum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Half the distance between every two centers, and each center's nearest such half distance. */
function halfDistances(
  centers: Float64Array,
  k: number,
  d: number,
  half: Float64Array,
  nextHalf: Float64Array,
) {
  nextHalf.fill(Number.POSITIVE_INFINITY);
  for (let a = 0; a < k; a++) {
    half[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = centers[a * d + t] - centers[b * d + t];
        s += diff * diff;
      }
      const h = Math.sqrt(s) / 2;
      half[a * k + b] = h;
      half[b * k + a] = h;
      if (h < nextHalf[a]) nextHalf[a] = h;
      if (h < nextHalf[b]) nextHalf[b] = h;
    }
  }
}
