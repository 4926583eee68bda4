// Dense matrix product for neural networks: C (m × n, row stride ldc) = A·B, or += A·B when
// `accumulate` is non-zero. A(i, p) is the f64 at a + 8·(i·sam + p·sak), so A can be read
// transposed through its strides; B is k × n row-major with row stride ldb. All arguments are
// byte offsets / element counts into the shared memory.
//
// 6 × 4 register blocks of C (twelve f64x2 accumulators), then 4 × 4, then single rows: each
// pair of B values is loaded once per block of rows, each A element splatted once per 4
// columns; leftover columns use scalar loops.

function ld(base: usize, index: i32): f64 {
  return load<f64>(base + ((<usize>index) << 3));
}

// Rows [i, i + 6) of C over the 4-column blocks: twelve f64x2 accumulators (15 of the 16
// SIMD registers with the two B vectors and the splat).
function block6(
  i: i32,
  n4: i32,
  k: i32,
  a: usize,
  sam: i32,
  sak: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  accumulate: i32,
): void {
  const zero = f64x2.splat(0);
  const rowC = (<usize>ldc) << 3;
  const rowA = (<usize>sam) << 3;
  const c0 = c + ((<usize>(i * ldc)) << 3);
  const a0 = a + ((<usize>(i * sam)) << 3);
  const bStep = (<usize>ldb) << 3;
  const aStep = (<usize>sak) << 3;
  for (let j = 0; j < n4; j += 4) {
    const jb = (<usize>j) << 3;
    let x00 = zero;
    let x01 = zero;
    let x10 = zero;
    let x11 = zero;
    let x20 = zero;
    let x21 = zero;
    let x30 = zero;
    let x31 = zero;
    let x40 = zero;
    let x41 = zero;
    let x50 = zero;
    let x51 = zero;
    if (accumulate) {
      x00 = v128.load(c0 + 0 * rowC + jb);
      x01 = v128.load(c0 + 0 * rowC + jb, 16);
      x10 = v128.load(c0 + 1 * rowC + jb);
      x11 = v128.load(c0 + 1 * rowC + jb, 16);
      x20 = v128.load(c0 + 2 * rowC + jb);
      x21 = v128.load(c0 + 2 * rowC + jb, 16);
      x30 = v128.load(c0 + 3 * rowC + jb);
      x31 = v128.load(c0 + 3 * rowC + jb, 16);
      x40 = v128.load(c0 + 4 * rowC + jb);
      x41 = v128.load(c0 + 4 * rowC + jb, 16);
      x50 = v128.load(c0 + 5 * rowC + jb);
      x51 = v128.load(c0 + 5 * rowC + jb, 16);
    }
    let bp = b + jb;
    let ap = a0;
    for (let p = 0; p < k; p++) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      const s0 = f64x2.splat(load<f64>(ap + 0 * rowA));
      x00 = f64x2.add(x00, f64x2.mul(s0, b0));
      x01 = f64x2.add(x01, f64x2.mul(s0, b1));
      const s1 = f64x2.splat(load<f64>(ap + 1 * rowA));
      x10 = f64x2.add(x10, f64x2.mul(s1, b0));
      x11 = f64x2.add(x11, f64x2.mul(s1, b1));
      const s2 = f64x2.splat(load<f64>(ap + 2 * rowA));
      x20 = f64x2.add(x20, f64x2.mul(s2, b0));
      x21 = f64x2.add(x21, f64x2.mul(s2, b1));
      const s3 = f64x2.splat(load<f64>(ap + 3 * rowA));
      x30 = f64x2.add(x30, f64x2.mul(s3, b0));
      x31 = f64x2.add(x31, f64x2.mul(s3, b1));
      const s4 = f64x2.splat(load<f64>(ap + 4 * rowA));
      x40 = f64x2.add(x40, f64x2.mul(s4, b0));
      x41 = f64x2.add(x41, f64x2.mul(s4, b1));
      const s5 = f64x2.splat(load<f64>(ap + 5 * rowA));
      x50 = f64x2.add(x50, f64x2.mul(s5, b0));
      x51 = f64x2.add(x51, f64x2.mul(s5, b1));
      bp += bStep;
      ap += aStep;
    }
    v128.store(c0 + 0 * rowC + jb, x00);
    v128.store(c0 + 0 * rowC + jb, x01, 16);
    v128.store(c0 + 1 * rowC + jb, x10);
    v128.store(c0 + 1 * rowC + jb, x11, 16);
    v128.store(c0 + 2 * rowC + jb, x20);
    v128.store(c0 + 2 * rowC + jb, x21, 16);
    v128.store(c0 + 3 * rowC + jb, x30);
    v128.store(c0 + 3 * rowC + jb, x31, 16);
    v128.store(c0 + 4 * rowC + jb, x40);
    v128.store(c0 + 4 * rowC + jb, x41, 16);
    v128.store(c0 + 5 * rowC + jb, x50);
    v128.store(c0 + 5 * rowC + jb, x51, 16);
  }
}

