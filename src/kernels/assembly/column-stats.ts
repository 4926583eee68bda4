// Statistics of one float64 column where NaN means missing.
// Writes [count, min, max, mean, m2] (m2 = sum of squared deviations) as f64 at `out`.
// Two passes (sum, then squared deviations from the mean) keep the variance exact enough
// for columns with a large offset, where the one-pass sum-of-squares formula cancels badly.
export function columnStats(ptr: usize, n: i32, out: usize): void {
  let countV = f64x2.splat(0);
  let sumV = f64x2.splat(0);
  let minV = f64x2.splat(Infinity);
  let maxV = f64x2.splat(-Infinity);
  const one = f64x2.splat(1);
  const pairs = n & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const v = v128.load(ptr + ((<usize>i) << 3));
    const present = f64x2.eq(v, v); // false lanes are NaN
    const vz = v128.and(v, present); // NaN lanes become +0
    countV = f64x2.add(countV, v128.and(one, present));
    sumV = f64x2.add(sumV, vz);
    minV = v128.bitselect(f64x2.min(minV, v), minV, present);
    maxV = v128.bitselect(f64x2.max(maxV, v), maxV, present);
  }
  let count = f64x2.extract_lane(countV, 0) + f64x2.extract_lane(countV, 1);
  let sum = f64x2.extract_lane(sumV, 0) + f64x2.extract_lane(sumV, 1);
  let mn = min(f64x2.extract_lane(minV, 0), f64x2.extract_lane(minV, 1));
  let mx = max(f64x2.extract_lane(maxV, 0), f64x2.extract_lane(maxV, 1));
  if (pairs < n) {
    const x = load<f64>(ptr + ((<usize>pairs) << 3));
    if (!isNaN(x)) {
      count += 1;
      sum += x;
      mn = min(mn, x);
      mx = max(mx, x);
    }
  }
  const mean = count > 0 ? sum / count : NaN;
  const meanV = f64x2.splat(mean);
  let m2V = f64x2.splat(0);
  for (let i = 0; i < pairs; i += 2) {
    const v = v128.load(ptr + ((<usize>i) << 3));
    const present = f64x2.eq(v, v);
    const d = v128.and(f64x2.sub(v, meanV), present);
    m2V = f64x2.add(m2V, f64x2.mul(d, d));
  }
  let m2 = f64x2.extract_lane(m2V, 0) + f64x2.extract_lane(m2V, 1);
  if (pairs < n) {
    const x = load<f64>(ptr + ((<usize>pairs) << 3));
    if (!isNaN(x)) m2 += (x - mean) * (x - mean);
  }
  store<f64>(out, count);
  store<f64>(out, count > 0 ? mn : NaN, 8);
  store<f64>(out, count > 0 ? mx : NaN, 16);
  store<f64>(out, mean, 24);
  store<f64>(out, count > 0 ? m2 : NaN, 32);
}
