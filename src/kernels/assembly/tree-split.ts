// Split search of the tree learner (src/ml/trees/learner.ts) over (gradient, hessian)
// histograms: 256 bins × 16 bytes per feature at hist + feature × 4096, bin 0 = missing.
// Same arithmetic, order and tie rule (strictly greater gain, features in list order, bins
// ascending, "missing right" before "missing left") as the learner's JavaScript scan, so the
// trees do not depend on which one ran.

/**
 * The best numeric split over the listed features. `nbins` holds each feature's number of
 * value bins (i32). Writes at `out`: f64 gain, f64 left gradient, f64 left hessian, then i32
 * feature, i32 last left bin, i32 missing-left (0/1). Returns the feature, or -1 when no split
 * gains more than `floor`.
 */
export function treeBestSplit(
  hist: usize,
  feats: usize,
  nf: i32,
  nbins: usize,
  Pg: f64,
  Pw: f64,
  cf: f64,
  lam: f64,
  minW: f64,
  minN: f64,
  parent: f64,
  floor: f64,
  out: usize,
): i32 {
  let best = floor;
  let bestF: i32 = -1;
  let bestB: i32 = 0;
  let bestMiss: i32 = 0;
  let bestLg = 0.0;
  let bestLw = 0.0;
  // What a candidate's lg²/(lw+λ) + rg²/(rw+λ) must reach, less a margin far above rounding.
  let target = (best + parent) * (1 - 1e-9);
  for (let j = 0; j < nf; j++) {
    const f = load<i32>(feats + ((<usize>j) << 2));
    const nb = load<i32>(nbins + ((<usize>f) << 2));
    const base = hist + ((<usize>f) << 12);
    const Mg = load<f64>(base);
    const Mw = load<f64>(base, 8);
    const passes = Mw > 0 ? 2 : 1;
    let Lg = 0.0;
    let Lw = 0.0;
    if (passes === 1) {
      // No missing values in the node: one candidate per bin (missing goes to the heavier side).
      for (let b = 1; b <= nb; b++) {
        const p = base + ((<usize>b) << 4);
        const bw = load<f64>(p, 8);
        if (bw === 0) continue;
        Lg += load<f64>(p);
        Lw += bw;
        const rg = Pg - Lg;
        const rw = Pw - Lw;
        const dl = Lw + lam;
        const dr = rw + lam;
        const xl = Lg * Lg;
        const xr = rg * rg;
        if (xl * dr + xr * dl < target * dl * dr) continue;
        if (Lw < minW || rw < minW || Lw * cf < minN || rw * cf < minN || !(Lw > 0) || !(rw > 0)) continue;
        const g = xl / dl + xr / dr - parent;
        if (g > best) {
          best = g;
          bestF = f;
          bestB = b;
          bestMiss = Lw >= rw ? 1 : 0;
          bestLg = Lg;
          bestLw = Lw;
          target = (best + parent) * (1 - 1e-9);
        }
      }
      continue;
    }
    for (let b = 1; b <= nb; b++) {
      const p = base + ((<usize>b) << 4);
      const bw = load<f64>(p, 8);
      if (bw === 0) continue;
      Lg += load<f64>(p);
      Lw += bw;
      for (let miss = 0; miss < passes; miss++) {
        const lg = miss ? Lg + Mg : Lg;
        const lw = miss ? Lw + Mw : Lw;
        const rg = Pg - lg;
        const rw = Pw - lw;
        const dl = lw + lam;
        const dr = rw + lam;
        const xl = lg * lg;
        const xr = rg * rg;
        // Without a division first (denominators > 0 once the checks below pass).
        if (xl * dr + xr * dl < target * dl * dr) continue;
        if (lw < minW || rw < minW || lw * cf < minN || rw * cf < minN || !(lw > 0) || !(rw > 0)) continue;
        const g = xl / dl + xr / dr - parent;
        if (g > best) {
          best = g;
          bestF = f;
          bestB = b;
          bestMiss = miss === 1 || (Mw === 0 && lw >= rw) ? 1 : 0;
          bestLg = lg;
          bestLw = lw;
          target = (best + parent) * (1 - 1e-9);
        }
      }
    }
  }
  store<f64>(out, best);
  store<f64>(out, bestLg, 8);
  store<f64>(out, bestLw, 16);
  store<i32>(out, bestF, 24);
  store<i32>(out, bestB, 28);
  store<i32>(out, bestMiss, 32);
  return bestF;
}

/** parent −= small over the histograms of features [f0, f0 + nf) (c2 (g, h) pairs per bin). */
export function treeHistSub(parent: usize, small: usize, f0: i32, nf: i32, c2: i32): void {
  const size = (<usize>c2) << 12;
  const off = <usize>f0 * size;
  const end = off + <usize>nf * size;
  for (let o = off; o < end; o += 32) {
    v128.store(parent + o, f64x2.sub(v128.load(parent + o), v128.load(small + o)));
    v128.store(parent + o, f64x2.sub(v128.load(parent + o, 16), v128.load(small + o, 16)), 16);
  }
}

