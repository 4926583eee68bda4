import type { QualityReport, ResolvedQualityOptions } from "./report.js";

export type Severity = "error" | "warning" | "info";

/** One problem found in the data; `code` is stable (tests and tools match on it). */
export interface Finding {
  severity: Severity;
  code: string;
  column?: string;
  message: string;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; the order within a severity is kept. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** "unfit" iff an error finding blocks training; otherwise fit, with or without warnings. */
export function verdictOf(findings: readonly Finding[]): QualityReport["verdict"] {
  if (findings.some((f) => f.severity === "error")) return "unfit";
  return findings.some((f) => f.severity === "warning") ? "fit_with_warnings" : "fit";
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.001 ? 2 : 1)}%`;
// Shown to three decimals but never rounded up to a perfect 1.000.
const score = (x: number) => (x < 1 ? Math.min(Math.floor(x * 1000) / 1000, 0.999).toFixed(3) : "1");

/** Every check of docs/data.md ("Quality report") applied to a built report. */
export function qualityFindings(
  r: Omit<QualityReport, "findings" | "verdict">,
  o: ResolvedQualityOptions,
): Finding[] {
  const out: Finding[] = [];
  const add = (severity: Severity, code: string, message: string, column?: string) =>
    out.push(column !== undefined ? { severity, code, column, message } : { severity, code, message });
  const t = r.target;

  if (t) {
    const present = r.rows - t.missing;
    if (present === 0) add("error", "target_all_missing", `target "${t.name}" has no values`, t.name);
    else if (!t.task) {
      add("error", "single_class", `target "${t.name}" has a single value in all ${present} rows`, t.name);
    }
    if (t.missing > 0 && present > 0) {
      add(
        "warning",
        "missing_target",
        `${t.missing} rows (${pct(t.missing / r.rows)}) have no target and will be dropped`,
        t.name,
      );
    }
  }
  const usable = t ? r.rows - t.missing : r.rows;
  if (usable < o.minRows) {
    add("error", "too_few_rows", `${usable} usable rows; at least ${o.minRows} are needed (--min-rows)`);
  }
  if (t?.classes) {
    const small = t.classes.filter((c) => c.count < o.minPerClass);
    const need = `at least ${o.minPerClass} are needed (--min-per-class)`;
    // One finding per class, unless there are so many that a list would drown the report.
    if (small.length <= 5) {
      for (const c of small)
        add("error", "class_too_small", `class "${c.label}" has ${c.count} rows; ${need}`, t.name);
    } else {
      const eg = small.slice(0, 3).map((c) => `"${c.label}" (${c.count})`);
      add(
        "error",
        "class_too_small",
        `${small.length} classes have too few rows, e.g. ${eg.join(", ")}; ${need}`,
        t.name,
      );
    }
    const ratio = t.imbalanceRatio ?? 1;
    if (ratio >= 3) {
      add(
        ratio >= 10 ? "warning" : "info",
        "imbalanced",
        `classes are imbalanced: the largest is ${ratio.toFixed(1)}× the smallest`,
        t.name,
      );
    }
  }
  if (t?.task?.ambiguous) {
    add("info", "ambiguous_task", `task ${t.task.task} (${t.task.rule}); ${t.task.ambiguous}`, t.name);
  }
  for (const l of r.leakage) {
    if (l.kind === "equal") {
      add("error", "target_leak", `"${l.column}" is the target under another name (${l.metric})`, l.column);
    } else {
      const what = l.metric === "abs_pearson_r" ? "|correlation|" : "accuracy alone";
      const base = l.baseline !== undefined ? `, majority baseline ${score(l.baseline)}` : "";
      add(
        "warning",
        "target_leak",
        `"${l.column}" predicts the target almost perfectly (${what} ${score(l.score)}${base}); check it is known at prediction time`,
        l.column,
      );
    }
  }
  if (r.duplicates.count > 0) {
    const ex = r.duplicates.examples.map((e) => `${e.row}=${e.duplicateOf}`).join(", ");
    add(
      "warning",
      "duplicate_rows",
      `${r.duplicates.count} rows (${pct(r.duplicates.count / r.rows)}) repeat an earlier row (e.g. rows ${ex}, 0-based)`,
    );
  }
  for (const c of r.schema) {
    if (c.name === t?.name) continue;
    const present = r.rows - c.missing;
    if (present === 0) {
      add("warning", "all_missing", `every value is missing`, c.name);
      continue;
    }
    if (c.type === "constant") {
      add("warning", "constant_column", `a single value in every row; it carries no information`, c.name);
      continue;
    }
    if (c.missing / r.rows >= o.highMissing) {
      add("warning", "high_missing", `${pct(c.missing / r.rows)} of values are missing`, c.name);
    }
    if (c.type === "id") {
      add(
        "warning",
        "id_like",
        `looks like an identifier (${c.reason}); exclude it from the features`,
        c.name,
      );
    } else if (c.type === "text") {
      add("info", "text_column", `free text (${c.distinct} distinct values); not used as a category`, c.name);
    } else if (c.type === "categorical" && c.distinct > o.highCardinality) {
      add(
        "warning",
        "high_cardinality",
        `${c.distinct} distinct values (more than ${o.highCardinality}); consider grouping rare levels`,
        c.name,
      );
    }
    if (c.type !== "id" && c.topShare >= o.nearConstantRatio) {
      add("warning", "near_constant", `one value covers ${pct(c.topShare)} of the present rows`, c.name);
    }
  }
  return out;
}
