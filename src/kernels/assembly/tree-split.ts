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
  const P = f64x2(Pg, Pw);
  const vMinW = f64x2.splat(minW);
  const vMinN = f64x2.splat(minN);
  const vCf = f64x2.splat(cf);
  const vLam = f64x2.splat(lam);
  const zero = f64x2.splat(0);
  let best = floor;
  let bestF: i32 = -1;
  let bestB: i32 = 0;
  let bestMiss: i32 = 0;
  let bestL = zero;
  for (let j = 0; j < nf; j++) {
    const f = load<i32>(feats + ((<usize>j) << 2));
    const nb = load<i32>(nbins + ((<usize>f) << 2));
    const base = hist + ((<usize>f) << 12);
    const M = v128.load(base);
    const Mw = f64x2.extract_lane(M, 1);
    const passes = Mw > 0 ? 2 : 1;
    let L = zero;
    for (let b = 1; b <= nb; b++) {
      const bv = v128.load(base + ((<usize>b) << 4));
      // An empty bin (zero weight) is skipped: no candidate, nothing added. Branch-free,
      // since small nodes have empty bins at random.
      const empty = f64x2.eq(v128.shuffle<f64>(bv, bv, 1, 1), zero);
      L = v128.bitselect(L, f64x2.add(L, bv), empty);
      for (let miss = 0; miss < passes; miss++) {
        const Lv = miss ? f64x2.add(L, M) : L;
        const Rv = f64x2.sub(P, Lv);
        // (lw, rw) and (lg, rg)
        const W = v128.shuffle<f64>(Lv, Rv, 1, 3);
        const bad = v128.or(
          v128.or(empty, f64x2.lt(W, vMinW)),
          v128.or(f64x2.lt(f64x2.mul(W, vCf), vMinN), v128.not(f64x2.gt(W, zero))),
        );
        const X = v128.shuffle<f64>(Lv, Rv, 0, 2);
        const q = f64x2.div(f64x2.mul(X, X), f64x2.add(W, vLam));
        const g = f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1) - parent;
        if (g > best && !v128.any_true(bad)) {
          best = g;
          bestF = f;
          bestB = b;
          const lw = f64x2.extract_lane(W, 0);
          const rw = f64x2.extract_lane(W, 1);
          bestMiss = miss === 1 || (Mw === 0 && lw >= rw) ? 1 : 0;
          bestL = Lv;
        }
      }
    }
  }
  store<f64>(out, best);
  store<f64>(out, f64x2.extract_lane(bestL, 0), 8);
  store<f64>(out, f64x2.extract_lane(bestL, 1), 16);
  store<i32>(out, bestF, 24);
  store<i32>(out, bestB, 28);
  store<i32>(out, bestMiss, 32);
  return bestF;
}
