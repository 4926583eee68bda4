import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SEED, type ExampleDataset, generateExamples, writeExamples } from "../examples/generate.js";
import { type Column, cell, missingCount } from "../src/data/column.js";
import { formatCsv } from "../src/data/csv/write.js";
import { Random } from "../src/data/random.js";
import type { Table } from "../src/data/table.js";

const EXAMPLES = resolve(import.meta.dirname, "../examples");

let datasets: ExampleDataset[];
const table = (path: string): Table => {
  const found = datasets.find((d) => d.path === path);
  if (!found) throw new Error(`no generated dataset ${path}`);
  return found.table;
};

beforeAll(() => {
  datasets = generateExamples(DEFAULT_SEED);
});

// ---- small helpers, written here so the checks do not depend on the code under test ----

function numbers(t: Table, name: string): Float64Array {
  const c = t.column(name);
  if (c.kind !== "numeric") throw new Error(`${name} is ${c.kind}, expected numeric`);
  return c.values;
}

function strings(t: Table, name: string): (string | null)[] {
  const c = t.column(name);
  return Array.from({ length: t.nRows }, (_, i) => {
    const v = cell(c, i);
    return v === null ? null : String(v);
  });
}

function share(values: readonly (string | null)[], level: string): number {
  return values.filter((v) => v === level).length / values.length;
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isNaN(xs[i])) {
      s += xs[i];
      n++;
    }
  }
  return s / n;
}

function median(xs: ArrayLike<number>): number {
  const v = Array.from(xs)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

/** Row indices grouped by value, groups and rows in order of appearance. */
function rowsBy(values: readonly (string | null)[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  values.forEach((v, i) => {
    const key = v ?? "";
    const rows = groups.get(key);
    if (rows) rows.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/**
 * A diagonal linear discriminant on the numeric features (missing → train mean), with the
 * threshold that maximizes training accuracy, fitted on a random half and scored on the
 * other half. Returns held-out accuracy and the majority-class baseline on the same half.
 */
function heldOutLinearAccuracy(features: Float64Array[], positive: readonly boolean[]) {
  const n = positive.length;
  const perm = new Random(123).permutation(n);
  const train = Array.from(perm.subarray(0, n >> 1));
  const test = Array.from(perm.subarray(n >> 1));
  const weights: number[] = [];
  const centers: number[] = [];
  const fill: number[] = [];
  for (const x of features) {
    const m = mean(train.map((i) => x[i]));
    const v = (i: number) => (Number.isNaN(x[i]) ? m : x[i]);
    const pos = train.filter((i) => positive[i]).map(v);
    const neg = train.filter((i) => !positive[i]).map(v);
    const m1 = mean(pos);
    const m0 = mean(neg);
    let ss = 0;
    for (const a of pos) ss += (a - m1) ** 2;
    for (const a of neg) ss += (a - m0) ** 2;
    const variance = ss / (train.length - 2) || 1;
    weights.push((m1 - m0) / variance);
    centers.push((m0 + m1) / 2);
    fill.push(m);
  }
  const score = (i: number) =>
    features.reduce((s, x, j) => s + weights[j] * ((Number.isNaN(x[i]) ? fill[j] : x[i]) - centers[j]), 0);
  const trainScored = train.map((i) => [score(i), positive[i] ? 1 : 0] as const).sort((a, b) => a[0] - b[0]);
  // Threshold sweep: predict positive above the cut.
  let correct = trainScored.filter(([, y]) => y === 1).length;
  let best = correct;
  let cut = Number.NEGATIVE_INFINITY;
  for (const [s, y] of trainScored) {
    correct += y === 1 ? -1 : 1;
    if (correct > best) {
      best = correct;
      cut = s;
    }
  }
  const accuracy = test.filter((i) => score(i) > cut === positive[i]).length / test.length;
  const trainPositive = train.filter((i) => positive[i]).length / train.length;
  const testPositive = test.filter((i) => positive[i]).length / test.length;
  const baseline = trainPositive >= 0.5 ? testPositive : 1 - testPositive;
  return { accuracy, baseline };
}

/** Least squares with a tiny ridge (Gaussian elimination on the normal equations). */
function leastSquares(rows: number[][], y: number[]): number[] {
  const p = rows[0].length;
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  rows.forEach((r, k) => {
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) a[i][j] += r[i] * r[j];
      a[i][p] += r[i] * y[k];
    }
  });
  for (let i = 0; i < p; i++) a[i][i] += 1e-6;
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
    [a[c], a[piv]] = [a[piv], a[c]];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= p; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row, i) => row[p] / row[i]);
}

// ---- determinism ----

describe("example datasets: determinism", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "trainyard-examples-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a fresh run writes files byte-identical to the committed ones", () => {
    const written = writeExamples(dir);
    expect(written.length).toBe(datasets.length);
    for (const file of written) {
      const rel = relative(dir, file).split(sep).join("/");
      const committed = readFileSync(join(EXAMPLES, rel));
      expect(readFileSync(file).equals(committed), `${rel} differs from the committed file`).toBe(true);
    }
  });

  it("every committed CSV outside reference/ comes from a generator", () => {
    const generated = new Set(datasets.map((d) => d.path));
    const committed = filesUnder(EXAMPLES)
      .filter((f) => f.endsWith(".csv"))
      .map((f) => relative(EXAMPLES, f).split(sep).join("/"))
      .filter((f) => !f.startsWith("reference/"));
    expect(committed.sort()).toEqual([...generated].sort());
  });

  it("another seed gives different data for every dataset", () => {
    const other = generateExamples(DEFAULT_SEED + 1);
    for (const d of datasets) {
      const o = other.find((x) => x.path === d.path);
      expect(o, d.path).toBeDefined();
      expect(formatCsv(o?.table as Table) === formatCsv(d.table), d.path).toBe(false);
    }
  });
});

