import { pow2Pair } from "./tree-boost";

// Histogram kernels of the tree learner (src/ml/trees). Row-wise: each row's statistics
// (c2 pairs of f64: gradient/hessian, or class sums/weight; or one pair of fixed-point i64)
// are loaded once and added, two lanes at a time, into the bin of every listed feature. The
// binned matrix is row-major uint8 (nFeat bytes per row); a histogram holds 256 bins × (2·c2)
// 8-byte sums per feature, at feature × 256 × 16·c2 bytes. treeHist sums over the rows in the
// given order, so its histogram does not depend on how features are split across threads;
// treeHistFixed's integer sums do not depend on the order at all.
export function treeHist(
  bins: usize,
  nFeat: i32,
  rows: usize,
  start: i32,
  end: i32,
  stats: usize,
  c2: i32,
  feats: usize,
  nf: i32,
  hist: usize,
): void {
  if (c2 === 1) {
    for (let i = start; i < end; i++) {
      const r = <usize>load<u32>(rows + ((<usize>i) << 2));
      const g = v128.load(stats + (r << 4));
      const rowp = bins + r * <usize>nFeat;
      let j = 0;
      for (; j + 1 < nf; j += 2) {
        const f0 = <usize>load<i32>(feats + ((<usize>j) << 2));
        const f1 = <usize>load<i32>(feats + ((<usize>j) << 2), 4);
        const p0 = hist + (((f0 << 8) | <usize>load<u8>(rowp + f0)) << 4);
        const p1 = hist + (((f1 << 8) | <usize>load<u8>(rowp + f1)) << 4);
        v128.store(p0, f64x2.add(v128.load(p0), g));
        v128.store(p1, f64x2.add(v128.load(p1), g));
      }
      if (j < nf) {
        const f0 = <usize>load<i32>(feats + ((<usize>j) << 2));
        const p0 = hist + (((f0 << 8) | <usize>load<u8>(rowp + f0)) << 4);
        v128.store(p0, f64x2.add(v128.load(p0), g));
      }
    }
    return;
  }
  const stride = (<usize>c2) << 4;
  for (let i = start; i < end; i++) {
    const r = <usize>load<u32>(rows + ((<usize>i) << 2));
    const s = stats + r * stride;
    const rowp = bins + r * <usize>nFeat;
    for (let j = 0; j < nf; j++) {
      const f = <usize>load<i32>(feats + ((<usize>j) << 2));
      const p = hist + ((f << 8) | <usize>load<u8>(rowp + f)) * stride;
      for (let c: usize = 0; c < stride; c += 16) {
        v128.store(p + c, f64x2.add(v128.load(p + c), v128.load(s + c)));
      }
    }
  }
}

// Stable partition of rows[start, end) by one feature's column of bins (`col`, one byte per
// row): rows whose bin has goLeft[bin] != 0 keep their order at the front, the others at the
// back (through `tmp`). Returns the number of rows that go left.
export function treePartition(col: usize, rows: usize, start: i32, end: i32, goLeft: usize, tmp: usize): i32 {
  let nl = start;
  let nr: usize = 0;
  for (let i = start; i < end; i++) {
    const r = load<u32>(rows + ((<usize>i) << 2));
    const left = <i32>load<u8>(goLeft + <usize>load<u8>(col + <usize>r));
    // Branch-free: write the row to both places, advance the side it belongs to.
    store<u32>(rows + ((<usize>nl) << 2), r);
    store<u32>(tmp + (nr << 2), r);
    nl += left;
    nr += <usize>(left ^ 1);
  }
  memory.copy(rows + ((<usize>nl) << 2), tmp, nr << 2);
  return nl - start;
}

// Joins the runs of a partition made by treePartition on T threads: run t covered
// rows[cuts[t], cuts[t + 1]) and left its counts[t] left rows at the front of it and its right
// rows in tmp from cuts[t] on. Left parts go down to the start in run order, right parts
// follow them: the order one thread's partition gives. Moving each left part down never
// overwrites a later run's rows, and the right parts come from tmp.
export function treePartitionJoin(rows: usize, tmp: usize, cuts: usize, counts: usize, T: i32): void {
  let dst = <usize>load<i32>(cuts);
  for (let t = 0; t < T; t++) {
    const s = <usize>load<i32>(cuts + ((<usize>t) << 2));
    const nl = <usize>load<i32>(counts + ((<usize>t) << 2));
    if (dst !== s) memory.copy(rows + (dst << 2), rows + (s << 2), nl << 2);
    dst += nl;
  }
  for (let t = 0; t < T; t++) {
    const s = <usize>load<i32>(cuts + ((<usize>t) << 2));
    const e = <usize>load<i32>(cuts + ((<usize>(t + 1)) << 2));
    const nr = e - s - <usize>load<i32>(counts + ((<usize>t) << 2));
    memory.copy(rows + (dst << 2), tmp + (s << 2), nr << 2);
    dst += nr;
  }
}

