/**
 * `fincoach/goals.csv` (scenario S5, goal achievement): 2,000 savings/debt goals set by
 * users of the fincoach population, and whether each was reached by its deadline.
 *
 * Latent model: the log-odds of success fall with the goal's affordability ratio (monthly
 * amount needed ÷ the user's monthly saving capacity) and with credit utilization and late
 * payments, rise with automatic transfers and check-ins, and shift by goal type; the
 * intercept is calibrated to a 40% success rate and the outcome is a Bernoulli draw.
 * Self-reported income is missing for ~4% of goals.
 */
import { Random } from "../../src/data/random.js";
import { Table } from "../../src/data/table.js";
import type { FincoachUser } from "./fincoach-users.js";
import {
  boolean,
  calibrateIntercept,
  clip,
  ident,
  logNormal,
  numeric,
  pick,
  pickWeighted,
  poisson,
  sigmoid,
  text,
} from "./util.js";

export const GOALS_ROWS = 2000;
export const GOAL_SUCCESS_RATE = 0.4;

/** Goal type, share, median amount (USD), typical horizons (months), effect on log-odds. */
const GOAL_TYPES: readonly [string, number, number, readonly number[], number][] = [
  ["emergency_fund", 0.24, 3000, [6, 9, 12, 18], 0.2],
  ["vacation", 0.18, 2500, [3, 6, 9, 12], 0.4],
  ["debt_payoff", 0.18, 6000, [12, 18, 24, 36], -0.3],
  ["car", 0.12, 9000, [12, 18, 24, 36], 0],
  ["home_down_payment", 0.1, 40_000, [24, 36, 48, 60], -0.4],
  ["education", 0.1, 8000, [12, 24, 36], 0.1],
  ["retirement_boost", 0.08, 15_000, [24, 36, 60], 0.2],
];

export function generateGoals(seed: number, users: readonly FincoachUser[]): Table {
  const rng = new Random(seed);
  const n = GOALS_ROWS;
  const rows: {
    user: FincoachUser;
    type: string;
    amount: number;
    horizon: number;
    autoTransfer: boolean;
    checkins: number;
    income: number;
  }[] = [];
  const logits: number[] = [];
  for (let i = 0; i < n; i++) {
    const user = pick(rng, users);
    const g =
      GOAL_TYPES[
        pickWeighted(
          rng,
          GOAL_TYPES.map((t) => t[1]),
        )
      ];
    // Amounts scale a little with income: richer users set bigger goals.
    const amount = Math.max(200, logNormal(rng, g[2] * (user.monthlyIncome / 5000) ** 0.5, 0.5));
    const horizon = pick(rng, g[3]);
    const autoTransfer = rng.next() < (user.savingsRate > 0.15 ? 0.55 : 0.3);
    const checkins = poisson(rng, 0.3 * user.sessionsPerWeek + 0.5);
    const capacity = Math.max(
      50,
      user.monthlyIncome * Math.max(0.01, user.savingsRate) + 0.1 * user.monthlyIncome,
    );
    const ratio = amount / horizon / capacity;
    logits.push(
      -1.4 * Math.log(ratio) +
        0.8 * (autoTransfer ? 1 : 0) +
        0.35 * Math.log1p(checkins) -
        1.2 * user.creditUtilization -
        0.25 * user.latePayments12m +
        g[4],
    );
    rows.push({
      user,
      type: g[0],
      amount,
      horizon,
      autoTransfer,
      checkins,
      income: rng.next() < 0.04 ? Number.NaN : user.monthlyIncome,
    });
  }
  const b = calibrateIntercept(logits, GOAL_SUCCESS_RATE);
  const achieved = logits.map((z) => (rng.next() < sigmoid(z + b) ? "yes" : "no"));

  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  return new Table([
    text(
      "goal_id",
      rows.map((_, i) => ident("G", i + 1, 5)),
    ),
    text(
      "user_id",
      col((r) => r.user.id),
    ),
    text(
      "goal_type",
      col((r) => r.type),
    ),
    numeric(
      "goal_amount",
      col((r) => r.amount),
      -1,
    ),
    numeric(
      "horizon_months",
      col((r) => r.horizon),
    ),
    numeric(
      "monthly_income",
      col((r) => r.income),
      0,
    ),
    numeric(
      "savings_rate",
      col((r) => r.user.savingsRate),
      3,
    ),
    numeric(
      "age",
      col((r) => r.user.age),
    ),
    numeric(
      "credit_utilization",
      col((r) => r.user.creditUtilization),
      3,
    ),
    numeric(
      "late_payments_12m",
      col((r) => r.user.latePayments12m),
    ),
    boolean(
      "auto_transfer",
      col((r) => r.autoTransfer),
    ),
    numeric(
      "checkins_per_month",
      col((r) => clip(r.checkins, 0, 40)),
    ),
    text("goal_achieved", achieved),
  ]);
}