// ---- reference copies: the published sizes of the classic datasets ----

describe("reference datasets", () => {
  it.each([
    ["iris.csv", 150],
    ["breast_cancer.csv", 569],
    ["diabetes.csv", 442],
    ["sunspots.csv", 309],
    ["co2_weekly.csv", 2284],
  ])("%s has a header and %i data rows", (name, rows) => {
    const lines = readFileSync(join(EXAMPLES, "reference", name), "utf8")
      .trimEnd()
      .split("\n");
    expect(lines.length - 1).toBe(rows);
    expect(lines[0].split(",").length).toBeGreaterThan(1);
  });
});

// ---- future_skills (S1/S2) ----

describe("future_skills.csv", () => {
  const NUMERIC = [
    "trend_score",
    "internal_usage",
    "scarcity_index",
    "hiring_difficulty",
    "automation_risk",
    "training_cost",
    "market_demand_growth",
    "years_relevant",
  ];

  it("has one row per (role, skill), 11 features and the S1 class mix", () => {
    const t = table("future_skills.csv");
    expect(t.nRows).toBeGreaterThanOrEqual(450);
    expect(t.nRows).toBeLessThanOrEqual(550);
    expect(t.names).toEqual([
      "job_role_name",
      "skill_name",
      "skill_category",
      ...NUMERIC,
      "future_skill_priority",
    ]);
    const roles = strings(t, "job_role_name");
    const skills = strings(t, "skill_name");
    expect(new Set(roles).size).toBeGreaterThanOrEqual(12);
    expect(new Set(roles).size).toBeLessThanOrEqual(18);
    expect(new Set(skills).size).toBeGreaterThanOrEqual(50);
    expect(new Set(roles.map((r, i) => `${r}|${skills[i]}`)).size).toBe(t.nRows);
    expect(new Set(strings(t, "skill_category"))).toEqual(
      new Set(["Technical", "Soft Skill", "Domain", "Leadership"]),
    );

    const y = strings(t, "future_skill_priority");
    expect(share(y, "LOW")).toBeGreaterThan(0.2);
    expect(share(y, "LOW")).toBeLessThan(0.35);
    expect(share(y, "MEDIUM")).toBeGreaterThan(0.35);
    expect(share(y, "MEDIUM")).toBeLessThan(0.55);
    expect(share(y, "HIGH")).toBeGreaterThan(0.25);
    expect(share(y, "HIGH")).toBeLessThan(0.35);
    const kept = y.filter((v) => v === "HIGH" || v === "MEDIUM").length;
    expect(kept).toBeGreaterThanOrEqual(300);
    expect(kept).toBeLessThanOrEqual(420);
  });

  it("has values in their documented ranges and a few missing training costs", () => {
    const t = table("future_skills.csv");
    const inRange = (name: string, lo: number, hi: number) =>
      numbers(t, name).every((x) => Number.isNaN(x) || (x >= lo && x <= hi));
    expect(inRange("trend_score", 0, 100)).toBe(true);
    expect(inRange("internal_usage", 0, 1)).toBe(true);
    expect(inRange("automation_risk", 0, 1)).toBe(true);
    expect(inRange("scarcity_index", 0, 10)).toBe(true);
    expect(inRange("hiring_difficulty", 1, 10)).toBe(true);
    const missing = missingCount(t.column("training_cost"));
    expect(missing).toBeGreaterThan(0);
    expect(missing / t.nRows).toBeLessThan(0.05);
    for (const c of t.columns) if (c.name !== "training_cost") expect(missingCount(c), c.name).toBe(0);
  });

  it("HIGH vs MEDIUM is learnable from the numeric features but not perfectly", () => {
    const t = table("future_skills.csv");
    const y = strings(t, "future_skill_priority");
    const rows = y.flatMap((v, i) => (v === "HIGH" || v === "MEDIUM" ? [i] : []));
    const features = NUMERIC.map((n) => Float64Array.from(rows, (i) => numbers(t, n)[i]));
    const { accuracy, baseline } = heldOutLinearAccuracy(
      features,
      rows.map((i) => y[i] === "HIGH"),
    );
    expect(accuracy).toBeGreaterThan(baseline + 0.05);
    expect(accuracy).toBeLessThan(0.99);
  });
});

