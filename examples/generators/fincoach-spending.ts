/**
 * `fincoach/monthly_spending.csv` (scenario S5, spending forecast): long format
 * `user_id, month, spending` for the first 240 users of the fincoach population over
 * January 2021 – December 2024 (48 months).
 *
 * Latent model: spending = level × (1 + growth)^t × seasonal factor × noise, where the level
 * is the user's average monthly spending, the growth a per-user monthly trend, the seasonal
 * factor a shared yearly profile (December peak, January dip, summer holidays) scaled per
 * user, and the noise an AR(1) multiplicative term; about 0.5% of months carry a one-off
 * large purchase. Quirks: 30 users join late (shorter histories) and ~1.5% of months are
 * absent (no row).
 */
import { Random } from "../../src/data/random.js";
import { Table } from "../../src/data/table.js";
import type { FincoachUser } from "./fincoach-users.js";
import { gauss, numeric, text } from "./util.js";

export const SPENDING_USERS = 240;
export const SPENDING_FIRST_YEAR = 2021;
export const SPENDING_MONTHS = 48;
/** Users at the end of the list who join late, so not every history is complete. */
const LATE_JOINERS = 30;

/** Multiplicative seasonal profile, January first. */
const SEASON = [-0.09, -0.06, -0.01, 0, 0.01, 0.03, 0.07, 0.08, -0.02, -0.01, 0.04, 0.18];

export function monthLabel(index: number): string {
  const year = SPENDING_FIRST_YEAR + Math.floor(index / 12);
  return `${year}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function generateMonthlySpending(seed: number, users: readonly FincoachUser[]): Table {
  const rng = new Random(seed);
  const ids: string[] = [];
  const months: string[] = [];
  const spending: number[] = [];
  const chosen = users.slice(0, SPENDING_USERS);
  chosen.forEach((user, u) => {
    const start = u >= SPENDING_USERS - LATE_JOINERS ? 6 + rng.int(18) : 0;
    const growth = gauss(rng, 0.003, 0.004);
    const amplitude = 0.5 + rng.next();
    let ar = 0;
    for (let t = 0; t < SPENDING_MONTHS; t++) {
      ar = 0.4 * ar + 0.06 * rng.normal();
      const spike = rng.next() < 0.005 ? 1.5 + 2 * rng.next() : 1;
      const absent = rng.next() < 0.015;
      if (t < start || absent) continue;
      const value =
        user.avgMonthlySpending * (1 + growth) ** t * (1 + amplitude * SEASON[t % 12]) * Math.exp(ar) * spike;
      ids.push(user.id);
      months.push(monthLabel(t));
      spending.push(value);
    }
  });
  return new Table([text("user_id", ids), text("month", months), numeric("spending", spending, 2)]);
}
