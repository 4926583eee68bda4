// Float64Array.prototype.sort takes ~220 ms for 1M values in Node 20, and sorting indices with a
// comparator is slower still; an LSD radix sort on the IEEE-754 bits takes a fraction of that.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Row indices ordering `values` ascending (stable; -0 before +0). Values must not be NaN.
 * Four 16-bit passes over a 64-bit key (fewer passes measured faster than 8- or 11-bit digits),
 * skipping any pass whose digit is the same for all rows.
 */
export function argsortFloat64(values: Float64Array): Uint32Array {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const [l0, h0] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = words[2 * i + h0];
    let l = words[2 * i + l0];
    // Order-preserving map of doubles to unsigned integers: negatives flipped, positives get the top bit.
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    lo[i] = l;
    hi[i] = h;
    idx[i] = i;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  const counts = new Int32Array(0x10000);
  const mask = 0xffff;
  for (let pass = 0; pass < 4; pass++) {
    const shift = (pass % 2) * 16;
    const key = pass < 2 ? lo : hi;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(key[i] >>> shift) & mask]++;
    if (n === 0 || counts[(key[0] >>> shift) & mask] === n) continue; // one digit for all rows
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const j = counts[(key[i] >>> shift) & mask]++;
      lo2[j] = lo[i];
      hi2[j] = hi[i];
      idx2[j] = idx[i];
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}

/** A sorted copy of `values` (ascending), through the radix argsort. */
export function sortedCopy(values: Float64Array): Float64Array {
  const order = argsortFloat64(values);
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = values[order[i]];
  return out;
}
