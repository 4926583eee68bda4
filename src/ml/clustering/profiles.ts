import { FeatureMatrix, type Features } from "../features.js";
import { labelArray } from "./dense.js";

export interface FeatureProfile {
  readonly feature: string;
  /** The cluster's mean (missing values skipped). */
  readonly mean: number;
  readonly overallMean: number;
  /** (cluster mean − overall mean) / overall standard deviation; 0 for a constant feature. */
  readonly z: number;
}

export interface ClusterProfile {
  readonly label: number;
  readonly name: string;
  readonly size: number;
  /** size / number of rows. */
  readonly share: number;
  /** Every feature, in input order. */
  readonly features: readonly FeatureProfile[];
  /** The `top` features with the largest |z|, largest first: what sets the cluster apart. */
  readonly distinctive: readonly FeatureProfile[];
  /** One line for a person, e.g. `young_starters (25.3%): age much lower (−1.4 sd), …`. */
  readonly description: string;
}

export interface ProfileOptions {
  /** Cluster names by label (an array indexed by label, or a record); default "cluster <label>" (−1: "noise"). */
  readonly names?: readonly string[] | Readonly<Record<number, string>>;
  /** How many distinctive features to list (default 3). */
  readonly top?: number;
}

/**
 * Describes each cluster so that a segment can be explained to a person: its size and share, the
 * mean of each feature, and its most distinctive features — the largest standardized differences
 * from the overall mean. Pass the features in their own units (before scaling) for readable
 * means; numeric and indicator features are profiled, categorical ones are refused (encode them).
 * Clusters come in increasing label order.
 */
export function clusterProfiles(
  X: Features,
  labels: ArrayLike<number>,
  options: ProfileOptions = {},
): ClusterProfile[] {
  const fm = FeatureMatrix.from(X);
  const n = fm.nRows;
  const lab = labelArray(labels, n);
  const top = Math.max(0, Math.floor(options.top ?? 3));
  const clusters = [...new Set(lab)].sort((a, b) => a - b);
  const index = new Map(clusters.map((c, i) => [c, i]));
  const m = clusters.length;
  const sizes = new Float64Array(m);
  for (let i = 0; i < n; i++) sizes[index.get(lab[i]) ?? 0]++;
  const columns = fm.features.map((_, j) => fm.numericColumn(j));
  const stats = columns.map((x) => {
    const sum = new Float64Array(m);
    const count = new Float64Array(m);
    let total = 0;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (Number.isNaN(v)) continue;
      const c = index.get(lab[i]) ?? 0;
      sum[c] += v;
      count[c]++;
      total += v;
      seen++;
    }
    const overall = seen > 0 ? total / seen : Number.NaN;
    let ss = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(x[i])) ss += (x[i] - overall) ** 2;
    const sd = seen > 0 ? Math.sqrt(ss / seen) : Number.NaN;
    return { sum, count, overall, sd };
  });
  return clusters.map((label, c) => {
    const features = fm.names.map((feature, j): FeatureProfile => {
      const s = stats[j];
      const mean = s.count[c] > 0 ? s.sum[c] / s.count[c] : Number.NaN;
      const z = s.sd > 0 && Number.isFinite(mean) ? (mean - s.overall) / s.sd : 0;
      return { feature, mean, overallMean: s.overall, z };
    });
    const distinctive = [...features].sort((a, b) => Math.abs(b.z) - Math.abs(a.z)).slice(0, top);
    const name = nameOf(label, options.names);
    const share = sizes[c] / n;
    return {
      label,
      name,
      size: sizes[c],
      share,
      features,
      distinctive,
      description: describe(name, share, distinctive),
    };
  });
}

function nameOf(label: number, names: ProfileOptions["names"]): string {
  const given = Array.isArray(names) ? names[label] : (names as Record<number, string> | undefined)?.[label];
  if (typeof given === "string") return given;
  return label === -1 ? "noise" : `cluster ${label}`;
}

function describe(name: string, share: number, distinctive: readonly FeatureProfile[]): string {
  const parts = distinctive.map((f) => {
    const a = Math.abs(f.z);
    const strength = a >= 1.5 ? "much " : a >= 0.5 ? "" : "slightly ";
    const dir = f.z >= 0 ? "higher" : "lower";
    return `${f.feature} ${strength}${dir} (${fmt(f.mean)} vs ${fmt(f.overallMean)}, ${f.z >= 0 ? "+" : "−"}${a.toFixed(1)} sd)`;
  });
  return `${name} (${(share * 100).toFixed(1)}%): ${parts.join("; ") || "no numeric features"}`;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1000 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toPrecision(3);
}