/**
 * treeBestSplit for a node of few rows (cnt ≤ 256), without a histogram: per feature, the
 * bins its rows touch are summed (row order, as the histogram kernels do) into a sparse
 * histogram and scanned in bin order. `cols` is the column-major binned matrix (nRows bytes
 * per feature), `rows` the node's rows, `stats` (g, h) pairs per row. `scratch` holds 4096 +
 * 256 + 1040 + 16·cnt bytes (zeroed sums and marks are left zeroed). Same output as
 * treeBestSplit.
 */
export function treeBestSplitSmall(
  cols: usize,
  nRows: i32,
  rows: usize,
  cnt: i32,
  stats: usize,
  feats: usize,
  nf: i32,
  Pg: f64,
  Pw: f64,
  cf: f64,
  lam: f64,
  minW: f64,
  minN: f64,
  parent: f64,
  floor: f64,
  out: usize,
  scratch: usize,
): i32 {
  const acc = scratch;
  const mark = scratch + 4096;
  const touched = mark + 256;
  const gs = touched + 1040; // 257 slots: one past the last distinct bin is written
  for (let k = 0; k < cnt; k++) {
    const r = <usize>load<u32>(rows + ((<usize>k) << 2));
    v128.store(gs + ((<usize>k) << 4), v128.load(stats + (r << 4)));
  }
  let best = floor;
  let bestF: i32 = -1;
  let bestB: i32 = 0;
  let bestMiss: i32 = 0;
  let bestLg = 0.0;
  let bestLw = 0.0;
  let target = (best + parent) * (1 - 1e-9);
  for (let j = 0; j < nf; j++) {
    const f = load<i32>(feats + ((<usize>j) << 2));
    const col = cols + <usize>f * <usize>nRows;
    let nt = 0;
    for (let k = 0; k < cnt; k++) {
      const b = <usize>load<u8>(col + <usize>load<u32>(rows + ((<usize>k) << 2)));
      // Branch-free: a bin seen for the first time is kept in `touched`.
      store<i32>(touched + ((<usize>nt) << 2), <i32>b);
      nt += 1 - <i32>load<u8>(mark + b);
      store<u8>(mark + b, 1);
      const p = acc + (b << 4);
      v128.store(p, f64x2.add(v128.load(p), v128.load(gs + ((<usize>k) << 4))));
    }
    if (nt > 8) {
      // Bin order from the marks, 16 at a time.
      nt = 0;
      for (let b0: usize = 0; b0 < 256; b0 += 16) {
        let bits = i8x16.bitmask(i8x16.ne(v128.load(mark + b0), i8x16.splat(0)));
        while (bits) {
          store<i32>(touched + ((<usize>nt) << 2), <i32>b0 + ctz(bits));
          nt++;
          bits &= bits - 1;
        }
      }
    } else {
      for (let q = 1; q < nt; q++) {
        const b = load<i32>(touched + ((<usize>q) << 2));
        let p = q;
        while (p > 0 && load<i32>(touched + ((<usize>(p - 1)) << 2)) > b) {
          store<i32>(touched + ((<usize>p) << 2), load<i32>(touched + ((<usize>(p - 1)) << 2)));
          p--;
        }
        store<i32>(touched + ((<usize>p) << 2), b);
      }
    }
    const Mg = load<f64>(acc);
    const Mw = load<f64>(acc, 8);
    const passes = Mw > 0 ? 2 : 1;
    let Lg = 0.0;
    let Lw = 0.0;
    for (let q = load<i32>(touched) === 0 ? 1 : 0; q < nt; q++) {
      const b = load<i32>(touched + ((<usize>q) << 2));
      const p = acc + ((<usize>b) << 4);
      const bw = load<f64>(p, 8);
      if (bw === 0) continue;
      Lg += load<f64>(p);
      Lw += bw;
      for (let miss = 0; miss < passes; miss++) {
        const lg = miss ? Lg + Mg : Lg;
        const lw = miss ? Lw + Mw : Lw;
        const rg = Pg - lg;
        const rw = Pw - lw;
        const dl = lw + lam;
        const dr = rw + lam;
        const xl = lg * lg;
        const xr = rg * rg;
        if (xl * dr + xr * dl < target * dl * dr) continue;
        if (lw < minW || rw < minW || lw * cf < minN || rw * cf < minN || !(lw > 0) || !(rw > 0)) continue;
        const g = xl / dl + xr / dr - parent;
        if (g > best) {
          best = g;
          bestF = f;
          bestB = b;
          bestMiss = miss === 1 || (Mw === 0 && lw >= rw) ? 1 : 0;
          bestLg = lg;
          bestLw = lw;
          target = (best + parent) * (1 - 1e-9);
        }
      }
    }
    for (let q = 0; q < nt; q++) {
      const b = <usize>load<i32>(touched + ((<usize>q) << 2));
      v128.store(acc + (b << 4), f64x2.splat(0));
      store<u8>(mark + b, 0);
    }
  }
  store<f64>(out, best);
  store<f64>(out, bestLg, 8);
  store<f64>(out, bestLw, 16);
  store<i32>(out, bestF, 24);
  store<i32>(out, bestB, 28);
  store<i32>(out, bestMiss, 32);
  return bestF;
}
