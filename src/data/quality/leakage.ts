import type { Column } from "../column.js";
import { Random } from "../random.js";
import type { SemanticType } from "../schema.js";
import type { Table } from "../table.js";
import type { TaskKind } from "../task.js";

export interface LeakSuspect {
  column: string;
  /** "equal": the column is the target up to relabeling; "predictive": it alone predicts it. */
  kind: "equal" | "predictive";
  /** How the score was measured. */
  metric: "relabeling" | "identical" | "level_majority_accuracy" | "stump_accuracy" | "abs_pearson_r";
  score: number;
  /** Classification: the majority-class accuracy the score is compared with. */
  baseline?: number;
}

export interface LeakageOptions {
  task: TaskKind;
  /** Classification: class index per row (-1 missing). */
  classCodes?: Int32Array;
  nClasses?: number;
  /** Semantic type per column name (id and text columns are not scored). */
  types: ReadonlyMap<string, SemanticType>;
  threshold: number;
  /** Score single-feature predictors on at most this many rows (seeded sample). */
  sampleSize: number;
  seed?: number;
}

/** Feature value of row i as a number; missing → NaN so Map keys treat all missing as one value. */
function keyOf(c: Column, i: number): number {
  if (c.kind === "categorical") return c.codes[i] < 0 ? Number.NaN : c.codes[i];
  if (c.kind === "boolean") return c.values[i] === 255 ? Number.NaN : c.values[i];
  return c.values[i];
}

/** True when feature ↔ target is one-to-one on the rows whose target is present. */
function isRelabeling(f: Column, y: Int32Array): boolean {
  const f2y = new Map<number, number>();
  const y2f = new Map<number, number>();
  for (let i = 0; i < y.length; i++) {
    if (y[i] < 0) continue;
    const v = keyOf(f, i);
    const a = f2y.get(v);
    if (a === undefined) f2y.set(v, y[i]);
    else if (a !== y[i]) return false;
    const b = y2f.get(y[i]);
    if (b === undefined) y2f.set(y[i], v);
    else if (!Object.is(b, v) && b !== v) return false;
  }
  return f2y.size > 1;
}

/** Accuracy of predicting the majority class of each feature level (missing is a level). */
function levelMajorityAccuracy(f: Column, y: Int32Array, k: number, rows: ArrayLike<number>): number {
  const levels = f.kind === "categorical" ? f.levels.length + 1 : 3;
  const table = new Int32Array(levels * k);
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j];
    const raw = f.kind === "categorical" ? f.codes[i] : f.kind === "boolean" ? f.values[i] : 0;
    const level = f.kind === "categorical" ? raw + 1 : raw === 255 ? 2 : raw;
    table[level * k + y[i]]++;
  }
  let hits = 0;
  for (let l = 0; l < levels; l++) {
    let best = 0;
    for (let c = 0; c < k; c++) best = Math.max(best, table[l * k + c]);
    hits += best;
  }
  return rows.length > 0 ? hits / rows.length : 0;
}

/**
 * Best accuracy of one threshold on a numeric feature (each side predicts its majority
 * class; rows missing the feature predict theirs), swept over the sorted values.
 */
function stumpAccuracy(values: Float64Array, y: Int32Array, k: number, rows: ArrayLike<number>): number {
  const present: number[] = [];
  const missing = new Int32Array(k);
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j];
    if (Number.isNaN(values[i])) missing[y[i]]++;
    else present.push(i);
  }
  const order = Uint32Array.from(present).sort((a, b) => values[a] - values[b]);
  const right = new Int32Array(k);
  for (const i of order) right[y[i]]++;
  const left = new Int32Array(k);
  let leftMax = 0;
  let best = Math.max(...right); // no split at all
  for (let j = 0; j < order.length - 1; j++) {
    const c = y[order[j]];
    left[c]++;
    right[c]--;
    if (left[c] > leftMax) leftMax = left[c];
    if (values[order[j + 1]] === values[order[j]]) continue;
    let rightMax = 0;
    for (let m = 0; m < k; m++) if (right[m] > rightMax) rightMax = right[m];
    if (leftMax + rightMax > best) best = leftMax + rightMax;
  }
  return rows.length > 0 ? (best + Math.max(...missing)) / rows.length : 0;
}

