// Delimiter sniffing: count fields per line for each candidate (respecting quotes) over the
// first lines and keep the candidate that splits the header into most fields consistently.

const CANDIDATES = [44, 9, 59, 124]; // , \t ; |
const MAX_LINES = 30;

/** Fields per record for delimiter `d` over the first complete records of `buf[0, len)`. */
function fieldCounts(buf: Uint8Array, len: number, d: number, eof: boolean): number[] {
  const counts: number[] = [];
  let fields = 1;
  let inQuotes = false;
  let blank = true;
  for (let i = 0; i < len && counts.length < MAX_LINES; i++) {
    const c = buf[i];
    if (inQuotes) {
      if (c === 34) inQuotes = false; // an escaped "" reopens on the next byte
      continue;
    }
    if (c === 34) {
      inQuotes = true;
      blank = false;
    } else if (c === d) {
      fields++;
      blank = false;
    } else if (c === 10) {
      if (!blank) counts.push(fields);
      fields = 1;
      blank = true;
    } else if (c !== 13) blank = false;
  }
  if (eof && !blank && !inQuotes && counts.length < MAX_LINES) counts.push(fields);
  return counts;
}

/** The delimiter byte for `buf[0, len)` (the start of the input); "," when nothing splits. */
export function sniffDelimiter(buf: Uint8Array, len: number, eof: boolean): number {
  let best = 44;
  let bestScore = -1;
  for (const d of CANDIDATES) {
    const counts = fieldCounts(buf, len, d, eof);
    if (counts.length === 0 || counts[0] < 2) continue;
    const header = counts[0];
    let same = 0;
    for (const k of counts) if (k === header) same++;
    // Consistency first, then more fields; earlier candidates win ties.
    const score = (same / counts.length) * 1e6 + header;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}