// ---- admissions (S3) ----

describe("admissions.csv", () => {
  const NUMERIC = [
    "gpa",
    "sat_score",
    "essay_score",
    "ap_courses",
    "extracurricular_count",
    "recommendation_strength",
    "interview_score",
    "family_income",
    "distance_km",
  ];

  it("has ~3,000 profiles, a dozen features and ~30% admitted", () => {
    const t = table("admissions.csv");
    expect(t.nRows).toBeGreaterThanOrEqual(2800);
    expect(t.nRows).toBeLessThanOrEqual(3200);
    for (const n of [...NUMERIC, "intended_major", "school_type", "region", "first_generation", "admitted"]) {
      expect(t.has(n), n).toBe(true);
    }
    const features = t.names.filter((n) => n !== "applicant_id" && n !== "admitted");
    expect(features.length).toBeGreaterThanOrEqual(11);
    expect(features.length).toBeLessThanOrEqual(14);
    expect(t.column("intended_major").kind).toBe("categorical");
    expect(t.column("first_generation").kind).toBe("boolean");
    const y = strings(t, "admitted");
    expect(new Set(y)).toEqual(new Set(["yes", "no"]));
    expect(share(y, "yes")).toBeGreaterThan(0.25);
    expect(share(y, "yes")).toBeLessThan(0.35);
  });

  it("has 2–8% missing in the documented columns only, and a right-skewed income", () => {
    const t = table("admissions.csv");
    const withMissing = new Set(["sat_score", "family_income", "interview_score"]);
    for (const c of t.columns) {
      const rate = missingCount(c) / t.nRows;
      if (withMissing.has(c.name)) {
        expect(rate, c.name).toBeGreaterThanOrEqual(0.02);
        expect(rate, c.name).toBeLessThanOrEqual(0.08);
      } else {
        expect(rate, c.name).toBe(0);
      }
    }
    const income = numbers(t, "family_income");
    expect(mean(income)).toBeGreaterThan(1.1 * median(income));
    expect(numbers(t, "gpa").every((g) => g >= 0 && g <= 4)).toBe(true);
    expect(numbers(t, "sat_score").every((s) => Number.isNaN(s) || (s >= 400 && s <= 1600))).toBe(true);
  });

  it("admission depends on the profile beyond chance, with irreducible noise", () => {
    const t = table("admissions.csv");
    const admitted = strings(t, "admitted").map((v) => v === "yes");
    const gpa = numbers(t, "gpa");
    const gpaYes = mean(Array.from(gpa).filter((_, i) => admitted[i]));
    const gpaNo = mean(Array.from(gpa).filter((_, i) => !admitted[i]));
    expect(gpaYes - gpaNo).toBeGreaterThan(0.15);
    const { accuracy, baseline } = heldOutLinearAccuracy(
      NUMERIC.map((n) => numbers(t, n)),
      admitted,
    );
    expect(accuracy).toBeGreaterThan(baseline + 0.05);
    expect(accuracy).toBeLessThan(0.99);
  });
});

