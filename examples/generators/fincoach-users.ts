/**
 * `fincoach/user_features.csv` and `fincoach/user_segments_truth.csv` (scenario S5, user
 * segmentation): 1,500 users of a personal-finance app described by behavioural features.
 *
 * Latent model: each user belongs to one of five segments with its own center and spread
 * for every feature (log scale for money amounts); spending follows from income and savings
 * rate. The segment is kept out of the feature file and written to a separate ground-truth
 * file so that a clustering can be scored against it. The other fincoach datasets draw their
 * users from this population (`FincoachUser`).
 */
import { Random } from "../../src/data/random.js";
import { Table } from "../../src/data/table.js";
import { clip, gauss, ident, logNormal, numeric, pickWeighted, poisson, text } from "./util.js";

export const FINCOACH_USERS = 1500;

interface SegmentSpec {
  name: string;
  share: number;
  age: [number, number];
  /** Median monthly net income and its log-scale spread. */
  income: [number, number];
  savingsRate: [number, number];
  creditUtilization: [number, number];
  transactions: [number, number];
  discretionaryShare: [number, number];
  /** Median investment balance and its log-scale spread. */
  investments: [number, number];
  sessions: [number, number];
  latePayments: number;
}

export const SEGMENTS: readonly SegmentSpec[] = [
  {
    name: "young_starters",
    share: 0.25,
    age: [25, 3],
    income: [2600, 0.2],
    savingsRate: [0.06, 0.03],
    creditUtilization: [0.45, 0.1],
    transactions: [85, 12],
    discretionaryShare: [0.42, 0.06],
    investments: [600, 0.8],
    sessions: [9, 2],
    latePayments: 1.2,
  },
  {
    name: "steady_savers",
    share: 0.25,
    age: [43, 7],
    income: [5000, 0.2],
    savingsRate: [0.22, 0.04],
    creditUtilization: [0.15, 0.06],
    transactions: [40, 8],
    discretionaryShare: [0.2, 0.05],
    investments: [35_000, 0.6],
    sessions: [3, 1],
    latePayments: 0.1,
  },
  {
    name: "big_spenders",
    share: 0.18,
    age: [35, 6],
    income: [7500, 0.2],
    savingsRate: [0.03, 0.03],
    creditUtilization: [0.55, 0.1],
    transactions: [120, 15],
    discretionaryShare: [0.58, 0.06],
    investments: [8000, 0.8],
    sessions: [5, 1.5],
    latePayments: 0.6,
  },
  {
    name: "debt_stressed",
    share: 0.17,
    age: [38, 9],
    income: [3100, 0.2],
    savingsRate: [0.0, 0.02],
    creditUtilization: [0.86, 0.07],
    transactions: [60, 10],
    discretionaryShare: [0.24, 0.05],
    investments: [250, 0.9],
    sessions: [7, 2],
    latePayments: 4,
  },
  {
    name: "affluent_investors",
    share: 0.15,
    age: [55, 7],
    income: [12_000, 0.25],
    savingsRate: [0.3, 0.05],
    creditUtilization: [0.1, 0.05],
    transactions: [55, 10],
    discretionaryShare: [0.34, 0.06],
    investments: [250_000, 0.7],
    sessions: [2, 0.8],
    latePayments: 0.05,
  },
];

/** One synthetic user, shared by all fincoach generators so the files agree with each other. */
export interface FincoachUser {
  id: string;
  segment: number;
  age: number;
  monthlyIncome: number;
  savingsRate: number;
  avgMonthlySpending: number;
  creditUtilization: number;
  transactionsPerMonth: number;
  discretionaryShare: number;
  investmentBalance: number;
  sessionsPerWeek: number;
  latePayments12m: number;
}

export function generateFincoachUsers(seed: number): FincoachUser[] {
  const rng = new Random(seed);
  const users: FincoachUser[] = [];
  for (let i = 0; i < FINCOACH_USERS; i++) {
    const segment = pickWeighted(
      rng,
      SEGMENTS.map((s) => s.share),
    );
    const s = SEGMENTS[segment];
    const income = logNormal(rng, s.income[0], s.income[1]);
    const savingsRate = clip(gauss(rng, ...s.savingsRate), -0.1, 0.6);
    users.push({
      id: ident("U", i + 1, 4),
      segment,
      age: clip(Math.round(gauss(rng, ...s.age)), 18, 85),
      monthlyIncome: income,
      savingsRate,
      avgMonthlySpending: income * (1 - savingsRate) * clip(gauss(rng, 0.97, 0.05), 0.7, 1.3),
      creditUtilization: clip(gauss(rng, ...s.creditUtilization), 0, 1),
      transactionsPerMonth: Math.max(1, Math.round(gauss(rng, ...s.transactions))),
      discretionaryShare: clip(gauss(rng, ...s.discretionaryShare), 0.02, 0.95),
      investmentBalance: logNormal(rng, s.investments[0], s.investments[1]),
      sessionsPerWeek: Math.max(0, gauss(rng, ...s.sessions)),
      latePayments12m: poisson(rng, s.latePayments),
    });
  }
  return users;
}

export function userFeaturesTable(users: readonly FincoachUser[]): Table {
  const col = (f: (u: FincoachUser) => number) => users.map(f);
  return new Table([
    text(
      "user_id",
      users.map((u) => u.id),
    ),
    numeric(
      "age",
      col((u) => u.age),
    ),
    numeric(
      "monthly_income",
      col((u) => u.monthlyIncome),
      0,
    ),
    numeric(
      "savings_rate",
      col((u) => u.savingsRate),
      3,
    ),
    numeric(
      "avg_monthly_spending",
      col((u) => u.avgMonthlySpending),
      0,
    ),
    numeric(
      "credit_utilization",
      col((u) => u.creditUtilization),
      3,
    ),
    numeric(
      "transactions_per_month",
      col((u) => u.transactionsPerMonth),
    ),
    numeric(
      "discretionary_share",
      col((u) => u.discretionaryShare),
      3,
    ),
    numeric(
      "investment_balance",
      col((u) => u.investmentBalance),
      0,
    ),
    numeric(
      "app_sessions_per_week",
      col((u) => u.sessionsPerWeek),
      1,
    ),
    numeric(
      "late_payments_12m",
      col((u) => u.latePayments12m),
    ),
  ]);
}

/** Held-out ground truth: the segment each user was drawn from. Not a feature. */
export function userSegmentsTruthTable(users: readonly FincoachUser[]): Table {
  return new Table([
    text(
      "user_id",
      users.map((u) => u.id),
    ),
    text(
      "segment",
      users.map((u) => SEGMENTS[u.segment].name),
    ),
  ]);
}
