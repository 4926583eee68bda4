/**
 * `future_skills.csv` (scenarios S1/S2): one row per (job role, skill) with the skill's
 * market and internal indicators and the HR team's `future_skill_priority` (LOW/MEDIUM/HIGH).
 *
 * Latent model: each skill has a hidden "future value" z (emerging skills high, declining
 * ones low), each role an affinity for each skill category, and each (role, skill) pair a
 * hidden need. The priority score is a weighted sum of the three plus irreducible noise, and
 * the classes are cut by rank (143 LOW, 212 MEDIUM, 145 HIGH), so keeping HIGH and MEDIUM
 * leaves 357 rows as in S1. The observed features are noisy views of the latents.
 */
import { Random } from "../../src/data/random.js";
import { Table } from "../../src/data/table.js";
import { clip, gauss, logNormal, numeric, pickWeighted, sigmoid, text } from "./util.js";

export const SKILL_CATEGORIES = ["Technical", "Soft Skill", "Domain", "Leadership"] as const;
type Category = (typeof SKILL_CATEGORIES)[number];

/** Rows per class, lowest priority first; they sum to the row count. */
export const FUTURE_SKILLS_CLASS_COUNTS = { LOW: 143, MEDIUM: 212, HIGH: 145 } as const;

const SKILLS: Record<Category, readonly string[]> = {
  Technical: [
    "Python",
    "SQL",
    "Machine Learning",
    "Cloud Architecture",
    "Kubernetes",
    "Data Visualization",
    "Cybersecurity Fundamentals",
    "TypeScript",
    "Generative AI",
    "Prompt Engineering",
    "Data Pipelines",
    "Statistics",
    "Excel Modeling",
    "API Design",
    "Test Automation",
    "CI/CD",
    "Network Security",
    "Power BI",
    "Salesforce CRM",
    "ERP Systems",
    "MLOps",
    "Java",
    "Mobile Development",
    "Robotic Process Automation",
  ],
  "Soft Skill": [
    "Communication",
    "Critical Thinking",
    "Adaptability",
    "Collaboration",
    "Creativity",
    "Emotional Intelligence",
    "Time Management",
    "Negotiation",
    "Storytelling",
    "Problem Solving",
    "Customer Empathy",
    "Conflict Resolution",
    "Learning Agility",
    "Presentation Skills",
  ],
  Domain: [
    "Financial Regulation",
    "Supply Chain Optimization",
    "Digital Marketing",
    "Labor Law",
    "Product Analytics",
    "Risk Management",
    "Sustainability Reporting",
    "Healthcare Compliance",
    "Pricing Strategy",
    "Data Privacy (GDPR)",
    "Accounting Standards",
    "Procurement",
    "E-commerce Operations",
    "Customer Journey Mapping",
  ],
  Leadership: [
    "Change Management",
    "Strategic Planning",
    "People Management",
    "Coaching & Mentoring",
    "Stakeholder Management",
    "Decision Making",
    "Cross-functional Leadership",
    "Budget Ownership",
  ],
};

// Skills whose market value is rising or falling, as a prior on the hidden future value.
const EMERGING = new Set([
  "Generative AI",
  "Prompt Engineering",
  "MLOps",
  "Cloud Architecture",
  "Cybersecurity Fundamentals",
  "Data Privacy (GDPR)",
  "Sustainability Reporting",
  "Machine Learning",
  "Learning Agility",
  "Change Management",
]);
const DECLINING = new Set([
  "Excel Modeling",
  "Robotic Process Automation",
  "ERP Systems",
  "Java",
  "Procurement",
]);

/** Role name and its affinity (about −1..1) for Technical, Soft Skill, Domain, Leadership skills. */
const ROLES: readonly [string, readonly [number, number, number, number]][] = [
  ["Software Engineer", [1.0, -0.2, -0.5, -0.3]],
  ["Data Scientist", [1.0, 0.0, 0.2, -0.4]],
  ["Data Engineer", [1.0, -0.4, -0.2, -0.5]],
  ["Product Manager", [0.1, 0.6, 0.5, 0.6]],
  ["UX Designer", [0.2, 0.8, 0.1, -0.3]],
  ["DevOps Engineer", [1.0, -0.3, -0.6, -0.4]],
  ["Cybersecurity Analyst", [0.9, -0.2, 0.5, -0.5]],
  ["HR Business Partner", [-0.6, 0.9, 0.6, 0.7]],
  ["Financial Analyst", [0.3, -0.1, 0.9, -0.2]],
  ["Marketing Specialist", [0.0, 0.5, 0.8, -0.3]],
  ["Sales Manager", [-0.5, 0.9, 0.3, 0.8]],
  ["Customer Success Manager", [-0.3, 1.0, 0.3, 0.2]],
  ["Operations Manager", [-0.1, 0.3, 0.6, 0.9]],
  ["Project Manager", [-0.2, 0.6, 0.2, 1.0]],
  ["Supply Chain Analyst", [0.4, -0.2, 1.0, -0.3]],
];

