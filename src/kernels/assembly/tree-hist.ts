// Histogram kernels of the tree learner (src/ml/trees). Row-wise: each row's statistics
// (c2 pairs of f64: gradient/hessian, or class sums/weight) are loaded once and added,
// two lanes at a time, into the bin of every listed feature. The binned matrix is row-major
// uint8 (nFeat bytes per row); a histogram holds 256 bins × (2·c2) f64 per feature, at
// feature × 256 × 16·c2 bytes. Summation runs over the rows in the given order, so a
// histogram does not depend on how features are split across threads.
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

// Stable partition of rows[start, end) by the bin of feature `feat`: rows whose bin has
// goLeft[bin] != 0 keep their order at the front, the others at the back (through `tmp`).
// Returns the number of rows that go left.
export function treePartition(
  bins: usize,
  nFeat: i32,
  rows: usize,
  start: i32,
  end: i32,
  feat: i32,
  goLeft: usize,
  tmp: usize,
): i32 {
  let nl = start;
  let nr: usize = 0;
  for (let i = start; i < end; i++) {
    const r = load<u32>(rows + ((<usize>i) << 2));
    const b = <usize>load<u8>(<usize>r * <usize>nFeat + bins + <usize>feat);
    if (load<u8>(goLeft + b) !== 0) {
      store<u32>(rows + ((<usize>nl) << 2), r);
      nl++;
    } else {
      store<u32>(tmp + (nr << 2), r);
      nr++;
    }
  }
  memory.copy(rows + ((<usize>nl) << 2), tmp, nr << 2);
  return nl - start;
}
