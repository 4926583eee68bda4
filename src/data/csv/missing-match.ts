// Recognises the unquoted missing-value tokens (NA, null, …) by comparing bytes.

import { parseNumberBytes } from "./parse-number.js";

export class MissingMatcher {
  private readonly byLength: Uint8Array[][] = [];
  private readonly maxLength: number;
  readonly matchesEmpty: boolean;
  /** Some token reads as a number (e.g. "-999"), so numeric fields must be checked first. */
  readonly numericLike: boolean;

  constructor(tokens: readonly string[]) {
    const enc = new TextEncoder();
    let max = -1;
    let numeric = false;
    for (const t of tokens) {
      const b = enc.encode(t);
      const list = this.byLength[b.length] ?? [];
      list.push(b);
      this.byLength[b.length] = list;
      max = Math.max(max, b.length);
      if (!Number.isNaN(parseNumberBytes(b, 0, b.length))) numeric = true;
    }
    this.maxLength = max;
    this.matchesEmpty = (this.byLength[0]?.length ?? 0) > 0;
    this.numericLike = numeric;
  }

  /** Whether `b[s, e)` is one of the tokens. */
  test(b: Uint8Array, s: number, e: number): boolean {
    const n = e - s;
    if (n > this.maxLength) return false;
    const list = this.byLength[n];
    if (list === undefined) return false;
    for (const t of list) {
      let k = 0;
      while (k < n && t[k] === b[s + k]) k++;
      if (k === n) return true;
    }
    return false;
  }
}
