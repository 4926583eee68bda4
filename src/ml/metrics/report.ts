import { ParameterError } from "../errors.js";
import type { Label } from "../target.js";
import type { ZeroDivision } from "./classification.js";
import type { WeightOptions } from "./inputs.js";
import { checkZeroDivision, fromCounts, type PRFS, setCounts } from "./prf-counts.js";

export interface ClassMetrics {
  label: Label;
  precision: number;
  recall: number;
  f1: number;
  /** Weighted count of rows whose true class is `label`. */
  support: number;
  /**
   * Per-class accuracy as S1's users read it: the share of this class's rows predicted correctly,
   * i.e. its recall (tp / support). null when the class has no rows (support 0).
   */
  accuracy: number | null;
}

export interface ReportOptions extends WeightOptions {
  /** Classes to report on and their order (default: every label in yTrue or yPred, sorted). */
  labels?: readonly Label[];
  zeroDivision?: ZeroDivision;
}

/** Precision, recall, F1, support and per-class accuracy for each class. */
export function perClassMetrics(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: ReportOptions = {},
): ClassMetrics[] {
  const zero = checkZeroDivision(options.zeroDivision);
  return rowsOf(fromCounts(setCounts(yTrue, yPred, null, options), 1, null, zero));
}

function rowsOf(r: PRFS): ClassMetrics[] {
  const p = r.precision as Float64Array;
  const rc = r.recall as Float64Array;
  const f = r.f as Float64Array;
  const s = r.support as Float64Array;
  return r.labels.map((label, k) => ({
    label,
    precision: p[k],
    recall: rc[k],
    f1: f[k],
    support: s[k],
    accuracy: s[k] === 0 ? null : rc[k],
  }));
}

export interface AverageRow {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** scikit-learn's classification_report as data, plus the same text in `text`. */
export interface ClassificationReport {
  classes: ClassMetrics[];
  /** The micro average, shown as "accuracy" when it equals accuracy (labels not restricted); else null. */
  accuracy: number | null;
  /** The micro average row when `labels` restricts the classes (then it is not the accuracy); else null. */
  microAvg: AverageRow | null;
  macroAvg: AverageRow;
  weightedAvg: AverageRow;
  text: string;
}

export interface ClassificationReportOptions extends ReportOptions {
  /** Display names, one per label (default: the labels as strings). */
  targetNames?: readonly string[];
  /** Decimals in `text` (default 2). */
  digits?: number;
}

export function classificationReport(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: ClassificationReportOptions = {},
): ClassificationReport {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new ParameterError("digits", "an integer in [0, 20]", digits);
  }
  const zero = checkZeroDivision(options.zeroDivision);
  // One pass over the rows; the per-class rows and all three averages come from its counts.
  const counts = setCounts(yTrue, yPred, null, {
    labels: options.labels,
    sampleWeight: options.sampleWeight,
  });
  const { labels, present } = counts;
  const names = options.targetNames ?? labels.map(String);
  if (names.length !== labels.length) {
    throw new ParameterError("targetNames", `${labels.length} names, one per label`, names.length);
  }
  const given = options.labels !== undefined;
  const presentSet = new Set(present);
  const microIsAccuracy =
    !given || (new Set(labels).size === presentSet.size && labels.every((l) => presentSet.has(l)));
  const classes = rowsOf(fromCounts(counts, 1, null, zero));
  let total = 0;
  for (const c of classes) total += c.support;
  const avg = (average: "micro" | "macro" | "weighted"): AverageRow => {
    const r = fromCounts(counts, 1, average, zero);
    return {
      precision: r.precision as number,
      recall: r.recall as number,
      f1: r.f as number,
      support: total,
    };
  };
  const micro = avg("micro");
  const macroAvg = avg("macro");
  const weightedAvg = avg("weighted");
  const weighted = options.sampleWeight !== undefined;
  const text = reportText(names, classes, microIsAccuracy, micro, macroAvg, weightedAvg, digits, weighted);
  return {
    classes,
    accuracy: microIsAccuracy ? micro.f1 : null,
    microAvg: microIsAccuracy ? null : micro,
    macroAvg,
    weightedAvg,
    text,
  };
}

function reportText(
  names: readonly string[],
  classes: ClassMetrics[],
  microIsAccuracy: boolean,
  micro: AverageRow,
  macro: AverageRow,
  weighted: AverageRow,
  digits: number,
  weightedSupport: boolean,
): string {
  const width = Math.max(...names.map((s) => s.length), "weighted avg".length, digits);
  const col = (s: string) => s.padStart(9);
  const num = (x: number) => col(formatFixed(x, digits));
  // Support is an integer count, or a float (printed as Python does) when rows are weighted.
  const sup = (x: number) => col(weightedSupport ? pythonFloat(x) : String(x));
  const line = (name: string, p: number, r: number, f: number, s: number) =>
    `${name.padStart(width)}  ${num(p)} ${num(r)} ${num(f)} ${sup(s)}\n`;
  let text = `${"".padStart(width)}  ${["precision", "recall", "f1-score", "support"].map(col).join(" ")}\n\n`;
  classes.forEach((c, k) => {
    text += line(names[k], c.precision, c.recall, c.f1, c.support);
  });
  text += "\n";
  if (microIsAccuracy)
    text += `${"accuracy".padStart(width)}  ${col("")} ${col("")} ${num(micro.f1)} ${sup(micro.support)}\n`;
  else text += line("micro avg", micro.precision, micro.recall, micro.f1, micro.support);
  text += line("macro avg", macro.precision, macro.recall, macro.f1, macro.support);
  text += line("weighted avg", weighted.precision, weighted.recall, weighted.f1, weighted.support);
  return text;
}

/** Python's repr of a float: always with a decimal point or exponent. */
function pythonFloat(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? x.toFixed(1) : String(x);
}

/**
 * `x` with `digits` decimals as Python's format(): correctly rounded, exact ties to even.
 * (JavaScript's toFixed rounds exact ties up, e.g. 0.125 → "0.13" where Python prints "0.12".)
 */
export function formatFixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return s;
  const exact = Math.abs(x).toFixed(100); // exact: a double's binary fraction fits for |x| in any sane range
  const dot = exact.indexOf(".");
  const tail = exact.slice(dot + 1 + digits);
  if (!/^50*$/.test(tail)) return s;
  const kept = exact.slice(0, dot + 1 + digits).replace(/\.$/, "");
  const lastDigit = Number(kept[kept.length - 1]);
  if (lastDigit % 2 === 1) return s; // toFixed rounded away from zero, which is the even neighbour here
  return (x < 0 ? "-" : "") + kept;
}
