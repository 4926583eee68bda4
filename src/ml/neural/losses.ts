/**
 * Losses over a network's raw outputs (the last Dense layer's n × k values). A loss owns its
 * output link (softmax, sigmoid, identity), so that each pair is evaluated stably and its
 * gradient is the simple "prediction − target". A custom loss (e.g. for offline RL) packs
 * whatever it needs per row into `targetWidth` target columns.
 */
export interface Loss {
  readonly name: string;
  /** Target columns per row for a network with k outputs. */
  targetWidth(k: number): number;
  /**
   * The (weighted) mean loss over the n rows; when `grad` is given, writes dLoss/dRaw into it
   * (n × k). `weights` (one per row) default to 1; the mean divides by n either way.
   */
  evaluate(
    raw: Float64Array,
    target: Float64Array,
    n: number,
    k: number,
    weights: Float64Array | null,
    grad: Float64Array | null,
  ): number;
  /** Turns raw outputs into predictions in place (probabilities, or values). */
  link(raw: Float64Array, n: number, k: number): void;
}

/** scikit-learn clips probabilities to [eps, 1 − eps] before taking logs. */
const EPS = 2 ** -52;
const logClipped = (p: number): number => Math.log(p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p);

function softmaxRows(raw: Float64Array, n: number, k: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let max = raw[o];
    for (let c = 1; c < k; c++) if (raw[o + c] > max) max = raw[o + c];
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(raw[o + c] - max);
      raw[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) raw[o + c] /= sum;
  }
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Softmax outputs with the multi-class cross-entropy; the target is one class code per row. */
export const softmaxCrossEntropy: Loss = {
  name: "softmax_cross_entropy",
  targetWidth: () => 1,
  evaluate(raw, target, n, k, weights, grad) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const o = i * k;
      let max = raw[o];
      for (let c = 1; c < k; c++) if (raw[o + c] > max) max = raw[o + c];
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(raw[o + c] - max);
      const y = target[i];
      const w = weights ? weights[i] : 1;
      total -= w * logClipped(Math.exp(raw[o + y] - max) / sum);
      if (grad) {
        for (let c = 0; c < k; c++) {
          const p = Math.exp(raw[o + c] - max) / sum;
          grad[o + c] = (w * (p - (c === y ? 1 : 0))) / n;
        }
      }
    }
    return total / n;
  },
  link: softmaxRows,
};

/** Independent sigmoid outputs with the binary cross-entropy; targets 0/1, one per output. */
export const sigmoidCrossEntropy: Loss = {
  name: "sigmoid_cross_entropy",
  targetWidth: (k) => k,
  evaluate(raw, target, n, k, weights, grad) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i] : 1;
      for (let c = 0; c < k; c++) {
        const at = i * k + c;
        const p = sigmoid(raw[at]);
        const y = target[at];
        // One log for a hard 0/1 target (the other term is 0 · log, i.e. 0).
        const ll =
          y === 1
            ? logClipped(p)
            : y === 0
              ? logClipped(1 - p)
              : y * logClipped(p) + (1 - y) * logClipped(1 - p);
        total -= w * ll;
        if (grad) grad[at] = (w * (p - y)) / n;
      }
    }
    return total / n;
  },
  link(raw, n, k) {
    for (let i = 0; i < n * k; i++) raw[i] = sigmoid(raw[i]);
  },
};

/** Identity outputs with half the mean squared error (scikit-learn's squared_loss). */
export const squaredError: Loss = {
  name: "squared_error",
  targetWidth: (k) => k,
  evaluate(raw, target, n, k, weights, grad) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i] : 1;
      for (let c = 0; c < k; c++) {
        const at = i * k + c;
        const d = raw[at] - target[at];
        total += w * d * d;
        if (grad) grad[at] = (w * d) / (n * k);
      }
    }
    return total / (2 * n * k);
  },
  link() {},
};