export function gemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  sam: i32,
  sak: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  accumulate: i32,
): void {
  const zero = f64x2.splat(0);
  if (n === 1 && sam === 1 && ldc === 1 && m > 1) {
    // A matrix-vector product with Aᵀ row-major (a layer's 1-output weight gradient):
    // Cᵀ = bᵀ·Aᵀ, a single row of C over m columns, which the SIMD row path below handles.
    gemm(1, m, k, b, 1, ldb, a, sak, c, 1, accumulate);
    return;
  }
  if (n === 1 && sak === 1) {
    // Row-by-row dot products over contiguous A rows (a layer with a single output).
    for (let i = 0; i < m; i++) {
      const ai = a + ((<usize>(i * sam)) << 3);
      let s = f64x2.splat(0);
      const k2 = k & ~1;
      for (let p = 0; p < k2; p += 2) {
        const bv = f64x2.replace_lane(f64x2.splat(ld(b, p * ldb)), 1, ld(b, (p + 1) * ldb));
        s = f64x2.add(s, f64x2.mul(v128.load(ai + ((<usize>p) << 3)), bv));
      }
      let y = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      if (k2 < k) y += ld(ai, k2) * ld(b, k2 * ldb);
      const ci = c + ((<usize>(i * ldc)) << 3);
      store<f64>(ci, accumulate ? load<f64>(ci) + y : y);
    }
    return;
  }
  const n4 = n & ~3;
  let i = 0;
  for (; i + 6 <= m; i += 6) {
    block6(i, n4, k, a, sam, sak, b, ldb, c, ldc, accumulate);
    for (let j = n4; j < n; j++) {
      for (let r = i; r < i + 6; r++) {
        const cr = c + ((<usize>(r * ldc + j)) << 3);
        let y = accumulate ? load<f64>(cr) : 0;
        for (let p = 0; p < k; p++) y += ld(a, r * sam + p * sak) * ld(b, p * ldb + j);
        store<f64>(cr, y);
      }
    }
  }
  for (; i + 4 <= m; i += 4) {
    const c0 = c + ((<usize>(i * ldc)) << 3);
    const c1 = c0 + ((<usize>ldc) << 3);
    const c2 = c1 + ((<usize>ldc) << 3);
    const c3 = c2 + ((<usize>ldc) << 3);
    const a0 = a + ((<usize>(i * sam)) << 3);
    const a1 = a0 + ((<usize>sam) << 3);
    const a2 = a1 + ((<usize>sam) << 3);
    const a3 = a2 + ((<usize>sam) << 3);
    for (let j = 0; j < n4; j += 4) {
      const jb = (<usize>j) << 3;
      let x00 = zero;
      let x01 = zero;
      let x10 = zero;
      let x11 = zero;
      let x20 = zero;
      let x21 = zero;
      let x30 = zero;
      let x31 = zero;
      if (accumulate) {
        x00 = v128.load(c0 + jb);
        x01 = v128.load(c0 + jb, 16);
        x10 = v128.load(c1 + jb);
        x11 = v128.load(c1 + jb, 16);
        x20 = v128.load(c2 + jb);
        x21 = v128.load(c2 + jb, 16);
        x30 = v128.load(c3 + jb);
        x31 = v128.load(c3 + jb, 16);
      }
      let bp = b + jb;
      const bStep = (<usize>ldb) << 3;
      let ap: usize = 0;
      const aStep = (<usize>sak) << 3;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const s0 = f64x2.splat(load<f64>(a0 + ap));
        x00 = f64x2.add(x00, f64x2.mul(s0, b0));
        x01 = f64x2.add(x01, f64x2.mul(s0, b1));
        const s1 = f64x2.splat(load<f64>(a1 + ap));
        x10 = f64x2.add(x10, f64x2.mul(s1, b0));
        x11 = f64x2.add(x11, f64x2.mul(s1, b1));
        const s2 = f64x2.splat(load<f64>(a2 + ap));
        x20 = f64x2.add(x20, f64x2.mul(s2, b0));
        x21 = f64x2.add(x21, f64x2.mul(s2, b1));
        const s3 = f64x2.splat(load<f64>(a3 + ap));
        x30 = f64x2.add(x30, f64x2.mul(s3, b0));
        x31 = f64x2.add(x31, f64x2.mul(s3, b1));
        bp += bStep;
        ap += aStep;
      }
      v128.store(c0 + jb, x00);
      v128.store(c0 + jb, x01, 16);
      v128.store(c1 + jb, x10);
      v128.store(c1 + jb, x11, 16);
      v128.store(c2 + jb, x20);
      v128.store(c2 + jb, x21, 16);
      v128.store(c3 + jb, x30);
      v128.store(c3 + jb, x31, 16);
    }
    for (let j = n4; j < n; j++) {
      let y0 = accumulate ? ld(c0, j) : 0;
      let y1 = accumulate ? ld(c1, j) : 0;
      let y2 = accumulate ? ld(c2, j) : 0;
      let y3 = accumulate ? ld(c3, j) : 0;
      for (let p = 0; p < k; p++) {
        const bv = ld(b, p * ldb + j);
        const ap = p * sak;
        y0 += ld(a0, ap) * bv;
        y1 += ld(a1, ap) * bv;
        y2 += ld(a2, ap) * bv;
        y3 += ld(a3, ap) * bv;
      }
      store<f64>(c0 + ((<usize>j) << 3), y0);
      store<f64>(c1 + ((<usize>j) << 3), y1);
      store<f64>(c2 + ((<usize>j) << 3), y2);
      store<f64>(c3 + ((<usize>j) << 3), y3);
    }
  }
  for (; i < m; i++) {
    const ci = c + ((<usize>(i * ldc)) << 3);
    const ai = a + ((<usize>(i * sam)) << 3);
    for (let j = 0; j < n4; j += 4) {
      const jb = (<usize>j) << 3;
      let x0 = accumulate ? v128.load(ci + jb) : zero;
      let x1 = accumulate ? v128.load(ci + jb, 16) : zero;
      for (let p = 0; p < k; p++) {
        const bp = b + ((<usize>(p * ldb)) << 3) + jb;
        const s = f64x2.splat(ld(ai, p * sak));
        x0 = f64x2.add(x0, f64x2.mul(s, v128.load(bp)));
        x1 = f64x2.add(x1, f64x2.mul(s, v128.load(bp, 16)));
      }
      v128.store(ci + jb, x0);
      v128.store(ci + jb, x1, 16);
    }
    for (let j = n4; j < n; j++) {
      let y = accumulate ? ld(ci, j) : 0;
      for (let p = 0; p < k; p++) y += ld(ai, p * sak) * ld(b, p * ldb + j);
      store<f64>(ci + ((<usize>j) << 3), y);
    }
  }
}

