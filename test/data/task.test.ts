import { describe, expect, it } from "vitest";
import { tableFromRecords } from "../../src/data/builder.js";
import { DataLoadError } from "../../src/data/errors.js";
import { inferTask, type TaskOption } from "../../src/data/task.js";

const col = (ys: unknown[]) => tableFromRecords(ys.map((y, i) => ({ x: i, y })));
const cycle = (n: number, values: unknown[]) =>
  Array.from({ length: n }, (_, i) => values[i % values.length]);
const range = (n: number, f: (i: number) => unknown = (i) => i) => Array.from({ length: n }, (_, i) => f(i));

describe("inferTask: the rule", () => {
  // [case, target values, forced task, expected task, ambiguous?]
  const cases: [string, unknown[], TaskOption, string, boolean][] = [
    ["two strings", cycle(40, ["yes", "no"]), "auto", "binary", false],
    ["three strings", cycle(40, ["a", "b", "c"]), "auto", "multiclass", false],
    ["booleans", cycle(40, [true, false]), "auto", "binary", false],
    ["fractions", range(40, (i) => i / 3), "auto", "regression", false],
    ["integers 0/1", cycle(40, [0, 1]), "auto", "binary", false],
    ["3 integers in 200 rows (≤ 5%)", cycle(200, [1, 2, 3]), "auto", "multiclass", true],
    ["20 integers in 400 rows", cycle(400, range(20)), "auto", "multiclass", true],
    ["5 integers in 40 rows (> 5%)", cycle(40, range(5)), "auto", "regression", true],
    ["21 integers in 1000 rows", cycle(1000, range(21)), "auto", "regression", false],
    ["many integers", range(300, (i) => i * 7), "auto", "regression", false],
    ["forced regression on few integers", cycle(200, [1, 2, 3]), "regression", "regression", false],
    ["forced multiclass on 2 strings", cycle(40, ["a", "b"]), "multiclass", "multiclass", false],
    ["forced binary on 2 integers", cycle(40, [3, 8]), "binary", "binary", false],
  ];
  it.each(cases)("%s → %s", (_, ys, task, expected, ambiguous) => {
    const info = inferTask(col(ys), "y", { task });
    expect(info.task).toBe(expected);
    expect(info.ambiguous !== undefined).toBe(ambiguous);
    expect(info.forced).toBe(task !== "auto");
    expect(info.rule.length).toBeGreaterThan(0);
  });

  it("lists classes sorted (numerically for numbers) with their counts", () => {
    const info = inferTask(col([10, 2, 2, 1, 10, 10, ...cycle(200, [1, 2, 10])]), "y");
    expect(info.classes).toEqual(["1", "2", "10"]);
    expect(info.counts).toEqual([1 + 67, 2 + 67, 3 + 66]);
    const s = inferTask(col(["b", "a", "C", "b"]), "y");
    expect(s.classes).toEqual(["C", "a", "b"]);
    expect(s.counts).toEqual([1, 1, 2]);
  });

  it("counts rows with a missing target instead of failing", () => {
    const info = inferTask(col(["a", null, "b", "a", null]), "y");
    expect(info).toMatchObject({ task: "binary", rows: 3, missingTarget: 2, counts: [2, 1] });
  });

  it("suggests the other task when ambiguous", () => {
    expect(inferTask(col(cycle(200, [1, 2, 3])), "y").ambiguous).toMatch(/--task regression/);
    expect(inferTask(col(cycle(40, range(5))), "y").ambiguous).toMatch(/--task multiclass/);
  });
});

describe("inferTask: errors name the target", () => {
  const errors: [string, unknown[], TaskOption, RegExp][] = [
    ["all missing", [null, null, null], "auto", /no values/],
    ["one class", ["a", "a", null], "auto", /single value/],
    ["one number", [4, 4, 4], "regression", /single value/],
    ["binary with 3 classes", ["a", "b", "c"], "binary", /2 classes.*has 3/],
    ["regression on text", ["a", "b", "c"], "regression", /numeric target/],
  ];
  it.each(errors)("%s", (_, ys, task, message) => {
    const run = () => inferTask(col(ys), "y", { task });
    expect(run).toThrow(DataLoadError);
    expect(run).toThrow(message);
    expect(run).toThrow(/"y"/);
  });

  it("a missing target column lists the columns there are", () => {
    expect(() => inferTask(col([1, 2]), "label")).toThrow(/"label".*not found.*columns: x, y/);
  });

  it("refuses an unknown task name", () => {
    expect(() => inferTask(col([1, 2]), "y", { task: "clustering" as TaskOption })).toThrow(/unknown task/);
  });
});
