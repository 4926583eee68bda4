import type { Column } from "./column.js";
import { DataLoadError } from "./errors.js";
import { distinctSorted, sortedPresent } from "./schema.js";
import type { Table } from "./table.js";

export type TaskKind = "binary" | "multiclass" | "regression";
export type TaskOption = "auto" | TaskKind;
export const TASK_OPTIONS: readonly TaskOption[] = ["auto", "binary", "multiclass", "regression"];

export interface TaskInfo {
  target: string;
  task: TaskKind;
  /** Classification: class labels, sorted (numerically for numeric targets). */
  classes?: string[];
  /** Classification: rows per class, aligned with `classes`; empty for regression. */
  counts: number[];
  /** Rows whose target is present. */
  rows: number;
  /** Rows whose target is missing (they cannot be used for training). */
  missingTarget: number;
  /** Distinct present target values. */
  distinct: number;
  /** Why the inferred task might be wrong, when it might. */
  ambiguous?: string;
  /** The rule that decided the task, for people. */
  rule: string;
  /** True when the task was given rather than inferred. */
  forced: boolean;
}

export interface TaskOptions {
  task?: TaskOption;
}

// docs/data.md writes these down.
export const MAX_AMBIGUOUS_CLASSES = 20;
export const MAX_CLASS_SHARE = 0.05;

/** The target's classes (sorted labels) and per-row class index (-1 when missing). */
export interface TargetClasses {
  classes: string[];
  counts: number[];
  codes: Int32Array;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Encodes a target column as sorted class labels plus a class index per row. */
export function targetClasses(c: Column): TargetClasses {
  if (c.kind === "categorical") {
    const used = new Int32Array(c.levels.length);
    for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) used[c.codes[i]]++;
    const levelIdx = [...c.levels.keys()].filter((l) => used[l] > 0);
    levelIdx.sort((a, b) => compareStrings(c.levels[a], c.levels[b]));
    const remap = new Int32Array(c.levels.length).fill(-1);
    levelIdx.forEach((l, k) => {
      remap[l] = k;
    });
    const codes = new Int32Array(c.codes.length);
    for (let i = 0; i < codes.length; i++) codes[i] = c.codes[i] >= 0 ? remap[c.codes[i]] : -1;
    return { classes: levelIdx.map((l) => c.levels[l]), counts: levelIdx.map((l) => used[l]), codes };
  }
  if (c.kind === "boolean") {
    const counts = [0, 0];
    const raw = new Int32Array(c.values.length);
    for (let i = 0; i < raw.length; i++) {
      const v = c.values[i];
      raw[i] = v === 255 ? -1 : v;
      if (v !== 255) counts[v]++;
    }
    const classes = ["false", "true"].filter((_, k) => counts[k] > 0);
    if (classes.length === 2) return { classes, counts, codes: raw };
    // One class only: recode it as class 0.
    for (let i = 0; i < raw.length; i++) if (raw[i] >= 0) raw[i] = 0;
    return { classes, counts: counts.filter((k) => k > 0), codes: raw };
  }
  const sorted = sortedPresent(c.values);
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) {
      distinct.push(sorted[i]);
      counts.push(0);
    }
    counts[counts.length - 1]++;
  }
  const index = new Map<number, number>();
  distinct.forEach((v, k) => {
    index.set(v, k);
  });
  const codes = new Int32Array(c.values.length);
  for (let i = 0; i < codes.length; i++) {
    const v = c.values[i];
    codes[i] = Number.isNaN(v) ? -1 : (index.get(v === 0 ? 0 : v) ?? -1);
  }
  const label = (v: number) => (c.kind === "datetime" ? new Date(v).toISOString() : String(v));
  return { classes: distinct.map(label), counts, codes };
}

/** The target column, or a DataLoadError that lists the columns there are. */
export function targetColumn(table: Table, target: string): Column {
  if (!table.has(target)) {
    const names = table.names;
    const list = names.slice(0, 30).join(", ") + (names.length > 30 ? `, … (${names.length} in all)` : "");
    throw new DataLoadError(`target column not found (columns: ${list})`, { field: target });
  }
  return table.column(target);
}

