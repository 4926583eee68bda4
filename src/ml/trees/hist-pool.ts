import { Worker } from "node:worker_threads";
import type { KernelExports } from "../../kernels/loader.js";
import type { Arena } from "./arena.js";

/**
 * Helper threads that run the tree kernels on the fit's shared WebAssembly memory. A
 * fixed-point histogram is built by all threads over shared rows (integer sums are exact);
 * a float64 one is split by features, each thread filling whole features over the same rows in
 * the same order. Either way the result does not depend on the number of threads. Threads are
 * woken and awaited through Atomics on a small shared control block (no message per build).
 */
/** Control block slots (Int32): 0 sequence number, 1 last done, 2 operation, 3..13 arguments, 14 claim. */
const SLOTS = 16;
const CLAIM = 14;

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(control);
const exec = ${exec.toString()};
let seen = 0;
for (;;) {
  Atomics.wait(c, 0, seen);
  const s = Atomics.load(c, 0);
  if (s < 0) break;
  seen = s;
  // Claim job s; if the caller has taken it (or moved on), there is nothing to do.
  if (Atomics.compareExchange(c, CLAIM, s, -s) !== s) continue;
  exec(k, c);
  Atomics.store(c, 1, s);
  Atomics.notify(c, 1);
}
`.replace("CLAIM", String(CLAIM));

/** Runs the operation in a control block (on a helper thread, or here when the caller takes it over). */
function exec(k: KernelExports, c: Int32Array): void {
  if (c[2] === 0) {
    k.treeHistClear(c[10], c[11], c[8], c[12]);
    k.treeHist(c[3], c[4], c[5], c[6], c[7], c[9], c[8], c[10], c[11], c[12]);
  } else if (c[2] === 4) {
    k.treePredict(c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13]);
  } else if (c[2] === 3) {
    k.treeHistFixed(c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13]);
  } else if (c[2] === 8) {
    k.treeStatsMax(c[3], c[4], c[5], c[6]);
  } else if (c[2] === 9) {
    k.treeStatsFix(c[3], c[4], c[5], c[6], c[7], c[8]);
  } else if (c[2] === 1) {
    k.treeBinColumn(c[3], c[4], c[5], c[6], c[7], c[8], c[9]);
  } else if (c[2] === 6) {
    c[13] = k.treePartition(c[3], c[4], c[5], c[6], c[7], c[8]);
  } else if (c[2] === 7) {
    k.treeAddLeaves(c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12]);
  } else if (c[2] === 5) {
    k.treeGradLogistic(c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]);
  }
}

/** How far one partition moves the calling thread's lead (a share of the rows). */
const ROW_STEP = 0.01;

export class HistPool {
  private readonly workers: Worker[] = [];
  private readonly controls: Int32Array[] = [];
  private seq = 0;
  /**
   * The share of a partition's rows the calling thread takes beyond an equal one: a helper
   * starts late (woken through the kernel), so equal shares leave this thread waiting. Each
   * partition moves the lead toward the side that finished first. Shares never change a result.
   */
  private rowLead = 0;

  constructor(
    private readonly arena: Arena,
    readonly nThreads: number,
    module: WebAssembly.Module,
  ) {
    for (let t = 1; t < nThreads; t++) {
      const control = new SharedArrayBuffer(SLOTS * 4);
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory: arena.memory, control },
      });
      w.unref();
      this.workers.push(w);
      this.controls.push(new Int32Array(control));
    }
  }

  /**
   * Runs `mine` here and each worker's op (args written into its control block) there; waits for
   * all. Returns whether this thread finished first (it waited for, or took over, a helper's op).
   */
  private run(fill: (c: Int32Array, worker: number) => void, mine: () => void): boolean {
    const seq = ++this.seq;
    this.controls.forEach((c, w) => {
      fill(c, w);
      Atomics.store(c, CLAIM, seq);
      Atomics.store(c, 0, seq);
      Atomics.notify(c, 0);
    });
    mine();
    let first = false;
    for (const c of this.controls) {
      // A helper that has not started yet (descheduled on a busy machine) loses its job to
      // this thread instead of being waited for. The result is the same either way.
      if (Atomics.compareExchange(c, CLAIM, seq, 0) === seq) {
        exec(this.arena.k, c);
        first = true;
        continue;
      }
      // Wait on the value just read: re-reading it for the wait could miss the wake-up.
      for (let done = Atomics.load(c, 1); done !== seq; done = Atomics.load(c, 1)) {
        first = true;
        Atomics.wait(c, 1, done);
      }
    }
    return first;
  }

  /**
   * Fills the histograms of `feats` (split into per-thread lists written at parts[t].ptr) over
   * rows[start, end) with treeHist.
   */
  hist(
    binsPtr: number,
    nFeat: number,
    rowsPtr: number,
    start: number,
    end: number,
    statsPtr: number,
    c2: number,
    parts: readonly { ptr: number; n: number }[],
    hist: number,
  ): void {
    const k = this.arena.k;
    this.run(
      (c, w) => {
        const p = parts[w + 1];
        c.set([binsPtr, nFeat, rowsPtr, start, end, c2, statsPtr, p.ptr, p.n, hist], 3);
        c[2] = 0;
      },
      () => {
        const p = parts[0];
        k.treeHistClear(p.ptr, p.n, c2, hist);
        k.treeHist(binsPtr, nFeat, rowsPtr, start, end, statsPtr, c2, p.ptr, p.n, hist);
      },
    );
  }

  /**
   * treeHistFixed on every thread: `args` are its first eight arguments, thread t fills
   * hists[t] through scratch[t]; the threads claim rows through the counter at `next`.
   */
  histFixed(
    args: readonly number[],
    hists: readonly number[],
    scratch: readonly number[],
    next: number,
  ): void {
    const [b, f, r, s, e, x, f0, nf] = args;
    this.run(
      (c, w) => {
        c[2] = 3;
        c.set([...args, hists[w + 1], scratch[w + 1], next], 3);
      },
      () => this.arena.k.treeHistFixed(b, f, r, s, e, x, f0, nf, hists[0], scratch[0], next),
    );
  }

  /**
   * Runs operation `op` (see exec) over rows [0, n) cut into one contiguous run per thread:
   * `args(lo, hi, t)` are its arguments for thread t's run [lo, hi). Run 0 is this thread's.
   */
  private overRows(n: number, op: number, args: (lo: number, hi: number, t: number) => number[]): void {
    const T = this.nThreads;
    const cut = (t: number) => Math.floor((t * n) / T);
    const own = new Int32Array(SLOTS);
    own[2] = op;
    own.set(args(0, cut(1), 0), 3);
    this.run(
      (c, w) => {
        c[2] = op;
        c.set(args(cut(w + 1), cut(w + 2), w + 1), 3);
      },
      () => exec(this.arena.k, own),
    );
  }

  /** The largest |g| and |h| over rows [0, n) of (g, h) pairs, written at `out` (2 f64; 2·nThreads used). */
  statsMax(stats: number, n: number, out: number): void {
    this.overRows(n, 8, (lo, hi, t) => [stats, lo, hi, out + 16 * t]);
    const parts = this.arena.f64(out, 2 * this.nThreads);
    for (let t = 1; t < this.nThreads; t++) {
      parts[0] = Math.max(parts[0], parts[2 * t]);
      parts[1] = Math.max(parts[1], parts[2 * t + 1]);
    }
  }

  /** treeStatsFix over rows [0, n), cut into one run per thread. */
  statsFix(stats: number, fixed: number, n: number, eg: number, eh: number): void {
    this.overRows(n, 9, (lo, hi) => [stats, fixed, lo, hi, eg, eh]);
  }

  /** Bins numeric columns (one job per thread at most; job 0 runs here; null: idle). */
  bin(jobs: readonly (BinJob | null)[]): void {
    const k = this.arena.k;
    const put = (j: BinJob) => [j.values, j.n, j.upper, j.nUpper, j.rowOut, j.stride, j.colOut] as const;
    this.run(
      (c, w) => {
        const j = jobs[w + 1];
        c[2] = j ? 1 : 2;
        if (j) c.set(put(j), 3);
      },
      () => {
        const j = jobs[0];
        if (j) k.treeBinColumn(...put(j));
      },
    );
  }

  /**
   * Stable partition of rows[start, end) (treePartition), the range cut into one run per
   * thread, each partitioned in place through its own part of `tmp` (4 bytes per row), then
   * the runs joined (treePartitionJoin): the same order as one thread's. `scratch` holds
   * 2·nThreads + 1 int32. Returns the number of rows that go left.
   */
  partition(
    col: number,
    rowsPtr: number,
    start: number,
    end: number,
    goLeft: number,
    tmp: number,
    scratch: number,
  ): number {
    const T = this.nThreads;
    const k = this.arena.k;
    const cuts = this.arena.i32(scratch, T + 1);
    const counts = this.arena.i32(scratch + 4 * (T + 1), T);
    const own = Math.min(1, Math.max(0, 1 / T + this.rowLead)) * (end - start);
    cuts[0] = start;
    for (let t = 1; t <= T; t++)
      cuts[t] = start + Math.floor(own + ((t - 1) * (end - start - own)) / Math.max(1, T - 1));
    const first = this.run(
      (c, w) => {
        c[2] = 6;
        c.set([col, rowsPtr, cuts[w + 1], cuts[w + 2], goLeft, tmp + 4 * cuts[w + 1]], 3);
      },
      () => {
        counts[0] = k.treePartition(col, rowsPtr, start, cuts[1], goLeft, tmp + 4 * start);
      },
    );
    this.rowLead = Math.max(-0.4, Math.min(0.4, this.rowLead + (first ? ROW_STEP : -ROW_STEP)));
    let nl = counts[0];
    this.controls.forEach((c, w) => {
      counts[w + 1] = c[13];
      nl += c[13];
    });
    k.treePartitionJoin(rowsPtr, tmp, scratch, scratch + 4 * (T + 1), T);
    return nl;
  }

  /** treeAddLeaves with the rows cut into one run per thread. */
  addLeaves(
    order: number,
    starts: number,
    ends: number,
    values: number,
    nLeaves: number,
    F: number,
    K: number,
    k: number,
    n: number,
  ): void {
    this.overRows(n, 7, (lo, hi) => [order, starts, ends, values, nLeaves, F, K, k, lo, hi]);
  }

  /** treeGradLogistic over rows [0, n), cut into one contiguous run per thread. */
  gradLogistic(
    F: number,
    y: number,
    w: number,
    stats: number,
    fixed: number,
    n: number,
    eg: number,
    eh: number,
  ): void {
    this.overRows(n, 5, (lo, hi) => [F, y, w, stats, fixed, lo, hi, eg, eh]);
  }

  /** Runs the treePredict kernel with `mine` arguments here and `theirs` on the one helper thread. */
  predict(mine: readonly number[], theirs: readonly number[] | null): void {
    const k = this.arena.k;
    this.run(
      (c) => {
        c[2] = theirs ? 4 : 2;
        if (theirs) c.set(theirs, 3);
      },
      () => {
        const [a, b, cc, d, e, f, g, h, i, j, l] = mine;
        k.treePredict(a, b, cc, d, e, f, g, h, i, j, l);
      },
    );
  }

  close(): void {
    for (const c of this.controls) {
      Atomics.store(c, 0, -1);
      Atomics.notify(c, 0);
    }
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}

/** Arguments of the treeBinColumn kernel. */
export interface BinJob {
  values: number;
  n: number;
  upper: number;
  nUpper: number;
  rowOut: number;
  stride: number;
  colOut: number;
}
