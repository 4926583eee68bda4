import { beforeAll, describe, expect, it } from "vitest";
import type { Table } from "../../../src/data/table.js";
import type { Transformer } from "../../../src/ml/estimator.js";
import {
  defaultPreprocessor,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
} from "../../../src/ml/preprocessing/index.js";
import { admissionsHoles, cells, close, futureSkills, type ReferenceCase, reference } from "./helpers.js";

function build(c: ReferenceCase): Transformer {
  const p = c.params as never;
  switch (c.kind) {
    case "SimpleImputer":
      return new SimpleImputer(p);
    case "OneHotEncoder":
      return new OneHotEncoder(p);
    case "OrdinalEncoder":
      return new OrdinalEncoder(p);
    case "StandardScaler":
      return new StandardScaler(p);
    case "MinMaxScaler":
      return new MinMaxScaler(p);
    case "RobustScaler":
      return new RobustScaler(p);
    case "defaultPreprocessor":
      return defaultPreprocessor(p);
  }
  throw new Error(`unknown kind ${c.kind}`);
}

describe("transformers match scikit-learn 1.2.1 (test/fixtures/preprocessing/generate.py)", () => {
  const data: Record<string, Table> = {};
  beforeAll(async () => {
    data.admissions_holes = await admissionsHoles();
    data.future_skills = await futureSkills();
  });

  it("has the reference cases", () => {
    expect(reference.cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of reference.cases) {
    it(c.name, async () => {
      const table = data[c.dataset].select(c.columns);
      const t = build(c);
      await t.fit(c.fitRows ? table.take(c.fitRows) : table);
      const out = t.transform(c.rows ? table.take(c.rows) : table);
      expect(t.featureNamesOut()).toEqual(c.names);
      expect(out.names).toEqual(c.names);
      c.values.forEach((expected, j) => {
        const got = cells(out, j, reference.rows);
        const bad = got.findIndex((v, i) => !close(v, expected[i]));
        expect(bad, `${c.names[j]} row ${bad}: got ${got[bad]}, expected ${expected[bad]}`).toBe(-1);
      });
    });
  }
});