/**
 * Decides the learning task for `target`: inferred by the rule in docs/data.md, or the
 * forced `options.task` after checking that the target supports it.
 */
export function inferTask(table: Table, target: string, options: TaskOptions = {}): TaskInfo {
  const c = targetColumn(table, target);
  const wanted = options.task ?? "auto";
  if (!TASK_OPTIONS.includes(wanted)) {
    throw new DataLoadError(`unknown task "${wanted}" (tasks: ${TASK_OPTIONS.join(", ")})`);
  }
  const at = { field: target };
  const n = table.nRows;
  // Numeric targets are profiled from a sorted copy; classes are encoded only for classification.
  const sorted = c.kind === "numeric" || c.kind === "datetime" ? sortedPresent(c.values) : undefined;
  let enc: TargetClasses | undefined = sorted ? undefined : targetClasses(c);
  const { rows, distinct, first } = sorted
    ? { rows: sorted.length, distinct: distinctSorted(sorted), first: String(sorted[0]) }
    : {
        rows: enc?.counts.reduce((x, y) => x + y, 0) ?? 0,
        distinct: enc?.classes.length ?? 0,
        first: enc?.classes[0] ?? "",
      };
  const missingTarget = n - rows;
  if (rows === 0) throw new DataLoadError(`the target has no values (all ${n} rows missing)`, at);
  if (distinct === 1)
    throw new DataLoadError(`the target has a single value ("${first}") in all ${rows} rows`, at);
  if (c.kind === "datetime") throw new DataLoadError("a date/time target is not supported", at);
  const classesOf = (): TargetClasses => {
    enc ??= targetClasses(c);
    return enc;
  };

  const base = { target, rows, missingTarget, distinct };
  const classification = (task: "binary" | "multiclass", rule: string, ambiguous?: string): TaskInfo => ({
    ...base,
    task,
    classes: classesOf().classes,
    counts: classesOf().counts,
    ...(ambiguous !== undefined ? { ambiguous } : {}),
    rule,
    forced: wanted !== "auto",
  });
  const regression = (rule: string, ambiguous?: string): TaskInfo => ({
    ...base,
    task: "regression",
    counts: [],
    ...(ambiguous !== undefined ? { ambiguous } : {}),
    rule,
    forced: wanted !== "auto",
  });

  if (wanted === "binary") {
    if (distinct !== 2)
      throw new DataLoadError(`binary classification needs 2 classes, the target has ${distinct}`, at);
    return classification("binary", "forced: --task binary");
  }
  if (wanted === "multiclass") return classification("multiclass", "forced: --task multiclass");
  if (wanted === "regression") {
    if (c.kind !== "numeric") {
      throw new DataLoadError(`regression needs a numeric target, this one is ${c.kind} (text values)`, at);
    }
    return regression("forced: --task regression");
  }

  if (c.kind === "categorical" || c.kind === "boolean") {
    const what = c.kind === "boolean" ? "boolean" : "categorical";
    return distinct === 2
      ? classification("binary", `${what} target with 2 classes`)
      : classification("multiclass", `${what} target with ${distinct} classes`);
  }
  if (sorted && !sorted.every(Number.isInteger)) return regression("numeric target with fractional values");
  if (distinct === 2) return classification("binary", "integer target with 2 distinct values");
  const pass = (task: TaskKind) => `could be ${task}; pass --task ${task}`;
  if (distinct <= MAX_AMBIGUOUS_CLASSES && distinct <= MAX_CLASS_SHARE * rows) {
    return classification(
      "multiclass",
      `integer target with ${distinct} distinct values (≤ ${MAX_AMBIGUOUS_CLASSES} and ≤ 5% of rows)`,
      pass("regression"),
    );
  }
  return regression(
    `integer target with ${distinct} distinct values`,
    distinct <= MAX_AMBIGUOUS_CLASSES ? pass("multiclass") : undefined,
  );
}
