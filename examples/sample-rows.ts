// One row of each example dataset's features (the target left out): what demos, tests and
// benches send to a model trained on it.

/** An applicant shaped like `admissions.csv` (target `admitted`). */
export const ADMISSIONS_ROW = {
  gpa: 3.6,
  sat_score: 1350,
  essay_score: 8,
  ap_courses: 4,
  extracurricular_count: 5,
  recommendation_strength: 4,
  interview_score: 4,
  family_income: 50000,
  distance_km: 300,
  intended_major: "Engineering",
  school_type: "Public",
  region: "West",
  first_generation: false,
};

/** A (role, skill) pair shaped like `future_skills.csv` (target `future_skill_priority`). */
export const FUTURE_SKILLS_ROW = {
  job_role_name: "Software Engineer",
  skill_name: "Python",
  skill_category: "Technical",
  trend_score: 61.3,
  internal_usage: 0.306,
  scarcity_index: 5.73,
  hiring_difficulty: 6.3,
  automation_risk: 0.737,
  training_cost: 670,
  market_demand_growth: 3.5,
  years_relevant: 21,
};
