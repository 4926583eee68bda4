// minImpurityDecrease against scikit-learn 1.2.1 (test/fixtures/trees/min-impurity.py): on data
// whose features have fewer distinct values than bins, a fully grown tree with the same
// threshold has the same number of leaves.

import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCsv } from "../../../src/data/index.js";
import { FeatureMatrix } from "../../../src/ml/features.js";
import { classTarget } from "../../../src/ml/target.js";
import { DecisionTreeClassifier, DecisionTreeRegressor } from "../../../src/ml/trees/index.js";
import { synthetic } from "./helpers.js";

interface Case {
  path: string;
  target: string;
  features: string[];
  kind: "classifier" | "regressor";
  minImpurityDecrease: number;
  leaves: number;
}
const ref: { cases: Case[] } = JSON.parse(
  readFileSync(new URL("../../fixtures/trees/min-impurity.json", import.meta.url), "utf8"),
);

const leaves = (m: { toParts(): { arrays: Record<string, ArrayLike<number>> } }): number =>
  Array.from(m.toParts().arrays.feature).filter((f) => f === -1).length;

describe("minImpurityDecrease", () => {
  for (const c of ref.cases) {
    it(`${c.kind} on ${c.path} (${c.target}), ${c.minImpurityDecrease.toPrecision(3)}: ${c.leaves} leaves as scikit-learn`, async () => {
      const t = await readCsv(`examples/reference/${c.path}`);
      const X = FeatureMatrix.from(t.select(c.features));
      // "virginica": iris as two classes, virginica against the rest.
      const y =
        c.target === "virginica"
          ? Array.from(classTarget(t.column("target")).codes, (k) => (k === 2 ? "virginica" : "other"))
          : t.column(c.target);
      const p = { minImpurityDecrease: c.minImpurityDecrease, randomState: 0 };
      const m =
        c.kind === "classifier"
          ? await new DecisionTreeClassifier(p).fit(X, y)
          : await new DecisionTreeRegressor(p).fit(X, y);
      expect(leaves(m)).toBe(c.leaves);
    });
  }

  // A larger threshold only stops splits that the smaller one made: the tree is a pruned copy.
  it("never adds leaves as it grows", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        async (seed, v) => {
          const { X, y } = synthetic(300, seed);
          const leavesAt = async (d: number) =>
            leaves(await new DecisionTreeClassifier({ minImpurityDecrease: d, randomState: seed }).fit(X, y));
          expect(await leavesAt(v * 2)).toBeLessThanOrEqual(await leavesAt(v));
        },
      ),
      { numRuns: 15 },
    );
  });

  it("refuses a negative value, naming the parameter", () => {
    expect(() => new DecisionTreeClassifier({ minImpurityDecrease: -1 })).toThrow(/minImpurityDecrease/);
  });
});