interface Pair {
  role: number;
  skill: string;
  category: Category;
  z: number;
  affinity: number;
  need: number;
}

export function generateFutureSkills(seed: number): Table {
  const rng = new Random(seed);
  const skills = SKILL_CATEGORIES.flatMap((category) => SKILLS[category].map((name) => ({ name, category })));
  const futureValue = new Map<string, number>();
  for (const s of skills) {
    const prior = EMERGING.has(s.name) ? 1.3 : DECLINING.has(s.name) ? -1.3 : 0;
    futureValue.set(s.name, prior + 0.8 * rng.normal());
  }

  // 500 pairs: the first five roles get 34 skills, the others 33, drawn without replacement
  // with weights favouring the categories the role cares about.
  const pairs: Pair[] = [];
  ROLES.forEach(([, affinity], role) => {
    const count = role < 5 ? 34 : 33;
    const weights = skills.map((s) => Math.exp(1.2 * affinity[SKILL_CATEGORIES.indexOf(s.category)]));
    for (let k = 0; k < count; k++) {
      const i = pickWeighted(rng, weights);
      weights[i] = 0;
      const s = skills[i];
      pairs.push({
        role,
        skill: s.name,
        category: s.category,
        z: futureValue.get(s.name) ?? 0,
        affinity: affinity[SKILL_CATEGORIES.indexOf(s.category)],
        need: rng.normal(),
      });
    }
  });

  const n = pairs.length;
  const cols = {
    trend: [] as number[],
    usage: [] as number[],
    scarcity: [] as number[],
    difficulty: [] as number[],
    automation: [] as number[],
    cost: [] as number[],
    growth: [] as number[],
    years: [] as number[],
  };
  const score: number[] = [];
  for (const p of pairs) {
    const soft = p.category === "Soft Skill" || p.category === "Leadership";
    const automationLatent = -0.8 * p.z + (soft ? -1.0 : 0.3) + 0.7 * rng.normal();
    cols.trend.push(clip(gauss(rng, 55 + 13 * p.z, 6), 0, 100));
    // Low internal usage of a needed skill is a gap, hence a hint of high priority.
    cols.usage.push(sigmoid(0.9 * p.affinity - 0.8 * p.need + 0.6 * rng.normal()));
    const scarcity = clip(5 + 1.1 * p.z + 0.6 * p.need + 1.2 * rng.normal(), 0, 10);
    cols.scarcity.push(scarcity);
    cols.difficulty.push(clip(1.5 + 0.55 * scarcity + 0.5 * p.need + 1.3 * rng.normal(), 1, 10));
    cols.automation.push(sigmoid(automationLatent));
    const costScale = p.category === "Technical" ? 1.5 : p.category === "Leadership" ? 1.8 : 1;
    // ~2% of training costs were never recorded.
    cols.cost.push(rng.next() < 0.02 ? Number.NaN : logNormal(rng, 900 * costScale, 0.7));
    cols.growth.push(gauss(rng, 4 + 6 * p.z, 6));
    cols.years.push(clip(Math.round(Math.exp(2.1 - 0.35 * p.z + 0.5 * rng.normal())), 1, 30));
    score.push(1.0 * p.z + 0.6 * p.affinity + 0.45 * p.need - 0.25 * automationLatent + 0.3 * rng.normal());
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b] || a - b);
  const label = new Array<string>(n);
  const { LOW, MEDIUM } = FUTURE_SKILLS_CLASS_COUNTS;
  order.forEach((row, rank) => {
    label[row] = rank < LOW ? "LOW" : rank < LOW + MEDIUM ? "MEDIUM" : "HIGH";
  });

  return new Table([
    text(
      "job_role_name",
      pairs.map((p) => ROLES[p.role][0]),
    ),
    text(
      "skill_name",
      pairs.map((p) => p.skill),
    ),
    text(
      "skill_category",
      pairs.map((p) => p.category),
    ),
    numeric("trend_score", cols.trend, 1),
    numeric("internal_usage", cols.usage, 3),
    numeric("scarcity_index", cols.scarcity, 2),
    numeric("hiring_difficulty", cols.difficulty, 1),
    numeric("automation_risk", cols.automation, 3),
    numeric("training_cost", cols.cost, -1),
    numeric("market_demand_growth", cols.growth, 1),
    numeric("years_relevant", cols.years),
    text("future_skill_priority", label),
  ]);
}
