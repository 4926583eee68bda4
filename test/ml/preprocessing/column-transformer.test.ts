import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Column } from "../../../src/data/column.js";
import { inferSchema, SEMANTIC_TYPES } from "../../../src/data/schema.js";
import { Table } from "../../../src/data/table.js";
import { createEstimator } from "../../../src/ml/catalog.js";
import type { Transformer } from "../../../src/ml/estimator.js";
import {
  ColumnTransformer,
  defaultPreprocessor,
  OneHotEncoder,
  StandardScaler,
} from "../../../src/ml/preprocessing/index.js";
import { admissionsHoles, futureSkills } from "./helpers.js";

/** One route per semantic type: the columns each takes must be inferSchema's grouping. */
async function routedByType(t: Table): Promise<Record<string, readonly string[]>> {
  const ct = new ColumnTransformer(
    SEMANTIC_TYPES.map((type) => [type, "passthrough", { types: [type] }] as const),
  );
  await ct.fit(t);
  return ct.columnsByRoute;
}

function schemaGroups(t: Table): Record<string, string[]> {
  const groups: Record<string, string[]> = Object.fromEntries(SEMANTIC_TYPES.map((s) => [s, []]));
  for (const c of inferSchema(t).columns) groups[c.type].push(c.name);
  return groups;
}

describe("ColumnTransformer", () => {
  it("routes by the types inferSchema gives", async () => {
    for (const t of [await admissionsHoles(), await futureSkills()])
      expect(await routedByType(t)).toEqual(schemaGroups(t));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }).chain((n) =>
          fc.array(
            fc.array(
              fc.oneof(
                fc.constant(Number.NaN),
                fc.integer({ min: 0, max: 3 }),
                fc.double({ min: -10, max: 10, noNaN: true }),
                fc.nat(),
              ),
              {
                minLength: n,
                maxLength: n,
              },
            ),
            { minLength: 1, maxLength: 4 },
          ),
        ),
        async (cols) => {
          const t = new Table(
            cols.map(
              (v, j): Column => ({
                kind: "numeric",
                name: j === 0 ? "row_id" : `v${j}`,
                values: Float64Array.from(v),
              }),
            ),
          );
          expect(await routedByType(t)).toEqual(schemaGroups(t));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("drops ids, passes the remainder through when asked, and honours type overrides", async () => {
    const adm = (await admissionsHoles()).drop(["admitted"]);
    const pre = defaultPreprocessor();
    await pre.fit(adm);
    expect(pre.dropped).toEqual([{ name: "applicant_id", type: "id" }]);
    // a dropped column is not needed at transform time, and not part of the input spec
    expect(pre.transform(adm.drop(["applicant_id"])).names).toEqual(pre.featureNamesOut());
    expect(pre.toParts().features.map((f) => f.name)).not.toContain("applicant_id");
    expect(pre.columnsByRoute.categorical).toEqual(["intended_major", "school_type", "region"]);
    expect(pre.columnsByRoute.numeric).toContain("first_generation");

    const pass = new ColumnTransformer([["s", new StandardScaler(), ["gpa"]]], { remainder: "passthrough" });
    await pass.fit(adm.select(["applicant_id", "gpa", "region"]));
    expect(pass.featureNamesOut()).toEqual(["gpa", "applicant_id", "region"]);
    const out = pass.transform(adm.select(["region", "gpa", "applicant_id", "sat_score"]));
    expect(out.names).toEqual(["gpa", "applicant_id", "region"]);
    expect(out.features[2].kind).toBe("categorical");

    const over = defaultPreprocessor({ typeOverrides: { ap_courses: "categorical" } });
    await over.fit(adm);
    expect(over.columnsByRoute.categorical).toContain("ap_courses");
    expect(over.featureNamesOut()).toContain("ap_courses_6");

    const routes = new ColumnTransformer([
      ["keep", "passthrough", ["gpa"]],
      ["gone", "drop", ["region"]],
      ["hot", new OneHotEncoder(), ["school_type"]],
    ]);
    await routes.fit(adm);
    expect(routes.featureNamesOut().slice(0, 2)).toEqual(["gpa", "school_type_Charter"]);
    expect(routes.featureNamesOut()).not.toContain("region");
  });

  it("an empty route is fitted on no columns and outputs none", async () => {
    const skills = await futureSkills();
    const pre = defaultPreprocessor();
    await pre.fit(skills.select(["trend_score", "internal_usage"]));
    expect(pre.columnsByRoute.categorical).toEqual([]);
    expect(pre.featureNamesOut()).toEqual(["trend_score", "internal_usage"]);
  });

  it("clones with own params and route__param; its spec rebuilds it", async () => {
    const ct = defaultPreprocessor();
    const c = ct.clone({ remainder: "passthrough", numeric__scaler__withMean: false });
    expect(c.params.remainder).toBe("passthrough");
    expect(c.toSpec().children?.numeric.children?.scaler.params.withMean).toBe(false);
    expect(ct.toSpec().children?.numeric.children?.scaler.params.withMean).toBe(true);
    const rebuilt = createEstimator(c.toSpec()) as Transformer;
    expect(rebuilt.toSpec()).toEqual(c.toSpec());
    const skills = await futureSkills();
    await rebuilt.fit(skills);
    expect(rebuilt.featureNamesOut()).toContain("skill_category_Soft Skill");
  });
});
