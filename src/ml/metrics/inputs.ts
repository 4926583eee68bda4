import { InputError, ParameterError } from "../errors.js";
import { type Label, sortLabels } from "../target.js";

/** Options shared by every metric that accepts per-row weights. */
export interface WeightOptions {
  /** One non-negative finite weight per row (scikit-learn's `sample_weight`). */
  sampleWeight?: ArrayLike<number>;
}

/** y_true and y_pred as class codes into `all`, the labels asked for first, then any other present label. */
export interface EncodedPair {
  /** Labels found in y_true or y_pred, in scikit-learn's sorted order. */
  readonly present: Label[];
  /** The `labels` option (or `present` when not given) followed by present labels not in it. */
  readonly all: Label[];
  /** How many of `all` were asked for: metrics report on `all.slice(0, nAsked)`. */
  readonly nAsked: number;
  readonly t: Int32Array;
  readonly p: Int32Array;
}

function checkLabel(v: Label, name: string, i: number): void {
  if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
    throw new InputError(`${name} is missing at row ${i + 1}`, name);
  }
}

export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, nameA: string, nameB: string) {
  if (a.length !== b.length) {
    throw new InputError(`${nameA} has ${a.length} rows but ${nameB} has ${b.length}`, nameB);
  }
}

/** Validated weights (or undefined for unit weights); a wrong length or non-finite weight names the row. */
export function checkWeights(w: ArrayLike<number> | undefined, n: number): Float64Array | undefined {
  if (w === undefined) return undefined;
  if (w.length !== n) {
    throw new InputError(`sampleWeight has ${w.length} values but there are ${n} rows`, "sampleWeight");
  }
  const out = w instanceof Float64Array ? w : Float64Array.from(w);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i]) || out[i] < 0) {
      throw new InputError(
        `sampleWeight must be finite and non-negative (row ${i + 1}: ${out[i]})`,
        "sampleWeight",
      );
    }
  }
  return out;
}

/** Finite numbers as a Float64Array; the first bad row is named. */
export function checkNumbers(x: ArrayLike<number>, name: string): Float64Array {
  const out = x instanceof Float64Array ? x : Float64Array.from(x);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]))
      throw new InputError(`${name} is missing or not finite at row ${i + 1}`, name);
  }
  return out;
}

/** Distinct labels of one or more label arrays, sorted as scikit-learn's unique_labels. */
export function uniqueLabels(...ys: ArrayLike<Label>[]): Label[] {
  const seen = new Set<Label>();
  for (const y of ys) for (let i = 0; i < y.length; i++) seen.add(y[i]);
  return sortLabels([...seen]);
}

function checkDistinct(labels: readonly Label[], param: string): void {
  if (labels.length === 0) throw new ParameterError(param, "a non-empty list of labels", "[]");
  if (new Set(labels).size !== labels.length) throw new ParameterError(param, "a list of distinct labels");
}

/** Codes in order of first appearance through a Map (any labels; one probe per row, no allocation). */
function mapCodes(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  t: Int32Array,
  p: Int32Array,
): Map<Label, number> {
  const firstSeen = new Map<Label, number>();
  for (let i = 0; i < t.length; i++) {
    const a = yTrue[i];
    let c = firstSeen.get(a);
    if (c === undefined) {
      checkLabel(a, "yTrue", i);
      c = firstSeen.size;
      firstSeen.set(a, c);
    }
    t[i] = c;
    const b = yPred[i];
    let d = firstSeen.get(b);
    if (d === undefined) {
      checkLabel(b, "yPred", i);
      d = firstSeen.size;
      firstSeen.set(b, d);
    }
    p[i] = d;
  }
  return firstSeen;
}

/** The same for integer labels within a small range, through a lookup table (3× faster than a Map). */
function smallIntCodes(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  t: Int32Array,
  p: Int32Array,
): Map<Label, number> | undefined {
  const n = t.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const y of [yTrue, yPred]) {
    for (let i = 0; i < n; i++) {
      const v = y[i];
      if (typeof v !== "number" || !Number.isInteger(v)) return undefined;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (n === 0 || max - min > 1 << 20) return undefined;
  const table = new Int32Array(max - min + 1).fill(-1);
  const firstSeen = new Map<Label, number>();
  for (let i = 0; i < n; i++) {
    const a = (yTrue[i] as number) - min;
    if (table[a] < 0) {
      table[a] = firstSeen.size;
      firstSeen.set(a + min, table[a]);
    }
    t[i] = table[a];
    const b = (yPred[i] as number) - min;
    if (table[b] < 0) {
      table[b] = firstSeen.size;
      firstSeen.set(b + min, table[b]);
    }
    p[i] = table[b];
  }
  return firstSeen;
}

/**
 * Encodes a pair of label arrays into codes over one label list. Labels are looked up in a Map
 * (one probe per row, no allocation per row) so strings, numbers and booleans all work.
 */
export function encodePair(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  labels?: readonly Label[],
): EncodedPair {
  checkSameLength(yTrue, yPred, "yTrue", "yPred");
  const n = yTrue.length;
  const t = new Int32Array(n);
  const p = new Int32Array(n);
  const firstSeen = smallIntCodes(yTrue, yPred, t, p) ?? mapCodes(yTrue, yPred, t, p);
  const present = sortLabels([...firstSeen.keys()]);
  if (labels !== undefined) checkDistinct(labels, "labels");
  const asked = labels ?? present;
  const askedSet = new Set(asked);
  const all = [...asked, ...present.filter((l) => !askedSet.has(l))];
  const index = new Map<Label, number>(all.map((l, k) => [l, k]));
  const remap = new Int32Array(firstSeen.size);
  for (const [l, c] of firstSeen) remap[c] = index.get(l) as number;
  for (let i = 0; i < n; i++) {
    t[i] = remap[t[i]];
    p[i] = remap[p[i]];
  }
  return { present, all, nAsked: asked.length, t, p };
}

/** Σ w (or n when unweighted). */
export function totalWeight(w: Float64Array | undefined, n: number): number {
  if (w === undefined) return n;
  let s = 0;
  for (let i = 0; i < n; i++) s += w[i];
  return s;
}
