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
