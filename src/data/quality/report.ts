import type { CategoricalColumn, Column } from "../column.js";
import { type ColumnSchema, columnSchema, profileColumn, type SemanticType } from "../schema.js";
import type { Table } from "../table.js";
import { inferTask, type TaskInfo, type TaskOption, targetClasses, targetColumn } from "../task.js";
import { type DuplicateRows, duplicateRows } from "./duplicates.js";
import { type Finding, qualityFindings, sortFindings, verdictOf } from "./findings.js";
import { findLeaks, type LeakSuspect } from "./leakage.js";
import {
  booleanSummary,
  type CategoricalSummary,
  categoricalSummary,
  type DatetimeSummary,
  type NumericSummary,
  numericSummary,
  sortedOf,
  topShareSorted,
} from "./stats.js";

export type { Finding, Severity } from "./findings.js";

export interface QualityOptions {
  /** Target column; enables the class, sample-size and leakage checks. */
  target?: string;
  task?: TaskOption;
  /** Per-column semantic type overrides (see inferSchema). */
  overrides?: Record<string, SemanticType>;
  /** Fewer usable rows than this blocks training. */
  minRows?: number;
  /** A class with fewer rows than this blocks training. */
  minPerClass?: number;
  /** A column whose most frequent value has at least this share is near-constant. */
  nearConstantRatio?: number;
  /** Categorical columns with more distinct values than this are high-cardinality. */
  highCardinality?: number;
  /** Share of missing cells from which a column is reported. */
  highMissing?: number;
  /** Single-feature score from which a column is suspected of leaking the target. */
  leakageThreshold?: number;
  /** Leakage scores use a seeded sample of at most this many rows. */
  sampleSize?: number;
  /** Where the table came from (shown in the report header). */
  source?: string;
}

export type ResolvedQualityOptions = Required<
  Omit<QualityOptions, "target" | "task" | "overrides" | "source">
>;

export const QUALITY_DEFAULTS: ResolvedQualityOptions = {
  minRows: 50,
  minPerClass: 10,
  nearConstantRatio: 0.99,
  highCardinality: 50,
  highMissing: 0.5,
  leakageThreshold: 0.99,
  sampleSize: 100_000,
};

export interface ColumnReport extends ColumnSchema {
  /** Missing cells as a percentage of rows (0–100). */
  missingPct: number;
  /** Share of present values taken by the most frequent value (0 when none present). */
  topShare: number;
  numeric?: NumericSummary;
  categorical?: CategoricalSummary;
  datetime?: DatetimeSummary;
}

export interface ClassShare {
  label: string;
  count: number;
  share: number;
}

export interface TargetReport {
  name: string;
  /** Rows whose target is missing. */
  missing: number;
  /** Absent when the target cannot be learnt (all missing, a single value). */
  task?: TaskInfo;
  classes?: ClassShare[];
  /** Majority class count / minority class count. */
  imbalanceRatio?: number;
}

/** The data-quality report: plain JSON (no typed arrays, no NaN), safe to serialize. */
export interface QualityReport {
  source?: string;
  rows: number;
  columns: number;
  schema: ColumnReport[];
  duplicates: DuplicateRows;
  target?: TargetReport;
  leakage: LeakSuspect[];
  findings: Finding[];
  verdict: "fit" | "fit_with_warnings" | "unfit";
  options: ResolvedQualityOptions;
}

function columnReport(c: Column, nRows: number, override: SemanticType | undefined): ColumnReport {
  const sorted = sortedOf(c);
  const profile = profileColumn(c, sorted);
  const schema = columnSchema(c, profile, override);
  const missingPct = nRows > 0 ? (100 * profile.missing) / nRows : 0;
  if (c.kind === "numeric" && sorted) {
    const numeric = numericSummary(c.values, sorted);
    return { ...schema, missingPct, topShare: topShareSorted(sorted), ...(numeric ? { numeric } : {}) };
  }
  if (c.kind === "datetime" && sorted) {
    const datetime =
      sorted.length > 0
        ? { min: new Date(sorted[0]).toISOString(), max: new Date(sorted[sorted.length - 1]).toISOString() }
        : undefined;
    return { ...schema, missingPct, topShare: topShareSorted(sorted), ...(datetime ? { datetime } : {}) };
  }
  const { topShare, ...categorical } =
    c.kind === "boolean" ? booleanSummary(c.values) : categoricalSummary(c as CategoricalColumn);
  return { ...schema, missingPct, topShare, categorical };
}

function targetReport(col: ColumnReport, task: TaskInfo | undefined): TargetReport {
  const base: TargetReport = { name: col.name, missing: col.missing };
  if (!task) return base;
  if (!task.classes) return { ...base, task };
  const total = task.rows;
  const classes = task.classes.map((label, k) => ({
    label,
    count: task.counts[k],
    share: task.counts[k] / total,
  }));
  const max = Math.max(...task.counts);
  const min = Math.min(...task.counts);
  return { ...base, task, classes, imbalanceRatio: max / min };
}

/**
 * Profiles a table and, with a target, checks that it can be learnt: see docs/data.md for
 * every check and threshold. Throws DataLoadError for a target that does not exist or a
 * forced task the target cannot support; every other problem becomes a finding.
 */
export function qualityReport(table: Table, options: QualityOptions = {}): QualityReport {
  const opts: ResolvedQualityOptions = { ...QUALITY_DEFAULTS };
  for (const key of Object.keys(QUALITY_DEFAULTS) as (keyof ResolvedQualityOptions)[]) {
    if (options[key] !== undefined) opts[key] = options[key];
  }
  const target = options.target;
  if (target !== undefined) targetColumn(table, target);
  const overrides = options.overrides ?? {};
  const schema = table.columns.map((c) => columnReport(c, table.nRows, overrides[c.name]));
  const targetCol = schema.find((c) => c.name === target);
  // A target with no values or a single value is a finding, not an exception: the report still helps.
  const learnable = targetCol !== undefined && targetCol.distinct >= 2;
  const task =
    target !== undefined && learnable ? inferTask(table, target, { task: options.task }) : undefined;
  let leakage: LeakSuspect[] = [];
  if (target !== undefined && task) {
    const enc = task.classes ? targetClasses(table.column(target)) : undefined;
    leakage = findLeaks(table, target, {
      task: task.task,
      classCodes: enc?.codes,
      nClasses: enc?.classes.length,
      types: new Map(schema.map((c) => [c.name, c.type])),
      threshold: opts.leakageThreshold,
      sampleSize: opts.sampleSize,
    });
  }
  const report: Omit<QualityReport, "findings" | "verdict"> = {
    ...(options.source !== undefined ? { source: options.source } : {}),
    rows: table.nRows,
    columns: table.nCols,
    schema,
    duplicates: duplicateRows(table),
    ...(targetCol ? { target: targetReport(targetCol, task) } : {}),
    leakage,
    options: opts,
  };
  const findings = sortFindings(qualityFindings(report, opts));
  return { ...report, findings, verdict: verdictOf(findings) };
}