// Row i of y (n × k) = b (k values): a layer's bias, before `gemm` accumulates into it.
export function fillRows(y: usize, b: usize, n: i32, k: i32): void {
  const bytes = (<usize>k) << 3;
  for (let i = 0; i < n; i++) memory.copy(y + <usize>i * bytes, b, bytes);
}

// out (k values) = column sums of d (n × k): a layer's bias gradient.
export function colSums(d: usize, n: i32, k: i32, out: usize): void {
  const k2 = k & ~1;
  for (let j = 0; j < k2; j += 2) {
    let s = f64x2.splat(0);
    let p = d + ((<usize>j) << 3);
    const step = (<usize>k) << 3;
    for (let i = 0; i < n; i++) {
      s = f64x2.add(s, v128.load(p));
      p += step;
    }
    v128.store(out + ((<usize>j) << 3), s);
  }
  if (k2 < k) {
    let s: f64 = 0;
    for (let i = 0; i < n; i++) s += load<f64>(d + ((<usize>(i * k + k2)) << 3));
    store<f64>(out + ((<usize>k2) << 3), s);
  }
}

// Activations in place over len values; kind: 0 identity, 1 logistic, 2 tanh, 3 relu
// (the order of ACTIVATIONS in src/ml/neural/layers.ts). ReLU maps NaN to 0 as the TypeScript one.
export function activate(kind: i32, x: usize, len: i32): void {
  if (kind === 3) {
    const zero = f64x2.splat(0);
    const len2 = len & ~1;
    for (let i = 0; i < len2; i += 2) {
      const p = x + ((<usize>i) << 3);
      v128.store(p, f64x2.pmax(zero, v128.load(p)));
    }
    if (len2 < len) {
      const p = x + ((<usize>len2) << 3);
      const v = load<f64>(p);
      store<f64>(p, v > 0 ? v : 0);
    }
  } else if (kind === 2) {
    for (let i = 0; i < len; i++) {
      const p = x + ((<usize>i) << 3);
      store<f64>(p, Math.tanh(load<f64>(p)));
    }
  } else if (kind === 1) {
    for (let i = 0; i < len; i++) {
      const p = x + ((<usize>i) << 3);
      store<f64>(p, 1 / (1 + Math.exp(-load<f64>(p))));
    }
  }
}

