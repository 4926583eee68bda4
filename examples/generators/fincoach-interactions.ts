/**
 * `fincoach/interactions.csv` (scenario S5, recommendation policy): 5,000 logged events of
 * the coach showing one of five messages to a user during 2024, with the user's state
 * before, the reward observed afterwards and the state after.
 *
 * Latent model: the expected reward of each action is a linear function of the state (a
 * budget alert pays off when spending runs over budget, a debt plan when credit utilization
 * is high, an investment tip when savings are high and debt low, a check-in when the user
 * has been away, a savings nudge when goal progress lags); the observed reward adds Gaussian
 * noise. The logging policy is a state-aware softmax that over-uses savings nudges and
 * budget alerts; its probability of the logged action is recorded as `propensity` so that
 * off-policy estimates (IPS) are possible.
 */
import { Random } from "../../src/data/random.js";
import { Table } from "../../src/data/table.js";
import type { FincoachUser } from "./fincoach-users.js";
import { clip, datetime, gauss, logNormal, numeric, pick, text } from "./util.js";

export const INTERACTIONS_ROWS = 5000;
export const ACTIONS = [
  "savings_nudge",
  "budget_alert",
  "debt_payoff_plan",
  "investment_tip",
  "goal_checkin",
] as const;

export interface CoachState {
  savingsRate: number;
  creditUtilization: number;
  goalProgress: number;
  daysSinceLogin: number;
  budgetRatio: number;
}

/** Expected reward of `action` in `state` (the generator's ground truth). */
export function expectedReward(s: CoachState, action: number): number {
  switch (action) {
    case 0:
      return 0.3 + 0.6 * (0.5 - s.goalProgress) - 0.3 * (s.creditUtilization - 0.4);
    case 1:
      return 0.15 + 1.0 * (s.budgetRatio - 1);
    case 2:
      return 0.05 + 1.0 * (s.creditUtilization - 0.3);
    case 3:
      return 0.1 + 1.6 * (s.savingsRate - 0.1) - 0.5 * (s.creditUtilization - 0.3);
    default:
      return 0.15 + 0.015 * (s.daysSinceLogin - 7);
  }
}

/** The logging policy's action probabilities: a softmax that favours nudges and alerts. */
export function loggingPolicy(s: CoachState): number[] {
  const prefs = [
    1.0,
    0.7 + 0.8 * (s.budgetRatio - 1),
    -0.2 + 0.8 * (s.creditUtilization - 0.5),
    -0.6,
    -0.1 + 0.02 * (s.daysSinceLogin - 7),
  ];
  const m = Math.max(...prefs);
  const e = prefs.map((p) => Math.exp(p - m));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

const YEAR_START = Date.UTC(2024, 0, 1);
const YEAR_MS = Date.UTC(2025, 0, 1) - YEAR_START;

function stateOf(rng: Random, u: FincoachUser): CoachState {
  return {
    savingsRate: clip(gauss(rng, u.savingsRate, 0.03), -0.2, 0.7),
    creditUtilization: clip(gauss(rng, u.creditUtilization, 0.06), 0, 1),
    goalProgress: rng.next(),
    daysSinceLogin: Math.min(90, Math.round(logNormal(rng, 7 / Math.max(0.5, u.sessionsPerWeek / 3), 0.8))),
    budgetRatio: clip(logNormal(rng, 0.9 + 0.4 * u.discretionaryShare, 0.15), 0.3, 3),
  };
}

interface LoggedEvent {
  user: string;
  time: number;
  s: CoachState;
  action: number;
  propensity: number;
  reward: number;
  next: CoachState;
}

export function generateInteractions(seed: number, users: readonly FincoachUser[]): Table {
  const rng = new Random(seed);
  const events: LoggedEvent[] = [];
  for (let i = 0; i < INTERACTIONS_ROWS; i++) {
    const user = pick(rng, users);
    // Whole seconds so the timestamps read cleanly.
    const time = YEAR_START + Math.floor(rng.next() * (YEAR_MS / 1000)) * 1000;
    const s = stateOf(rng, user);
    const probs = loggingPolicy(s);
    let u = rng.next();
    let action = probs.length - 1;
    for (let a = 0; a < probs.length; a++) {
      u -= probs[a];
      if (u < 0) {
        action = a;
        break;
      }
    }
    const reward = expectedReward(s, action) + 0.25 * rng.normal();
    const engaged = reward > 0.3;
    const next: CoachState = {
      savingsRate: clip(
        s.savingsRate + (action === 0 && engaged ? 0.01 : 0) + 0.005 * rng.normal(),
        -0.2,
        0.7,
      ),
      creditUtilization: clip(
        s.creditUtilization - (action === 2 && engaged ? 0.04 : 0) + 0.02 * rng.normal(),
        0,
        1,
      ),
      goalProgress: clip(
        s.goalProgress + 0.02 + (engaged && (action === 0 || action === 4) ? 0.03 : 0),
        0,
        1,
      ),
      daysSinceLogin: engaged ? rng.int(3) : s.daysSinceLogin + 1 + rng.int(7),
      budgetRatio: clip(
        s.budgetRatio * (action === 1 && engaged ? 0.93 : 1) * Math.exp(0.05 * rng.normal()),
        0.3,
        3,
      ),
    };
    events.push({ user: user.id, time, s, action, propensity: probs[action], reward, next });
  }
  // Logs are kept in time order.
  events.sort((a, b) => a.time - b.time || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));

  const col = <T>(f: (e: LoggedEvent) => T) => events.map(f);
  return new Table([
    text(
      "user_id",
      col((e) => e.user),
    ),
    datetime(
      "timestamp",
      col((e) => e.time),
    ),
    numeric(
      "savings_rate",
      col((e) => e.s.savingsRate),
      3,
    ),
    numeric(
      "credit_utilization",
      col((e) => e.s.creditUtilization),
      3,
    ),
    numeric(
      "goal_progress",
      col((e) => e.s.goalProgress),
      3,
    ),
    numeric(
      "days_since_login",
      col((e) => e.s.daysSinceLogin),
    ),
    numeric(
      "budget_ratio",
      col((e) => e.s.budgetRatio),
      3,
    ),
    numeric(
      "action",
      col((e) => e.action),
    ),
    text(
      "action_name",
      col((e) => ACTIONS[e.action]),
    ),
    numeric(
      "propensity",
      col((e) => e.propensity),
      4,
    ),
    numeric(
      "reward",
      col((e) => e.reward),
      3,
    ),
    numeric(
      "next_savings_rate",
      col((e) => e.next.savingsRate),
      3,
    ),
    numeric(
      "next_credit_utilization",
      col((e) => e.next.creditUtilization),
      3,
    ),
    numeric(
      "next_goal_progress",
      col((e) => e.next.goalProgress),
      3,
    ),
    numeric(
      "next_days_since_login",
      col((e) => e.next.daysSinceLogin),
    ),
    numeric(
      "next_budget_ratio",
      col((e) => e.next.budgetRatio),
      3,
    ),
  ]);
}
