import { describe, expect, it } from "vitest";
import type { Column } from "../../src/data/column.js";
import { Random } from "../../src/data/random.js";
import { readTable } from "../../src/data/read.js";
import { Table } from "../../src/data/table.js";
import { explainRow, partialDependence, permutationImportance } from "../../src/ml/explain/index.js";
import { LinearRegression } from "../../src/ml/linear/index.js";
import { RandomForestClassifier } from "../../src/ml/trees/index.js";

/** y = 3·x1 + 1·x2 + 0·x3 + noise, x's independent standard normals. */
function planted(n: number, seed: number): { X: Table; y: Float64Array } {
  const rng = new Random(seed);
  const cols = [1, 2, 3].map((k) => ({
    kind: "numeric" as const,
    name: `x${k}`,
    values: new Float64Array(n),
  }));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of cols) c.values[i] = rng.normal();
    y[i] = 3 * cols[0].values[i] + cols[1].values[i] + 0.1 * rng.normal();
  }
  return { X: new Table(cols), y };
}

describe("explanations", () => {
  it("permutation importance ranks planted features and is seeded", async () => {
    const { X, y } = planted(2000, 1);
    const model = await new LinearRegression().fit(X, y);
    const r = await permutationImportance(model, X, y, { nRepeats: 5, seed: 7 });
    expect(r.scoring).toBe("r2");
    expect(r.importances.map((i) => i.feature)).toEqual(["x1", "x2", "x3"]);
    // Shuffling x1 destroys its share of the variance: about 2·9/10 of R².
    expect(r.importances[0].mean).toBeGreaterThan(1.5);
    expect(Math.abs(r.importances[2].mean)).toBeLessThan(0.01);
    expect(r.importances[0].drops).toHaveLength(5);
    expect(await permutationImportance(model, X, y, { nRepeats: 5, seed: 7 })).toEqual(r);
    expect(await permutationImportance(model, X, y, { nRepeats: 5, seed: 8 })).not.toEqual(r);
    // On two worker threads (the model sent as its parts): the same numbers.
    expect(await permutationImportance(model, X, y, { nRepeats: 5, seed: 7, nJobs: 2 })).toEqual(r);
  });

  it("partial dependence of a linear model is a line with the coefficient as slope", async () => {
    const { X, y } = planted(500, 2);
    const model = await new LinearRegression().fit(X, y);
    const pd = partialDependence(model, X, "x1", { gridResolution: 10 });
    expect(pd.kind).toBe("numeric");
    expect(pd.grid).toHaveLength(10);
    const coef = model.coef[0];
    for (let k = 1; k < 10; k++) {
      const slope =
        (pd.average[k] - pd.average[k - 1]) / ((pd.grid[k] as number) - (pd.grid[k - 1] as number));
      expect(slope).toBeCloseTo(coef, 9);
    }
  });

  it("Shapley sampling adds up to prediction − base value; for a linear model each is coef·(x − mean)", async () => {
    const { X, y } = planted(400, 3);
    const model = await new LinearRegression().fit(X, y);
    const row = X.slice(5, 6);
    const e = explainRow(model, X, row, { nSamples: 400, seed: 1, backgroundSize: 400 });
    expect(e.method).toBe("shapley-sampling");
    const sum = e.contributions.reduce((s, c) => s + c.contribution, 0);
    expect(sum).toBeCloseTo(e.prediction - e.baseValue, 0);
    for (const c of e.contributions) {
      const j = Number(c.feature.slice(1)) - 1;
      const col = X.column(c.feature) as Extract<Column, { kind: "numeric" }>;
      const mean = col.values.reduce((s, v) => s + v, 0) / col.values.length;
      const exact = model.coef[j] * ((c.value as number) - mean);
      expect(Math.abs(c.contribution - exact)).toBeLessThan(0.25 * Math.abs(model.coef[0]));
    }
  });

  it("works with categoricals and classifiers", async () => {
    const table = await readTable("examples/admissions.csv");
    const X = table.drop(["admitted", "applicant_id"]);
    const y = table.column("admitted");
    const model = await new RandomForestClassifier({ nEstimators: 20, randomState: 1 }).fit(X, y);
    const pd = partialDependence(model, X, "school_type", { sampleSize: 300 });
    expect(pd.kind).toBe("categorical");
    expect(pd.output).toBe("P(yes)");
    expect(pd.grid.length).toBe(5);
    for (const v of pd.average) expect(v).toBeGreaterThanOrEqual(0);
    const e = explainRow(model, X, X.slice(0, 1), { nSamples: 50, backgroundSize: 50 });
    expect(e.contributions).toHaveLength(X.nCols);
    expect(e.prediction).toBeGreaterThanOrEqual(0);
    expect(() => explainRow(model, X, X.slice(0, 2))).toThrow(/exactly one row/);
    const serial = await permutationImportance(model, X, y, {
      nRepeats: 2,
      columns: ["gpa", "region"],
      nJobs: 1,
    });
    const parallel = await permutationImportance(model, X, y, {
      nRepeats: 2,
      columns: ["gpa", "region"],
      nJobs: 2,
    });
    expect(parallel).toEqual(serial);
    expect(serial.importances[0].feature).toBe("gpa");
    expect(() => partialDependence(model, X, "nope")).toThrow(/"nope"/);
  });
});