// Bins of one numeric column (f64, NaN = missing) by a branch-free binary search over the
// ascending bin edges `upper` (the last is +Infinity): bin 1 + the first k with x <= upper[k],
// 0 for NaN. Written to the row-major matrix (rowOut, every `stride` bytes) and to a column.
export function treeBinColumn(
  values: usize,
  n: i32,
  upper: usize,
  nUpper: i32,
  rowOut: usize,
  stride: i32,
  colOut: usize,
): void {
  for (let i = 0; i < n; i++) {
    const x = load<f64>(values + ((<usize>i) << 3));
    let lo: i32 = 0;
    let len = nUpper;
    while (len > 1) {
      const half = len >> 1;
      lo = select<i32>(lo + half, lo, load<f64>(upper + ((<usize>(lo + half - 1)) << 3)) < x);
      len -= half;
    }
    lo += <i32>(load<f64>(upper + ((<usize>lo) << 3)) < x);
    const b = select<i32>(0, lo + 1, isNaN(x));
    store<u8>(rowOut + <usize>i * <usize>stride, <u8>b);
    store<u8>(colOut + <usize>i, <u8>b);
  }
}

// Zeroes the histograms of the listed features (256 bins × 16·c2 bytes each).
export function treeHistClear(feats: usize, nf: i32, c2: i32, hist: usize): void {
  const size = (<usize>c2) << 12;
  for (let j = 0; j < nf; j++) {
    const f = <usize>load<i32>(feats + ((<usize>j) << 2));
    memory.fill(hist + f * size, 0, size);
  }
}

