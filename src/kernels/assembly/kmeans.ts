// k-means kernels (src/ml/clustering): squared Euclidean distances of row-major f64 rows to
// k centers, two lanes at a time with two accumulators per distance (breaks the add chain).
// `weights` 0 means unit weights; every pointer is a byte offset into the shared memory.

function sqDist(x: usize, c: usize, d: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let t = 0;
  for (; t + 3 < d; t += 4) {
    const o = (<usize>t) << 3;
    const u0 = f64x2.sub(v128.load(x + o), v128.load(c + o));
    const u1 = f64x2.sub(v128.load(x + o, 16), v128.load(c + o, 16));
    a0 = f64x2.add(a0, f64x2.mul(u0, u0));
    a1 = f64x2.add(a1, f64x2.mul(u1, u1));
  }
  if (t + 1 < d) {
    const o = (<usize>t) << 3;
    const u0 = f64x2.sub(v128.load(x + o), v128.load(c + o));
    a0 = f64x2.add(a0, f64x2.mul(u0, u0));
    t += 2;
  }
  const s = f64x2.add(a0, a1);
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (t < d) {
    const o = (<usize>t) << 3;
    const u = load<f64>(x + o) - load<f64>(c + o);
    r += u * u;
  }
  return r;
}

// Lloyd's labelling pass over rows [start, end): each row gets its nearest center (lowest index
// on a tie; plain differences, exact for near-duplicate rows, unlike ‖x‖² − 2x·c + ‖c‖²); its
// weighted coordinates are added to `sums` (k × d, skipped when 0) and its weight to `mass` (k).
// When `minDist` is not 0 each row's squared distance is stored there. Returns Σ w·d².
export function kmeansAssign(
  data: usize,
  start: i32,
  end: i32,
  d: i32,
  centers: usize,
  k: i32,
  weights: usize,
  labels: usize,
  sums: usize,
  mass: usize,
  minDist: usize,
): f64 {
  const rowBytes = (<usize>d) << 3;
  let inertia: f64 = 0;
  for (let i = start; i < end; i++) {
    const x = data + <usize>i * rowBytes;
    let best = 0;
    let bestS = Infinity;
    let c = 0;
    // Two centers at a time share the loads of x and give two independent add chains.
    for (; c + 1 < k; c += 2) {
      const c0 = centers + <usize>c * rowBytes;
      const c1 = c0 + rowBytes;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let t = 0;
      for (; t + 1 < d; t += 2) {
        const o = (<usize>t) << 3;
        const xv = v128.load(x + o);
        const u0 = f64x2.sub(xv, v128.load(c0 + o));
        const u1 = f64x2.sub(xv, v128.load(c1 + o));
        a0 = f64x2.add(a0, f64x2.mul(u0, u0));
        a1 = f64x2.add(a1, f64x2.mul(u1, u1));
      }
      let s0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
      let s1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
      if (t < d) {
        const o = (<usize>t) << 3;
        const xs = load<f64>(x + o);
        const u0 = xs - load<f64>(c0 + o);
        const u1 = xs - load<f64>(c1 + o);
        s0 += u0 * u0;
        s1 += u1 * u1;
      }
      if (s0 < bestS) {
        bestS = s0;
        best = c;
      }
      if (s1 < bestS) {
        bestS = s1;
        best = c + 1;
      }
    }
    if (c < k) {
      const s0 = sqDist(x, centers + <usize>c * rowBytes, d);
      if (s0 < bestS) {
        bestS = s0;
        best = c;
      }
    }
    store<i32>(labels + ((<usize>i) << 2), best);
    const dist = bestS;
    if (minDist !== 0) store<f64>(minDist + ((<usize>i) << 3), dist);
    const w: f64 = weights !== 0 ? load<f64>(weights + ((<usize>i) << 3)) : 1.0;
    inertia += w * dist;
    if (sums !== 0) {
      const mp = mass + ((<usize>best) << 3);
      store<f64>(mp, load<f64>(mp) + w);
      accumulate(sums + <usize>best * rowBytes, x, d, w);
    }
  }
  return inertia;
}

