import { BLOCK, type LinearDesign } from "./design.js";
import type { Objective } from "./lbfgs.js";

/**
 * The smooth part of LogisticRegression's objective, as scikit-learn's lbfgs solver:
 *
 *   f(W, b) = Σ_i sw_i · loss_i + l2/2 ‖W‖²    (the intercepts b are not penalized)
 *
 * with loss_i = log(1 + e^z) − y z for one class column (binary) or log Σ_k e^{z_k} − z_{y}
 * (multinomial). Parameters are packed [W (k × d row-major), b (k) if fitting an intercept].
 * One fused pass per evaluation: for each block of rows, Z = X·Wᵀ + b, then the residuals,
 * then ∇W += Rᵀ·X while the block's columns are still in cache.
 */
export function logisticObjective(
  design: LinearDesign,
  yCodes: Int32Array,
  sw: Float64Array,
  k: number,
  fitIntercept: boolean,
  l2: number,
): Objective {
  const partial = logisticPartial(design, yCodes, sw, k, fitIntercept);
  return (x, g) => addL2(partial(x, g, 0, design.nRows), x, g, k * design.nCols, l2);
}

/** f += l2/2 ‖W‖², g += l2 W over the first `nw` parameters (the coefficients). */
export function addL2(f: number, x: Float64Array, g: Float64Array, nw: number, l2: number): number {
  if (l2 === 0) return f;
  for (let j = 0; j < nw; j++) {
    f += 0.5 * l2 * x[j] * x[j];
    g[j] += l2 * x[j];
  }
  return f;
}

/** The loss and its gradient (written into g) over rows [start, end), without the penalty. */
export type PartialObjective = (x: Float64Array, g: Float64Array, start: number, end: number) => number;

export function logisticPartial(
  design: LinearDesign,
  yCodes: Int32Array,
  sw: Float64Array,
  k: number,
  fitIntercept: boolean,
): PartialObjective {
  const d = design.nCols;
  const Z = new Float64Array(k * BLOCK);
  const R = new Float64Array(k * BLOCK);
  const table = new Float64Array(design.tableSize);
  const bias = new Float64Array(k);
  const binary = k === 1;
  return (x, g, first, last) => {
    const W = x.subarray(0, k * d);
    if (fitIntercept) bias.set(x.subarray(k * d, k * d + k));
    g.fill(0);
    let f = 0;
    for (let start = first; start < last; start += BLOCK) {
      const end = Math.min(last, start + BLOCK);
      const len = end - start;
      design.blockLinear(W, k, bias, start, end, Z, table);
      if (binary) {
        for (let i = 0; i < len; i++) {
          const z = Z[i];
          const w = sw[start + i];
          const y = yCodes[start + i];
          // Branch-free on random labels and signs (mispredictions cost more than the maths):
          // loss = log(1 + e^−z) + (1 − y) z, sigmoid = 1 / (1 + e^−z); e^−z overflows only
          // for z < −709, where log(1 + e^−z) = −z to double precision.
          const e = Math.exp(-z);
          f += w * ((z > -36 ? Math.log1p(e) : -z) + (1 - y) * z);
          R[i] = w * (1 / (1 + e) - y);
        }
      } else {
        for (let i = 0; i < len; i++) {
          let max = Z[i];
          for (let c = 1; c < k; c++) if (Z[c * len + i] > max) max = Z[c * len + i];
          let sum = 0;
          for (let c = 0; c < k; c++) {
            const e = Math.exp(Z[c * len + i] - max);
            R[c * len + i] = e;
            sum += e;
          }
          const w = sw[start + i];
          const y = yCodes[start + i];
          f += w * (Math.log(sum) + max - Z[y * len + i]);
          const inv = w / sum;
          for (let c = 0; c < k; c++) R[c * len + i] *= inv;
          R[y * len + i] -= w;
        }
      }
      design.blockGradient(R, k, start, end, g, table);
      if (fitIntercept) {
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let i = 0; i < len; i++) s += R[c * len + i];
          g[k * d + c] += s;
        }
      }
    }
    return f;
  };
}

/** Class probabilities (row-major nRows × nClasses) from linear scores (row-major nRows × k). */
export function scoresToProba(scores: Float64Array, k: number, nClasses: number): Float64Array {
  const n = scores.length / k;
  const out = new Float64Array(n * nClasses);
  if (k === 1) {
    for (let i = 0; i < n; i++) {
      const z = scores[i];
      const e = Math.exp(-Math.abs(z));
      const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let max = scores[i * k];
    for (let c = 1; c < k; c++) if (scores[i * k + c] > max) max = scores[i * k + c];
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(scores[i * k + c] - max);
      out[i * k + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) out[i * k + c] /= sum;
  }
  return out;
}