// ---- fincoach (S5) ----

describe("fincoach/user_features.csv and user_segments_truth.csv", () => {
  it("lists 1,500 distinct users, with the truth held out in its own file", () => {
    const t = table("fincoach/user_features.csv");
    const truth = table("fincoach/user_segments_truth.csv");
    expect(t.nRows).toBe(1500);
    const ids = strings(t, "user_id");
    expect(new Set(ids).size).toBe(t.nRows);
    expect(strings(truth, "user_id")).toEqual(ids);
    expect(t.has("segment")).toBe(false);
    const segments = new Set(strings(truth, "segment"));
    expect(segments.size).toBeGreaterThanOrEqual(4);
    expect(segments.size).toBeLessThanOrEqual(6);
    for (const c of t.columns) expect(missingCount(c), c.name).toBe(0);
  });

  it("separates the true segments: between-segment variance far above within", () => {
    const t = table("fincoach/user_features.csv");
    const seg = strings(table("fincoach/user_segments_truth.csv"), "segment");
    let between = 0;
    let within = 0;
    for (const c of t.columns as Column[]) {
      if (c.kind !== "numeric") continue;
      // Money amounts span orders of magnitude; compare them on a log scale.
      const x =
        c.name === "investment_balance" ? Array.from(c.values, (v) => Math.log1p(v)) : Array.from(c.values);
      const m = mean(x);
      const sd = Math.sqrt(mean(x.map((v) => (v - m) ** 2)));
      const z = x.map((v) => (v - m) / sd);
      for (const s of new Set(seg)) {
        const group = z.filter((_, i) => seg[i] === s);
        const gm = mean(group);
        between += group.length * gm ** 2;
        for (const v of group) within += (v - gm) ** 2;
      }
    }
    expect(between / within).toBeGreaterThan(2);
  });
});

describe("fincoach/goals.csv", () => {
  it("has ~2,000 goals of known users with a yes/no outcome", () => {
    const t = table("fincoach/goals.csv");
    expect(t.nRows).toBeGreaterThanOrEqual(1800);
    expect(t.nRows).toBeLessThanOrEqual(2200);
    const users = new Set(strings(table("fincoach/user_features.csv"), "user_id"));
    expect(strings(t, "user_id").every((u) => u !== null && users.has(u))).toBe(true);
    const y = strings(t, "goal_achieved");
    expect(new Set(y)).toEqual(new Set(["yes", "no"]));
    expect(share(y, "yes")).toBeGreaterThan(0.3);
    expect(share(y, "yes")).toBeLessThan(0.5);
    const missing = missingCount(t.column("monthly_income")) / t.nRows;
    expect(missing).toBeGreaterThan(0.01);
    expect(missing).toBeLessThan(0.08);
  });

  it("goal achievement is learnable beyond the majority baseline", () => {
    const t = table("fincoach/goals.csv");
    const amount = numbers(t, "goal_amount");
    const horizon = numbers(t, "horizon_months");
    const income = numbers(t, "monthly_income");
    const perMonth = Float64Array.from(amount, (a, i) => Math.log(a / horizon[i] / income[i]));
    const features = [
      perMonth,
      ...["savings_rate", "credit_utilization", "late_payments_12m"].map((n) => numbers(t, n)),
    ];
    const { accuracy, baseline } = heldOutLinearAccuracy(
      features,
      strings(t, "goal_achieved").map((v) => v === "yes"),
    );
    expect(accuracy).toBeGreaterThan(baseline + 0.05);
    expect(accuracy).toBeLessThan(0.99);
  });
});

