import pc from "picocolors";
import type { Finding } from "./findings.js";
import type { ColumnReport, QualityReport } from "./report.js";

export interface RenderOptions {
  /** ANSI colours; the caller decides (TTY and NO_COLOR). */
  color: boolean;
  /** Line width to fit; 100 by default. */
  width?: number;
}

/** A number in at most ~6 significant characters: 12, 3.142, 1.2e+6. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  if (Number.isInteger(x) && Math.abs(x) < 1e7) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e7 || a < 1e-3)) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

const percent = (x: number) => `${x < 10 && x > 0 ? x.toFixed(1) : Math.round(x)}%`;

function clip(s: string, n: number): string {
  if (n <= 1) return s.slice(0, Math.max(0, n));
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function summary(c: ColumnReport): string {
  if (c.numeric) {
    const n = c.numeric;
    return `${formatNumber(n.min)} … ${formatNumber(n.quantiles.p50)} … ${formatNumber(n.max)}  mean ${formatNumber(n.mean)} sd ${formatNumber(n.std)}`;
  }
  if (c.datetime) return `${c.datetime.min} … ${c.datetime.max}`;
  if (c.categorical && c.type === "id") return `e.g. ${c.categorical.top.map((t) => t.value).join(", ")}`;
  if (c.categorical) {
    return c.categorical.top.map((t) => `${t.value} ${percent(100 * t.share)}`).join(", ");
  }
  return "";
}

/** The report as terminal text: header, schema table, classes, findings, verdict. */
export function renderQualityReport(report: QualityReport, options: RenderOptions): string {
  const c = pc.createColors(options.color);
  const width = Math.max(60, options.width ?? 100);
  const lines: string[] = [];
  const t = report.target;

  // Header
  lines.push(c.bold(report.source ?? "table"));
  let sub = `${report.rows} rows × ${report.columns} columns`;
  if (t) {
    sub += ` · target "${t.name}"`;
    if (t.task) sub += ` · ${t.task.task} (${t.task.rule})`;
  }
  lines.push(sub, "");

  // Schema table
  const nameW = Math.min(28, Math.max(6, ...report.schema.map((s) => s.name.length)));
  const typeW = 12;
  const head = `${"column".padEnd(nameW)}  ${"type".padEnd(typeW)}  ${"missing".padStart(7)}  ${"distinct".padStart(8)}  summary`;
  lines.push(c.bold(head));
  const fixed = nameW + typeW + 7 + 8 + 8;
  for (const s of report.schema) {
    const isTarget = s.name === t?.name;
    const name = clip(s.name, nameW).padEnd(nameW);
    const type = (isTarget ? `${s.type}*` : s.type).padEnd(typeW);
    const miss = percent(s.missingPct).padStart(7);
    const row = `${name}  ${type}  ${s.missing > 0 ? c.yellow(miss) : miss}  ${String(s.distinct).padStart(8)}  ${clip(summary(s), width - fixed)}`;
    lines.push(isTarget ? c.cyan(row) : row);
  }
  if (t) lines.push(c.dim("* target"));

  // Class distribution
  if (t?.classes) {
    lines.push(
      "",
      c.bold(`Classes of "${t.name}"`) + c.dim(`  (imbalance ${(t.imbalanceRatio ?? 1).toFixed(1)}×)`),
    );
    const labelW = Math.min(24, Math.max(...t.classes.map((k) => k.label.length)));
    const countW = Math.max(...t.classes.map((k) => String(k.count).length));
    const barW = Math.max(10, Math.min(30, width - labelW - countW - 14));
    const top = Math.max(...t.classes.map((k) => k.share));
    const shown = t.classes.slice(0, 30);
    for (const k of shown) {
      const bar = "█".repeat(Math.max(1, Math.round((barW * k.share) / top)));
      const small = k.count < report.options.minPerClass;
      const text = `  ${clip(k.label, labelW).padEnd(labelW)}  ${String(k.count).padStart(countW)}  ${percent(100 * k.share).padStart(5)}  `;
      lines.push(text + (small ? c.red(bar) : c.green(bar)));
    }
    if (t.classes.length > shown.length)
      lines.push(c.dim(`  … ${t.classes.length - shown.length} more classes`));
  }
  if (t && t.missing > 0) lines.push(c.dim(`  ${t.missing} rows without a target`));

  // Findings
  lines.push("", c.bold("Findings"));
  if (report.findings.length === 0) lines.push(c.green("  none"));
  const mark = (f: Finding) =>
    f.severity === "error"
      ? c.red("✖ error  ")
      : f.severity === "warning"
        ? c.yellow("▲ warning")
        : c.dim("· info   ");
  for (const f of report.findings) {
    const where = f.column !== undefined ? `${f.column}: ` : "";
    lines.push(`  ${mark(f)}  ${where}${f.message} ${c.dim(`[${f.code}]`)}`);
  }

  // Verdict
  const n = (sev: Finding["severity"]) => report.findings.filter((f) => f.severity === sev).length;
  const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? "" : "s"}`;
  const counts = `${plural(n("error"), "error")}, ${plural(n("warning"), "warning")}, ${plural(n("info"), "note")}`;
  const verdict =
    report.verdict === "unfit"
      ? c.red(c.bold("UNFIT for training"))
      : report.verdict === "fit_with_warnings"
        ? c.yellow(c.bold("FIT for training, with warnings"))
        : c.green(c.bold("FIT for training"));
  lines.push("", `Verdict: ${verdict} (${counts})`);
  return `${lines.join("\n")}\n`;
}
