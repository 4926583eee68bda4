/**
 * `admissions.csv` (scenario S3): 3,000 applicant profiles and whether each was admitted.
 *
 * Latent model: a hidden academic ability drives GPA, test score, AP courses and (weakly)
 * the essay; the admission log-odds are a linear function of the standardized observed
 * scores, recommendation, extracurriculars, interview, first-generation status and the
 * major's selectivity, with an intercept calibrated to a 30% admit rate; the outcome is a
 * Bernoulli draw, so no model can be perfect. Test scores (test-optional), family income
 * (not disclosed) and interview scores (not interviewed) are missing for some applicants.
 */
import { Random } from "../../src/data/random.js";
import { Table } from "../../src/data/table.js";
import {
  boolean,
  calibrateIntercept,
  clip,
  gauss,
  ident,
  logNormal,
  numeric,
  pickWeighted,
  poisson,
  sigmoid,
  standardize,
  text,
} from "./util.js";

export const ADMISSIONS_ROWS = 3000;
export const ADMIT_RATE = 0.3;

/** Major, share of applicants, selectivity (added to the log-odds). */
const MAJORS: readonly [string, number, number][] = [
  ["Computer Science", 0.16, -0.7],
  ["Engineering", 0.13, -0.5],
  ["Business", 0.14, -0.1],
  ["Biology", 0.11, -0.2],
  ["Nursing", 0.07, -0.6],
  ["Psychology", 0.09, 0.2],
  ["Economics", 0.08, -0.1],
  ["English", 0.05, 0.4],
  ["Fine Arts", 0.04, 0.3],
  ["Undecided", 0.13, 0.1],
];
/** School type, share, GPA inflation (grade points). */
const SCHOOLS: readonly [string, number, number][] = [
  ["Public", 0.68, 0],
  ["Private", 0.17, 0.12],
  ["Charter", 0.08, 0.05],
  ["International", 0.05, -0.05],
  ["Homeschool", 0.02, 0.1],
];
/** Region, share, median distance to campus in km. */
const REGIONS: readonly [string, number, number][] = [
  ["Northeast", 0.3, 60],
  ["Midwest", 0.2, 500],
  ["South", 0.25, 900],
  ["West", 0.2, 1800],
  ["International", 0.05, 6500],
];

export function generateAdmissions(seed: number): Table {
  const rng = new Random(seed);
  const n = ADMISSIONS_ROWS;
  const major: string[] = [];
  const majorEffect: number[] = [];
  const school: string[] = [];
  const region: string[] = [];
  const firstGen: boolean[] = [];
  const gpa: number[] = [];
  const sat: number[] = [];
  const satObserved: number[] = [];
  const ap: number[] = [];
  const essay: number[] = [];
  const extra: number[] = [];
  const rec: number[] = [];
  const income: number[] = [];
  const distance: number[] = [];
  const interview: number[] = [];
  const interviewObserved: number[] = [];

  for (let i = 0; i < n; i++) {
    const ability = rng.normal();
    const m =
      MAJORS[
        pickWeighted(
          rng,
          MAJORS.map((x) => x[1]),
        )
      ];
    const s =
      SCHOOLS[
        pickWeighted(
          rng,
          SCHOOLS.map((x) => x[1]),
        )
      ];
    const r =
      REGIONS[
        pickWeighted(
          rng,
          REGIONS.map((x) => x[1]),
        )
      ];
    major.push(m[0]);
    majorEffect.push(m[2]);
    school.push(s[0]);
    region.push(r[0]);
    // Income is right-skewed; first-generation applicants tend to come from poorer families.
    const fg = rng.next() < 0.22;
    firstGen.push(fg);
    const inc = logNormal(rng, fg ? 42_000 : 78_000, 0.65);
    income.push(rng.next() < 0.06 ? Number.NaN : inc);
    // Richer families buy test prep: a small income effect on the test score.
    const g = clip(gauss(rng, 3.25 + 0.3 * ability + s[2], 0.3), 1.6, 4.0);
    gpa.push(g);
    const t = clip(
      Math.round((1150 + 140 * ability + 25 * Math.log(inc / 60_000) + 80 * rng.normal()) / 10) * 10,
      400,
      1600,
    );
    sat.push(t);
    // Test-optional: weaker scorers withhold their score more often (missing not at random).
    satObserved.push(rng.next() < 0.03 + 0.06 * sigmoid(-(t - 1100) / 60) ? Number.NaN : t);
    ap.push(Math.min(12, poisson(rng, Math.max(0.2, 3 + 1.6 * ability + (s[0] === "Private" ? 1.5 : 0)))));
    essay.push(clip(gauss(rng, 6.2 + 0.5 * ability, 1.4), 1, 10));
    extra.push(Math.min(15, poisson(rng, fg ? 2.5 : 3.5)));
    rec.push(clip(Math.round(gauss(rng, 3.2 + 0.5 * ability, 0.9)), 1, 5));
    distance.push(logNormal(rng, r[2], 0.8));
    const iv = clip(gauss(rng, 3.3 + 0.3 * ability, 0.8), 1, 5);
    interview.push(iv);
    interviewObserved.push(rng.next() < 0.07 ? Number.NaN : iv);
  }

  const zGpa = standardize(gpa);
  const zSat = standardize(sat);
  const zEssay = standardize(essay);
  const zExtra = standardize(extra.map((x) => Math.log1p(x)));
  const zAp = standardize(ap);
  const logits: number[] = [];
  for (let i = 0; i < n; i++) {
    // Interviews not held count as neutral; reviewers see the score only when it exists.
    const iv = Number.isNaN(interviewObserved[i]) ? 0 : (interview[i] - 3.3) / 0.8;
    const satWeight = Number.isNaN(satObserved[i]) ? 0.3 : 1.0;
    logits.push(
      1.6 * zGpa[i] +
        satWeight * zSat[i] +
        0.7 * zEssay[i] +
        0.45 * zExtra[i] +
        0.35 * zAp[i] +
        0.55 * (rec[i] - 3) +
        0.3 * iv +
        0.4 * (firstGen[i] ? 1 : 0) +
        majorEffect[i] +
        (distance[i] < 100 ? 0.15 : 0),
    );
  }
  const b = calibrateIntercept(logits, ADMIT_RATE);
  const admitted = logits.map((z) => (rng.next() < sigmoid(z + b) ? "yes" : "no"));

  return new Table([
    text(
      "applicant_id",
      admitted.map((_, i) => ident("A", i + 1, 5)),
    ),
    numeric("gpa", gpa, 2),
    numeric("sat_score", satObserved),
    numeric("essay_score", essay, 1),
    numeric("ap_courses", ap),
    numeric("extracurricular_count", extra),
    numeric("recommendation_strength", rec),
    numeric("interview_score", interviewObserved, 1),
    numeric("family_income", income, -2),
    numeric("distance_km", distance, 0),
    text("intended_major", major),
    text("school_type", school),
    text("region", region),
    boolean("first_generation", firstGen),
    text("admitted", admitted),
  ]);
}
