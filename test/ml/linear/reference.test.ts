import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsv } from "../../../src/data/csv/read.js";
import { FeatureMatrix } from "../../../src/ml/features.js";
import {
  ElasticNet,
  Lasso,
  LinearRegression,
  LogisticRegression,
  Ridge,
} from "../../../src/ml/linear/index.js";

interface Case {
  estimator: string;
  dataset: string;
  params: Record<string, unknown>;
  weighted: boolean;
  coef: number[];
  intercept: number[];
  predict?: number[];
  predictProba?: number[];
  classes?: string[];
  coefShape?: number[];
}

const reference = JSON.parse(
  readFileSync(new URL("../../fixtures/linear/reference.json", import.meta.url), "utf8"),
) as { cases: Case[] };

/** The dataset's features standardized as scikit-learn's StandardScaler (population std), and its target. */
async function load(name: string): Promise<{ X: FeatureMatrix; y: Float64Array | string[] }> {
  const t = await readCsv(new URL(`../../../examples/reference/${name}.csv`, import.meta.url).pathname);
  const features = t.columns
    .filter((c) => c.name !== "target")
    .map((c) => {
      if (c.kind !== "numeric") throw new Error(`${c.name} is not numeric`);
      const v = c.values;
      const n = v.length;
      const mean = v.reduce((a, x) => a + x, 0) / n;
      const std = Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / n);
      return { kind: "numeric" as const, name: c.name, values: v.map((x) => (x - mean) / std) };
    });
  const target = t.column("target");
  const y =
    target.kind === "numeric"
      ? target.values
      : target.kind === "categorical"
        ? Array.from(target.codes, (c) => target.levels[c])
        : [];
  return { X: new FeatureMatrix(features, t.nRows), y };
}

/** Within 1e-4 relative of the reference (plus a 1e-7 × ‖ref‖∞ floor for coefficients at zero). */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    const tol = rel * Math.abs(expected[i]) + 1e-7 * scale;
    if (!(Math.abs(actual[i] - expected[i]) <= tol))
      throw new Error(`index ${i}: got ${actual[i]}, expected ${expected[i]} (±${tol.toExponential(2)})`);
  }
}

const weights = (n: number) => Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));

describe("linear models match scikit-learn 1.2.1 (test/fixtures/linear/reference.json)", () => {
  for (const c of reference.cases) {
    const title = `${c.estimator} ${JSON.stringify(c.params)} on ${c.dataset}${c.weighted ? " (weighted)" : ""}`;
    it(title, async () => {
      const { X, y } = await load(c.dataset);
      const sampleWeight = c.weighted ? weights(X.nRows) : undefined;
      if (c.estimator === "LogisticRegression") {
        const m = await new LogisticRegression(c.params).fit(X, y as string[], { sampleWeight });
        expect(m.warnings).toEqual([]);
        expect(m.classes.map(String)).toEqual(c.classes);
        expectClose(m.coef, c.coef);
        expectClose(m.intercept, c.intercept);
        expectClose(m.predictProba(X), c.predictProba ?? [], 1e-4);
        return;
      }
      const make = { LinearRegression, Ridge, Lasso, ElasticNet }[c.estimator];
      if (!make) throw new Error(`unknown estimator ${c.estimator}`);
      const m = await new make(c.params as never).fit(X, y as Float64Array, { sampleWeight });
      expect(m.warnings).toEqual([]);
      expectClose(m.coef, c.coef);
      expectClose([m.intercept], c.intercept);
      expectClose(m.predict(X), c.predict ?? []);
    });
  }
});
