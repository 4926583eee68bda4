// Per-row statistics of gradient boosting (src/ml/trees/boosting-fit.ts).

/**
 * Binary log-loss gradient and hessian of rows [start, end): p = sigmoid(F), g = (p − y)·w,
 * h = max(p(1 − p), 1e-16)·w, written as (g, h) pairs at `stats` and, as treeStatsFix would
 * with exponents eg and eh, as fixed-point pairs at `fixed`. `w` = 0: unit weights.
 */
export function treeGradLogistic(
  F: usize,
  y: usize,
  w: usize,
  stats: usize,
  fixed: usize,
  start: i32,
  end: i32,
  eg: i32,
  eh: i32,
): void {
  const scale = pow2Pair(eg, eh);
  for (let i = start; i < end; i++) {
    const o = (<usize>i) << 3;
    const p = 1 / (1 + Math.exp(-load<f64>(F + o)));
    let g = p - load<f64>(y + o);
    let h = max(p * (1 - p), 1e-16);
    if (w) {
      const wi = load<f64>(w + o);
      g *= wi;
      h *= wi;
    }
    const v = f64x2.replace_lane(f64x2.splat(g), 1, h);
    v128.store(stats + (o << 1), v);
    v128.store(fixed + (o << 1), toFixed(v, scale));
  }
}

/** 1.5·2^52: adding it rounds a double of magnitude below 2^51 to an integer, in its low bits. */
const MAGIC: f64 = 6755399441055744.0;

/**
 * A (g, h) pair times `scale`, rounded to the nearest integers (ties to even) as two i64: the
 * products stay below 2^51 in magnitude (fixedExponent), where the MAGIC sum is exact.
 */
function toFixed(v: v128, scale: v128): v128 {
  const m = f64x2.splat(MAGIC);
  return i64x2.sub(f64x2.add(f64x2.mul(v, scale), m), m);
}

/** 2^e as f64 (e in the normal range). */
function pow2(e: i32): f64 {
  return reinterpret<f64>((<i64>(e + 1023)) << 52);
}

/** The f64 pair (2^a, 2^b): the scales of a (g, h) pair. */
export function pow2Pair(a: i32, b: i32): v128 {
  return f64x2.replace_lane(f64x2.splat(pow2(a)), 1, pow2(b));
}

/** The largest |g| and |h| of the (g, h) pairs of rows [lo, hi), written at `out` (2 f64). */
export function treeStatsMax(stats: usize, lo: i32, hi: i32, out: usize): void {
  let m = f64x2.splat(0);
  for (let i = lo; i < hi; i++) m = f64x2.max(m, f64x2.abs(v128.load(stats + ((<usize>i) << 4))));
  v128.store(out, m);
}

/**
 * Fixed-point copies of the (g, h) pairs of rows [lo, hi): round(g·2^eg), round(h·2^eh) as two
 * i64 per row at `fixed`, for treeHistFixed (|g|·2^eg and |h|·2^eh below 2^51).
 */
export function treeStatsFix(stats: usize, fixed: usize, lo: i32, hi: i32, eg: i32, eh: i32): void {
  const scale = pow2Pair(eg, eh);
  for (let i = lo; i < hi; i++) {
    const o = (<usize>i) << 4;
    v128.store(fixed + o, toFixed(v128.load(stats + o), scale));
  }
}

/**
 * The (g, h) totals of rows[0, n) in row order, written at `out` (2 f64); with `iota` the
 * rows are first set to 0, 1, ..., n − 1.
 */
export function treeRowTotals(rows: usize, n: i32, stats: usize, iota: i32, out: usize): void {
  if (iota) for (let i = 0; i < n; i++) store<u32>(rows + ((<usize>i) << 2), <u32>i);
  let acc = f64x2.splat(0);
  for (let i = 0; i < n; i++) {
    const r = <usize>load<u32>(rows + ((<usize>i) << 2));
    acc = f64x2.add(acc, v128.load(stats + (r << 4)));
  }
  v128.store(out, acc);
}

/**
 * Adds each leaf's value to the scores of its rows: leaf l holds order[start[l], end[l]) (i32
 * bounds, f64 values); scores are K per row, this output's at offset k. Only the positions
 * [lo, hi) of `order` are done (the caller's share).
 */
export function treeAddLeaves(
  order: usize,
  starts: usize,
  ends: usize,
  values: usize,
  nLeaves: i32,
  F: usize,
  K: i32,
  k: i32,
  lo: i32,
  hi: i32,
): void {
  for (let l = 0; l < nLeaves; l++) {
    const o = (<usize>l) << 2;
    const v = load<f64>(values + ((<usize>l) << 3));
    const e = min(hi, load<i32>(ends + o));
    for (let j = max(lo, load<i32>(starts + o)); j < e; j++) {
      const p = F + ((<usize>load<u32>(order + ((<usize>j) << 2)) * <usize>K + <usize>k) << 3);
      store<f64>(p, load<f64>(p) + v);
    }
  }
}
