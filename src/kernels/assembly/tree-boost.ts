// Per-row statistics of gradient boosting (src/ml/trees/boosting-fit.ts).

/**
 * Binary log-loss gradient and hessian of rows [start, end): p = sigmoid(F), g = (p − y)·w,
 * h = max(p(1 − p), 1e-16)·w, written as (g, h) pairs at `stats`. `w` = 0: unit weights.
 */
export function treeGradLogistic(F: usize, y: usize, w: usize, stats: usize, start: i32, end: i32): void {
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
    store<f64>(stats + (o << 1), g);
    store<f64>(stats + (o << 1), h, 8);
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