/** |Pearson r| between a feature and the target over rows where both are present. */
export function absPearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    n++;
    mx += (x[i] - mx) / n;
    my += (y[i] - my) / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (n < 3 || sxx === 0 || syy === 0) return 0;
  return Math.min(1, Math.abs(sxy / Math.sqrt(sxx * syy)));
}

function asNumbers(c: Column): Float64Array | undefined {
  if (c.kind === "numeric" || c.kind === "datetime") return c.values;
  if (c.kind === "boolean") return Float64Array.from(c.values, (v) => (v === 255 ? Number.NaN : v));
  return undefined;
}

/** Rows with a present target; a seeded sample of them when there are more than `size`. */
function scoringRows(
  y: ArrayLike<number>,
  present: (v: number) => boolean,
  size: number,
  seed: number,
): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) if (present(y[i])) rows.push(i);
  if (rows.length <= size) return Int32Array.from(rows);
  const pick = new Random(seed).permutation(rows.length).subarray(0, size).sort();
  return Int32Array.from(pick, (j) => rows[j]);
}

/**
 * Columns that leak the target: equal to it up to relabeling (classification) or identical
 * (regression), or predicting it alone with a score ≥ `threshold`. docs/data.md has the rules.
 */
export function findLeaks(table: Table, target: string, opts: LeakageOptions): LeakSuspect[] {
  const out: LeakSuspect[] = [];
  const y = table.column(target);
  const features = table.columns.filter((c) => c.name !== target);
  const skip = (c: Column) => {
    const t = opts.types.get(c.name);
    return t === "id" || t === "text" || t === "constant";
  };
  if (opts.task === "regression") {
    const yv = asNumbers(y);
    if (!yv) return out;
    for (const f of features) {
      if (skip(f)) continue;
      const x = asNumbers(f);
      if (!x) continue;
      let identical = true;
      for (let i = 0; i < yv.length && identical; i++) {
        if (!Number.isNaN(yv[i])) identical = x[i] === yv[i];
      }
      if (identical) {
        out.push({ column: f.name, kind: "equal", metric: "identical", score: 1 });
        continue;
      }
      const r = absPearson(x, yv);
      if (r >= opts.threshold)
        out.push({ column: f.name, kind: "predictive", metric: "abs_pearson_r", score: r });
    }
    return out;
  }
  const codes = opts.classCodes;
  const k = opts.nClasses ?? 0;
  if (!codes || k < 2) return out;
  const rows = scoringRows(codes, (v) => v >= 0, opts.sampleSize, opts.seed ?? 0);
  const counts = new Int32Array(k);
  for (const i of rows) counts[codes[i]]++;
  const baseline = rows.length > 0 ? Math.max(...counts) / rows.length : 0;
  // A score must also remove at least half of the majority baseline's errors, or an
  // imbalanced target would make every feature look predictive.
  const bar = Math.max(opts.threshold, baseline + (1 - baseline) / 2);
  for (const f of features) {
    if (skip(f)) continue;
    if (isRelabeling(f, codes)) {
      out.push({ column: f.name, kind: "equal", metric: "relabeling", score: 1 });
      continue;
    }
    let score: number;
    let metric: LeakSuspect["metric"];
    if (f.kind === "categorical" || f.kind === "boolean") {
      // Levels seen only a few times each are memorised, not predictive.
      if (f.kind === "categorical" && f.levels.length * 5 > rows.length) {
        const used = new Set<number>();
        for (const i of rows) used.add(f.codes[i]);
        if (used.size * 5 > rows.length) continue;
      }
      score = levelMajorityAccuracy(f, codes, k, rows);
      metric = "level_majority_accuracy";
    } else {
      score = stumpAccuracy(f.values, codes, k, rows);
      metric = "stump_accuracy";
    }
    if (score >= bar) out.push({ column: f.name, kind: "predictive", metric, score, baseline });
  }
  return out;
}