function accumulate(s: usize, x: usize, d: i32, w: f64): void {
  const wv = f64x2.splat(w);
  let t = 0;
  for (; t + 1 < d; t += 2) {
    const o = (<usize>t) << 3;
    v128.store(s + o, f64x2.add(v128.load(s + o), f64x2.mul(v128.load(x + o), wv)));
  }
  if (t < d) {
    const o = (<usize>t) << 3;
    store<f64>(s + o, load<f64>(s + o) + load<f64>(x + o) * w);
  }
}

// Elkan's first pass over rows [start, end): labels, upper bounds (n) and lower bounds (n × k),
// a center measured only when it could beat the best so far (`half`: k × k half distances).
export function kmeansElkanInit(
  data: usize,
  start: i32,
  end: i32,
  d: i32,
  centers: usize,
  k: i32,
  half: usize,
  labels: usize,
  upper: usize,
  lower: usize,
): void {
  const rowBytes = (<usize>d) << 3;
  for (let i = start; i < end; i++) {
    const x = data + <usize>i * rowBytes;
    const lo = lower + <usize>i * ((<usize>k) << 3);
    let best = 0;
    let min = Math.sqrt(sqDist(x, centers, d));
    store<f64>(lo, min);
    for (let c = 1; c < k; c++) {
      if (min > load<f64>(half + ((<usize>best * k + c) << 3))) {
        const v = Math.sqrt(sqDist(x, centers + <usize>c * rowBytes, d));
        store<f64>(lo + ((<usize>c) << 3), v);
        if (v < min) {
          min = v;
          best = c;
        }
      }
    }
    store<i32>(labels + ((<usize>i) << 2), best);
    store<f64>(upper + ((<usize>i) << 3), min);
  }
}

// One Elkan labelling pass over rows [start, end) under the bounds (see src/ml/clustering/elkan.ts),
// accumulating the clusters' weighted sums and masses.
export function kmeansElkanStep(
  data: usize,
  start: i32,
  end: i32,
  d: i32,
  centers: usize,
  k: i32,
  weights: usize,
  half: usize,
  nextHalf: usize,
  labels: usize,
  upper: usize,
  lower: usize,
  sums: usize,
  mass: usize,
): void {
  const rowBytes = (<usize>d) << 3;
  const kBytes = (<usize>k) << 3;
  for (let i = start; i < end; i++) {
    const x = data + <usize>i * rowBytes;
    const lo = lower + <usize>i * kBytes;
    const lp = labels + ((<usize>i) << 2);
    const up = upper + ((<usize>i) << 3);
    let label = load<i32>(lp);
    let ub = load<f64>(up);
    if (ub > load<f64>(nextHalf + ((<usize>label) << 3))) {
      let tight = false;
      for (let c = 0; c < k; c++) {
        const cOff = (<usize>c) << 3;
        if (c === label || ub <= load<f64>(lo + cOff) || ub <= load<f64>(half + <usize>label * kBytes + cOff))
          continue;
        if (!tight) {
          ub = Math.sqrt(sqDist(x, centers + <usize>label * rowBytes, d));
          store<f64>(lo + ((<usize>label) << 3), ub);
          tight = true;
          if (ub <= load<f64>(lo + cOff) || ub <= load<f64>(half + <usize>label * kBytes + cOff)) continue;
        }
        const v = Math.sqrt(sqDist(x, centers + <usize>c * rowBytes, d));
        store<f64>(lo + cOff, v);
        if (v < ub) {
          label = c;
          ub = v;
        }
      }
      store<i32>(lp, label);
      store<f64>(up, ub);
    }
    const w: f64 = weights !== 0 ? load<f64>(weights + ((<usize>i) << 3)) : 1.0;
    const mp = mass + ((<usize>label) << 3);
    store<f64>(mp, load<f64>(mp) + w);
    accumulate(sums + <usize>label * rowBytes, x, d, w);
  }
}