describe("fincoach/monthly_spending.csv", () => {
  it("is long format with ≥ 200 users × ≥ 36 months, a few gaps and positive amounts", () => {
    const t = table("fincoach/monthly_spending.csv");
    expect(t.names).toEqual(["user_id", "month", "spending"]);
    const users = strings(t, "user_id");
    const months = strings(t, "month");
    expect(months.every((m) => m !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(m))).toBe(true);
    expect(numbers(t, "spending").every((s) => s > 0)).toBe(true);
    const perUser = new Map([...rowsBy(users)].map(([u, rows]) => [u, rows.map((i) => months[i] as string)]));
    const long = [...perUser.values()].filter((m) => m.length >= 36);
    expect(long.length).toBeGreaterThanOrEqual(200);
    // (user, month) pairs are unique and each user's months ascend.
    for (const m of perUser.values()) for (let i = 1; i < m.length; i++) expect(m[i] > m[i - 1]).toBe(true);
    // Some months are absent inside a history (a gap between first and last month).
    const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
    const gaps = [...perUser.values()].filter(
      (m) => index(m[m.length - 1]) - index(m[0]) + 1 > m.length,
    ).length;
    expect(gaps).toBeGreaterThan(0);
    expect(gaps).toBeLessThan(perUser.size);
  });

  it("has a yearly pattern: December above each user's average", () => {
    const t = table("fincoach/monthly_spending.csv");
    const users = strings(t, "user_id");
    const months = strings(t, "month");
    const spending = numbers(t, "spending");
    const byUser = rowsBy(users);
    const ratio = { dec: [] as number[], jan: [] as number[] };
    for (const rows of byUser.values()) {
      const m = mean(rows.map((i) => spending[i]));
      for (const i of rows) {
        if (months[i]?.endsWith("-12")) ratio.dec.push(spending[i] / m);
        if (months[i]?.endsWith("-01")) ratio.jan.push(spending[i] / m);
      }
    }
    expect(median(ratio.dec)).toBeGreaterThan(1.08);
    expect(median(ratio.jan)).toBeLessThan(0.98);
  });
});

describe("fincoach/interactions.csv", () => {
  const STATE = ["savings_rate", "credit_utilization", "goal_progress", "days_since_login", "budget_ratio"];

  it("logs time-ordered events with action ids among 5 named actions and next states", () => {
    const t = table("fincoach/interactions.csv");
    expect(t.nRows).toBeGreaterThanOrEqual(2000);
    for (const s of STATE) {
      expect(t.has(s), s).toBe(true);
      expect(t.has(`next_${s}`), `next_${s}`).toBe(true);
    }
    const action = numbers(t, "action");
    expect(action.every((a) => Number.isInteger(a) && a >= 0 && a < 5)).toBe(true);
    expect(new Set(action).size).toBe(5);
    // Each id has exactly one name and vice versa.
    const names = strings(t, "action_name");
    const pairs = new Set(names.map((n, i) => `${action[i]}:${n}`));
    expect(pairs.size).toBe(5);
    expect(new Set(names).size).toBe(5);
    const p = numbers(t, "propensity");
    expect(p.every((x) => x > 0 && x <= 1)).toBe(true);
    const time = t.column("timestamp");
    expect(time.kind).toBe("datetime");
    if (time.kind === "datetime")
      for (let i = 1; i < t.nRows; i++) expect(time.values[i] >= time.values[i - 1]).toBe(true);
    // The logging policy is not uniform.
    const counts = [0, 1, 2, 3, 4].map((a) => action.filter((x) => x === a).length / t.nRows);
    expect(Math.max(...counts) - Math.min(...counts)).toBeGreaterThan(0.1);
  });

  it("a greedy policy learned on half the log beats the logging policy on the other half (IPS)", () => {
    const t = table("fincoach/interactions.csv");
    const n = t.nRows;
    const x = STATE.map((s) => numbers(t, s));
    const features = (i: number) => [1, ...x.map((c) => c[i])];
    const action = numbers(t, "action");
    const reward = numbers(t, "reward");
    const propensity = numbers(t, "propensity");
    const half = n >> 1;
    const models = [0, 1, 2, 3, 4].map((a) => {
      const rows: number[][] = [];
      const y: number[] = [];
      for (let i = 0; i < half; i++) {
        if (action[i] === a) {
          rows.push(features(i));
          y.push(reward[i]);
        }
      }
      return leastSquares(rows, y);
    });
    let logged = 0;
    let ips = 0;
    for (let i = half; i < n; i++) {
      const f = features(i);
      const predicted = models.map((w) => w.reduce((s, wj, j) => s + wj * f[j], 0));
      const greedy = predicted.indexOf(Math.max(...predicted));
      logged += reward[i];
      if (greedy === action[i]) ips += reward[i] / propensity[i];
    }
    logged /= n - half;
    ips /= n - half;
    expect(ips).toBeGreaterThan(logged + 0.1);
  });
});
