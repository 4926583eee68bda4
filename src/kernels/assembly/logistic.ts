// Binary logistic loss and gradient for LogisticRegression's L-BFGS, one fused pass per block
// of rows: z = X·w + bias (f64x2 over rows, column by column), the branch-free loss and
// residual r = sw·(sigmoid(z) − y) per row, then ∇w_j += x_j·r while the block is in cache.
// X is column-major with a stride of n rows; rows [start, end) are evaluated.

const BLOCK: i32 = 1024;

/**
 * Returns Σ sw·loss over the rows and adds the gradient into g (d coefficients, then the
 * intercept at g[d]). `z` is scratch for BLOCK f64.
 */
export function logisticBinary(
  x: usize,
  n: i32,
  d: i32,
  start: i32,
  end: i32,
  w: usize,
  bias: f64,
  y: usize,
  sw: usize,
  g: usize,
  z: usize,
): f64 {
  let f: f64 = 0;
  let gb: f64 = 0;
  const bv = f64x2.splat(bias);
  for (let s = start; s < end; s += BLOCK) {
    const e = min(end, s + BLOCK);
    const len = e - s;
    let i = 0;
    for (; i + 1 < len; i += 2) v128.store(z + ((<usize>i) << 3), bv);
    if (i < len) store<f64>(z + ((<usize>i) << 3), bias);
    for (let j = 0; j < d; j++) {
      const wj = load<f64>(w + ((<usize>j) << 3));
      if (wj === 0) continue;
      const wv = f64x2.splat(wj);
      const col = x + ((<usize>j * <usize>n + <usize>s) << 3);
      i = 0;
      for (; i + 1 < len; i += 2) {
        const p = z + ((<usize>i) << 3);
        v128.store(p, f64x2.add(v128.load(p), f64x2.mul(wv, v128.load(col + ((<usize>i) << 3)))));
      }
      if (i < len) {
        const p = z + ((<usize>i) << 3);
        store<f64>(p, load<f64>(p) + wj * load<f64>(col + ((<usize>i) << 3)));
      }
    }
    for (i = 0; i < len; i++) {
      const zi = load<f64>(z + ((<usize>i) << 3));
      const yi = <f64>load<i32>(y + ((<usize>(s + i)) << 2));
      const wi = load<f64>(sw + ((<usize>(s + i)) << 3));
      // loss = log(1 + e^−z) + (1 − y)·z; e^−z overflows only where log(1 + e^−z) = −z.
      const ex = Math.exp(-zi);
      f += wi * ((zi > -36 ? Math.log1p(ex) : -zi) + (1 - yi) * zi);
      const r = wi * (1 / (1 + ex) - yi);
      store<f64>(z + ((<usize>i) << 3), r);
      gb += r;
    }
    for (let j = 0; j < d; j++) {
      const col = x + ((<usize>j * <usize>n + <usize>s) << 3);
      let acc = f64x2.splat(0);
      i = 0;
      for (; i + 1 < len; i += 2) {
        acc = f64x2.add(acc, f64x2.mul(v128.load(col + ((<usize>i) << 3)), v128.load(z + ((<usize>i) << 3))));
      }
      let t = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      if (i < len) t += load<f64>(col + ((<usize>i) << 3)) * load<f64>(z + ((<usize>i) << 3));
      store<f64>(g + ((<usize>j) << 3), load<f64>(g + ((<usize>j) << 3)) + t);
    }
  }
  store<f64>(g + ((<usize>d) << 3), load<f64>(g + ((<usize>d) << 3)) + gb);
  return f;
}
