/**
 * Writes every example dataset: `npx tsx examples/generate.ts [outDir]` (default: this
 * folder). The same seed always gives byte-identical files; test/examples.test.ts checks
 * the committed files against a fresh run.
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { writeCsv } from "../src/data/csv/write.js";
import type { Table } from "../src/data/table.js";
import { generateAdmissions } from "./generators/admissions.js";
import { generateGoals } from "./generators/fincoach-goals.js";
import { generateInteractions } from "./generators/fincoach-interactions.js";
import { generateMonthlySpending } from "./generators/fincoach-spending.js";
import {
  generateFincoachUsers,
  userFeaturesTable,
  userSegmentsTruthTable,
} from "./generators/fincoach-users.js";
import { generateFutureSkills } from "./generators/future-skills.js";
import { deriveSeed } from "./generators/util.js";

export const DEFAULT_SEED = 42;

export interface ExampleDataset {
  /** Path relative to the output folder, with forward slashes. */
  path: string;
  table: Table;
}

/** Every generated dataset (the reference copies in `reference/` are not generated). */
export function generateExamples(seed = DEFAULT_SEED): ExampleDataset[] {
  const users = generateFincoachUsers(deriveSeed(seed, "fincoach/users"));
  return [
    { path: "future_skills.csv", table: generateFutureSkills(deriveSeed(seed, "future_skills")) },
    { path: "admissions.csv", table: generateAdmissions(deriveSeed(seed, "admissions")) },
    { path: "fincoach/user_features.csv", table: userFeaturesTable(users) },
    { path: "fincoach/user_segments_truth.csv", table: userSegmentsTruthTable(users) },
    { path: "fincoach/goals.csv", table: generateGoals(deriveSeed(seed, "fincoach/goals"), users) },
    {
      path: "fincoach/monthly_spending.csv",
      table: generateMonthlySpending(deriveSeed(seed, "fincoach/monthly_spending"), users),
    },
    {
      path: "fincoach/interactions.csv",
      table: generateInteractions(deriveSeed(seed, "fincoach/interactions"), users),
    },
  ];
}

/** Writes the datasets under `outDir` (folders created as needed); returns the files written. */
export function writeExamples(outDir: string, seed = DEFAULT_SEED): string[] {
  return generateExamples(seed).map(({ path, table }) => {
    const file = join(outDir, ...path.split("/"));
    writeCsv(table, file);
    return file;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = process.argv[2] ?? import.meta.dirname;
  for (const file of writeExamples(outDir)) console.log(`wrote ${file}`);
}