// Loosens the bounds of rows [start, end) after the centers moved by `shift` (k).
export function kmeansElkanShift(
  start: i32,
  end: i32,
  k: i32,
  shift: usize,
  labels: usize,
  upper: usize,
  lower: usize,
): void {
  const kBytes = (<usize>k) << 3;
  const zero = f64x2.splat(0);
  for (let i = start; i < end; i++) {
    const up = upper + ((<usize>i) << 3);
    const label = load<i32>(labels + ((<usize>i) << 2));
    store<f64>(up, load<f64>(up) + load<f64>(shift + ((<usize>label) << 3)));
    const lo = lower + <usize>i * kBytes;
    let c = 0;
    for (; c + 1 < k; c += 2) {
      const o = (<usize>c) << 3;
      v128.store(lo + o, f64x2.max(f64x2.sub(v128.load(lo + o), v128.load(shift + o)), zero));
    }
    if (c < k) {
      const o = (<usize>c) << 3;
      const v = load<f64>(lo + o) - load<f64>(shift + o);
      store<f64>(lo + o, v > 0 ? v : 0);
    }
  }
}

// Σ w·‖x_i − c_label(i)‖² over rows [start, end) (labels as given, not recomputed).
export function kmeansInertia(
  data: usize,
  start: i32,
  end: i32,
  d: i32,
  centers: usize,
  labels: usize,
  weights: usize,
): f64 {
  const rowBytes = (<usize>d) << 3;
  let s: f64 = 0;
  for (let i = start; i < end; i++) {
    const c = <usize>load<i32>(labels + ((<usize>i) << 2));
    const v = sqDist(data + <usize>i * rowBytes, centers + c * rowBytes, d);
    s += weights !== 0 ? load<f64>(weights + ((<usize>i) << 3)) * v : v;
  }
  return s;
}

// Prepares a block of a fit's rows: `block` holds d columns of m f64 one after another; writes
// them row-major into `out` (m × d) and adds each column's sum into sums[j]. Returns −1 when
// every value is finite, else the position j·m + i of the first value that is not.
export function kmeansPrepare(block: usize, m: i32, d: i32, out: usize, sums: usize): i32 {
  const colBytes = (<usize>m) << 3;
  const rowBytes = (<usize>d) << 3;
  for (let j = 0; j < d; j++) {
    const col = block + <usize>j * colBytes;
    const dst = out + ((<usize>j) << 3);
    let sum: f64 = 0;
    for (let i = 0; i < m; i++) {
      const v = load<f64>(col + ((<usize>i) << 3));
      if (v - v !== 0) return j * m + i;
      sum += v;
      store<f64>(dst + <usize>i * rowBytes, v);
    }
    const sp = sums + ((<usize>j) << 3);
    store<f64>(sp, load<f64>(sp) + sum);
  }
  return -1;
}

// Adds Σ (x_ij − means[j])² over rows [0, n) of row-major `rows` (n × d) into out[j].
export function kmeansSquares(rows: usize, n: i32, d: i32, means: usize, out: usize): void {
  const rowBytes = (<usize>d) << 3;
  for (let i = 0; i < n; i++) {
    const x = rows + <usize>i * rowBytes;
    for (let j = 0; j < d; j++) {
      const o = (<usize>j) << 3;
      const u = load<f64>(x + o) - load<f64>(means + o);
      store<f64>(out + o, load<f64>(out + o) + u * u);
    }
  }
}

// k-means++ scoring of t candidates at once over rows [0, n) (each row read once): for candidate
// j (row j of `cands`, t × d), out[j·n + i] = min(closest[i], ‖x_i − cand_j‖²) and pots[j] +=
// w·out[j·n + i]. `outStride` is the distance between the candidates' out arrays (in values).
export function kmeansClosestMany(
  data: usize,
  n: i32,
  d: i32,
  cands: usize,
  t: i32,
  closest: usize,
  weights: usize,
  out: usize,
  outStride: i32,
  pots: usize,
): void {
  const rowBytes = (<usize>d) << 3;
  const strideBytes = (<usize>outStride) << 3;
  for (let i = 0; i < n; i++) {
    const x = data + <usize>i * rowBytes;
    const c = load<f64>(closest + ((<usize>i) << 3));
    const w: f64 = weights !== 0 ? load<f64>(weights + ((<usize>i) << 3)) : 1.0;
    for (let j = 0; j < t; j++) {
      let v = sqDist(x, cands + <usize>j * rowBytes, d);
      if (c < v) v = c;
      store<f64>(out + <usize>j * strideBytes + ((<usize>i) << 3), v);
      const pp = pots + ((<usize>j) << 3);
      store<f64>(pp, load<f64>(pp) + w * v);
    }
  }
}