// Sorts n float64 (no NaN) at `a` ascending: an LSD radix sort on order-preserving 64-bit
// keys, 11 bits per pass, through `tmp` (n × 8 bytes) and `counts` (2048 × 4 bytes). Passes
// where every key has the same digit are skipped.
export function treeSortF64(a: usize, n: i32, tmp: usize, counts: usize): void {
  const sign: u64 = 0x8000000000000000;
  for (let i = 0; i < n; i++) {
    const p = a + ((<usize>i) << 3);
    const b = load<u64>(p);
    store<u64>(p, b & sign ? ~b : b | sign);
  }
  let src = a;
  let dst = tmp;
  for (let shift: u64 = 0; shift < 64; shift += 11) {
    memory.fill(counts, 0, 2048 << 2);
    for (let i = 0; i < n; i++) {
      const d = <usize>((load<u64>(src + ((<usize>i) << 3)) >> shift) & 2047);
      store<u32>(counts + (d << 2), load<u32>(counts + (d << 2)) + 1);
    }
    let sum: u32 = 0;
    let same = false;
    for (let d: usize = 0; d < 2048; d++) {
      const c = load<u32>(counts + (d << 2));
      if (c === <u32>n) same = true;
      store<u32>(counts + (d << 2), sum);
      sum += c;
    }
    if (same) continue;
    for (let i = 0; i < n; i++) {
      const k = load<u64>(src + ((<usize>i) << 3));
      const q = counts + ((<usize>((k >> shift) & 2047)) << 2);
      const pos = load<u32>(q);
      store<u32>(q, pos + 1);
      store<u64>(dst + ((<usize>pos) << 3), k);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  for (let i = 0; i < n; i++) {
    const k = load<u64>(src + ((<usize>i) << 3));
    store<u64>(a + ((<usize>i) << 3), k & sign ? k ^ sign : ~k);
  }
}

/** Rows gathered per block by treeHistFixed (the block's copies stay in L1). */
const GATHER_BLOCK = 256;
/** Rows a thread claims at a time in treeHistFixed. */
const CLAIM_ROWS = 2048;

/**
 * Histograms of fixed-point (g, h) pairs (two i64 per row at `fixed`, as treeStatsFix writes
 * them) for the contiguous features [f0, f0 + nf) over rows[start, end), into `hist` (i64
 * pairs, laid out as treeHist's; zeroed here first). Integer sums do not depend on the order
 * of the rows, so threads share the rows: each claims runs of CLAIM_ROWS through the i32 at
 * `next` (set to 0 by the caller) and adds them into its own `hist`; treeHistFixedSum then adds
 * those up. Per block of rows, each row's bins [f0, f0 + nf) (16-byte chunks, so up to 15 bytes
 * past them are read) and its pair are first copied into `scratch` (GATHER_BLOCK ×
 * (16·ceil(nf/16) + 16) bytes) with nothing but loads and stores, which lets the CPU fetch many
 * rows from memory at once, then added from there.
 */
export function treeHistFixed(
  bins: usize,
  nFeat: i32,
  rows: usize,
  start: i32,
  end: i32,
  fixed: usize,
  f0: i32,
  nf: i32,
  hist: usize,
  scratch: usize,
  next: usize,
): void {
  const base = hist + ((<usize>f0) << 12);
  memory.fill(base, 0, (<usize>nf) << 12);
  const chunks = <usize>(nf + 15) >> 4;
  const rowBytes = chunks << 4;
  const gs = scratch + <usize>GATHER_BLOCK * rowBytes;
  const n4 = nf & ~3;
  for (;;) {
    const c0 = start + atomic.add<i32>(next, 1) * CLAIM_ROWS;
    if (c0 >= end) break;
    const c1 = min(end, c0 + CLAIM_ROWS);
    for (let b0 = c0; b0 < c1; b0 += GATHER_BLOCK) {
      const cnt = min(GATHER_BLOCK, c1 - b0);
      for (let i = 0; i < cnt; i++) {
        const r = <usize>load<u32>(rows + ((<usize>(b0 + i)) << 2));
        v128.store(gs + ((<usize>i) << 4), v128.load(fixed + (r << 4)));
        const src = bins + r * <usize>nFeat + <usize>f0;
        const dst = scratch + <usize>i * rowBytes;
        v128.store(dst, v128.load(src));
        if (chunks > 1) {
          v128.store(dst, v128.load(src, 16), 16);
          for (let c: usize = 2; c < chunks; c++) v128.store(dst + (c << 4), v128.load(src + (c << 4)));
        }
      }
      for (let i = 0; i < cnt; i++) {
        const g = v128.load(gs + ((<usize>i) << 4));
        const rowp = scratch + <usize>i * rowBytes;
        let j = 0;
        for (; j < n4; j += 4) {
          const q = rowp + <usize>j;
          const h = base + ((<usize>j) << 12);
          const p0 = h + ((<usize>load<u8>(q)) << 4);
          const p1 = h + 4096 + ((<usize>load<u8>(q, 1)) << 4);
          const p2 = h + 8192 + ((<usize>load<u8>(q, 2)) << 4);
          const p3 = h + 12288 + ((<usize>load<u8>(q, 3)) << 4);
          v128.store(p0, i64x2.add(v128.load(p0), g));
          v128.store(p1, i64x2.add(v128.load(p1), g));
          v128.store(p2, i64x2.add(v128.load(p2), g));
          v128.store(p3, i64x2.add(v128.load(p3), g));
        }
        for (; j < nf; j++) {
          const p = base + ((<usize>j) << 12) + ((<usize>load<u8>(rowp + <usize>j)) << 4);
          v128.store(p, i64x2.add(v128.load(p), g));
        }
      }
    }
  }
}

/**
 * Finishes treeHistFixed for features [f0, f0 + nf): adds the i64 pairs of the `others`
 * histograms (nOthers pointers, i32, at `others`) into `hist`, then turns its pairs into f64
 * (g, h) sums, in place: g·2^-eg, h·2^-eh.
 */
export function treeHistFixedSum(
  hist: usize,
  others: usize,
  nOthers: i32,
  f0: i32,
  nf: i32,
  eg: i32,
  eh: i32,
): void {
  const off = (<usize>f0) << 12;
  const end = off + ((<usize>nf) << 12);
  const inv = pow2Pair(-eg, -eh);
  for (let o = off; o < end; o += 16) {
    let v = v128.load(hist + o);
    for (let t = 0; t < nOthers; t++)
      v = i64x2.add(v, v128.load(<usize>load<u32>(others + ((<usize>t) << 2)) + o));
    const x = f64x2.replace_lane(
      f64x2.splat(<f64>i64x2.extract_lane(v, 0)),
      1,
      <f64>i64x2.extract_lane(v, 1),
    );
    v128.store(hist + o, f64x2.mul(x, inv));
  }
}
