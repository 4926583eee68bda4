// ISO 8601 dates and date-times: 2024-01-31, 2024-01-31T10:20, 2024-01-31 10:20:30.123Z,
// 2024-01-31T10:20:30+02:00. Other forms are not guessed (day/month order is ambiguous).
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch (UTC unless an offset is given), or NaN if `s` is not ISO 8601. */
export function parseIsoDatetime(s: string): number {
  const m = ISO.exec(s);
  if (m === null) return Number.NaN;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = sec === undefined ? 0 : Number(sec);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return Number.NaN;
  }
  let t = Date.UTC(Number(y), month - 1, day, hour, minute, second, frac ? Number(`0.${frac}`) * 1000 : 0);
  // Date.UTC rolls 2023-02-30 over into March: refuse instead.
  if (new Date(t).getUTCDate() !== day) return Number.NaN;
  if (zone !== undefined && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}
