import { describe, expect, it } from "vitest";
import { Table } from "../../../src/data/table.js";
import { Pipeline } from "../../../src/ml/pipeline/index.js";
import { OneHotEncoder, SimpleImputer } from "../../../src/ml/preprocessing/index.js";
import { matrixBytes } from "./helpers.js";

describe("one-hot of a 1,000-level column on 1,000,000 rows", () => {
  it("costs one Int32Array of codes, not 1,000 dense columns", async () => {
    const n = 1_000_000;
    const levels = Array.from({ length: 1000 }, (_, k) => `level_${k}`);
    const codes = new Int32Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      codes[i] = s % 1000;
    }
    const X = new Table([{ kind: "categorical", name: "sku", codes, levels }]);
    const pipe = new Pipeline([
      ["impute", new SimpleImputer({ strategy: "most_frequent" })],
      ["onehot", new OneHotEncoder({ handleUnknown: "ignore" })],
    ]);
    await pipe.fit(X);
    const out = pipe.transform(X);
    expect(out.nCols).toBe(1000);
    expect(out.names[0]).toBe("sku_level_0");
    const bytes = matrixBytes(out);
    // One Int32Array of n codes (4 MB); dense float columns would be 8 GB.
    expect(bytes).toBe(4 * n);
    // and it encodes correctly: row i is 1 exactly in the column of its level (levels sort as strings)
    const sorted = [...levels].sort();
    for (const i of [0, 1, 777_777, n - 1]) {
      const j = sorted.indexOf(levels[codes[i]]);
      const f = out.features[j];
      expect(f.kind === "indicator" && f.codes[i] === f.level).toBe(true);
    }
  });
});
