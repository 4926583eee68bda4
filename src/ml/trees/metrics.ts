/** Evaluation metrics monitored per boosting round (unweighted). Lower is better except AUC. */
export type EvalMetric = "logloss" | "error" | "auc" | "rmse" | "mae";

export const HIGHER_IS_BETTER: ReadonlySet<EvalMetric> = new Set(["auc"]);

const EPS = 1e-15;

/**
 * The metric of raw scores F (n × K row-major; K = 1 for regression and binary classification,
 * where F is the log-odds of class 1) against targets (class codes or values).
 */
export function evalMetric(metric: EvalMetric, F: Float64Array, K: number, y: ArrayLike<number>): number {
  const n = y.length;
  if (n === 0) return Number.NaN;
  switch (metric) {
    case "rmse": {
      let s = 0;
      for (let i = 0; i < n; i++) s += (F[i] - y[i]) ** 2;
      return Math.sqrt(s / n);
    }
    case "mae": {
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.abs(F[i] - y[i]);
      return s / n;
    }
    case "logloss": {
      let s = 0;
      if (K === 1) {
        for (let i = 0; i < n; i++) {
          const p = 1 / (1 + Math.exp(-F[i]));
          s -= Math.log(Math.min(1 - EPS, Math.max(EPS, y[i] === 1 ? p : 1 - p)));
        }
      } else {
        for (let i = 0; i < n; i++) {
          let mx = Number.NEGATIVE_INFINITY;
          for (let k = 0; k < K; k++) mx = Math.max(mx, F[i * K + k]);
          let z = 0;
          for (let k = 0; k < K; k++) z += Math.exp(F[i * K + k] - mx);
          const p = Math.exp(F[i * K + y[i]] - mx) / z;
          s -= Math.log(Math.max(EPS, p));
        }
      }
      return s / n;
    }
    case "error": {
      let wrong = 0;
      for (let i = 0; i < n; i++) {
        let c = 0;
        if (K === 1) c = F[i] > 0 ? 1 : 0;
        else for (let k = 1; k < K; k++) if (F[i * K + k] > F[i * K + c]) c = k;
        if (c !== y[i]) wrong++;
      }
      return wrong / n;
    }
    case "auc":
      return auc(F, K, y);
  }
}

/** Binary AUC (Mann–Whitney, ties counted half); for K > 1, the score of class 1 against the rest. */
function auc(F: Float64Array, K: number, y: ArrayLike<number>): number {
  const n = y.length;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = K === 1 ? F[i] : F[i * K + 1];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[a] - s[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && s[order[j]] === s[order[i]]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (y[order[k]] === 1) {
        pos++;
        rankSum += rank;
      }
    }
    i = j;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