// d *= f'(·) in place, with the derivative taken from the activation's output y.
export function activateBackward(kind: i32, d: usize, y: usize, len: i32): void {
  const len2 = len & ~1;
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  for (let i = 0; i < len2; i += 2) {
    const o = (<usize>i) << 3;
    const yv = v128.load(y + o);
    const dv = v128.load(d + o);
    if (kind === 3) v128.store(d + o, v128.and(dv, f64x2.ne(yv, zero)));
    else if (kind === 2) v128.store(d + o, f64x2.mul(dv, f64x2.sub(one, f64x2.mul(yv, yv))));
    else if (kind === 1) v128.store(d + o, f64x2.mul(dv, f64x2.mul(yv, f64x2.sub(one, yv))));
  }
  if (len2 < len) {
    const o = (<usize>len2) << 3;
    const yv = load<f64>(y + o);
    const dv = load<f64>(d + o);
    if (kind === 3) store<f64>(d + o, yv === 0 ? 0 : dv);
    else if (kind === 2) store<f64>(d + o, dv * (1 - yv * yv));
    else if (kind === 1) store<f64>(d + o, dv * (yv * (1 - yv)));
  }
}

// dst (n × d, row-major) = the rows rows[0..n) of src (row-major, d columns): a shuffled
// mini-batch. Rows are random, so their cache and TLB misses dominate; a short loop body
// lets the CPU keep many of them in flight.
export function gatherRows(dst: usize, src: usize, rows: usize, n: i32, d: i32): void {
  const bytes = (<usize>d) << 3;
  const d2 = d & ~1;
  for (let i = 0; i < n; i++) {
    const from = src + <usize>load<i32>(rows + ((<usize>i) << 2)) * bytes;
    const to = dst + <usize>i * bytes;
    for (let j = 0; j < d2; j += 2) v128.store(to + ((<usize>j) << 3), v128.load(from + ((<usize>j) << 3)));
    if (d2 < d) store<f64>(to + ((<usize>d2) << 3), load<f64>(from + ((<usize>d2) << 3)));
  }
}
