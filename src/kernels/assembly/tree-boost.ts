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
