// Numbers parsed straight from UTF-8 bytes, without making a string on the common path.
//
// Grammar: [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?, or [+-]? inf / infinity
// (any case). No surrounding spaces, no hex, no underscores.
//
// Fast path (Clinger): when the decimal mantissa is an integer ≤ 2^53 and the power of ten is in
// [-22, 22], both are exact doubles, so one multiplication or division rounds once and gives the
// correctly rounded result, i.e. exactly what `Number(text)` gives. Everything else falls back to
// `Number(text)` on the (already validated) text.

const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;

const TWO53 = 9_007_199_254_740_992;

/** The number in `b[s, e)`, or NaN when the bytes are not a number in the grammar above. */
export function parseNumberBytes(b: Uint8Array, s: number, e: number): number {
  let i = s;
  if (i >= e) return Number.NaN;
  let c = b[i];
  let neg = false;
  if (c === 45 /* - */) {
    neg = true;
    i++;
  } else if (c === 43 /* + */) {
    i++;
  }
  // Up to 9 digits accumulate in int32 arithmetic (cheaper than doubles), the rest as doubles.
  let mi = 0;
  let m = 0;
  let nd = 0;
  const intStart = i;
  while (i < e) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    if (nd < 9) mi = (mi * 10 + d) | 0;
    else m = m * 10 + d;
    nd++;
    i++;
  }
  let nDigits = i - intStart;
  let fracDigits = 0;
  if (i < e && b[i] === 46 /* . */) {
    i++;
    const fracStart = i;
    while (i < e) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      if (nd < 9) mi = (mi * 10 + d) | 0;
      else m = m * 10 + d;
      nd++;
      i++;
    }
    fracDigits = i - fracStart;
    nDigits += fracDigits;
  }
  if (nDigits === 0) return parseInfinity(b, s, e);
  let exp = 0;
  if (i < e) {
    c = b[i];
    if (c !== 101 && c !== 69) return Number.NaN; // e / E
    i++;
    let expNeg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      expNeg = b[i] === 45;
      i++;
    }
    const expStart = i;
    while (i < e) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) return Number.NaN;
      if (exp < 100_000) exp = exp * 10 + d; // beyond this every double over/underflows anyway
      i++;
    }
    if (i === expStart) return Number.NaN;
    if (expNeg) exp = -exp;
  }
  // Each part is exact while below 2^53 (it grew monotonically), and so is their sum; rounding
  // is monotone, so a computed mantissa < 2^53 means the true one is below 2^53 and exact.
  const e10 = exp - fracDigits;
  if (nd <= 9 + 22) {
    const mant = nd <= 9 ? mi : mi * POW10[nd - 9] + m;
    if (mant < TWO53 && e10 >= -22 && e10 <= 22) {
      const v = e10 < 0 ? mant / POW10[-e10] : mant * POW10[e10];
      return neg ? -v : v;
    }
    if (mant === 0) return neg ? -0 : 0;
  }
  return Number(latin1(b, s, e));
}

function parseInfinity(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let sign = 1;
  if (b[i] === 45 || b[i] === 43) {
    if (b[i] === 45) sign = -1;
    i++;
  }
  const n = e - i;
  if (n !== 3 && n !== 8) return Number.NaN;
  const word = n === 3 ? "inf" : "infinity";
  for (let k = 0; k < n; k++) if ((b[i + k] | 32) !== word.charCodeAt(k)) return Number.NaN;
  return sign * Number.POSITIVE_INFINITY;
}

/** Bytes as a string, one char per byte (for ASCII text such as numbers and ISO dates). */
export function latin1(b: Uint8Array, s: number, e: number): string {
  if (e - s <= 64) {
    let out = "";
    for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
    return out;
  }
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString("latin1");
}
