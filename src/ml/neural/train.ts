import type { Random } from "../../data/random.js";
import { type Progress, throwIfAborted } from "../estimator.js";
import type { Network } from "./network.js";
import type { Optimizer } from "./optimizers.js";

export interface TrainOptions {
  readonly batchSize: number;
  readonly maxIter: number;
  readonly shuffle: boolean;
  readonly tol: number;
  readonly nIterNoChange: number;
  readonly alpha: number;
  readonly rng: Random;
  /** With early stopping: the score (higher is better) of the network on held-out rows. */
  readonly validationScore?: () => number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
}

export interface TrainResult {
  readonly lossCurve: number[];
  readonly validationScores: number[];
  readonly nIter: number;
  /** Optimizer steps taken (mini-batches). */
  readonly steps: number;
  /** Why training stopped before maxIter, or null when it ran out of epochs (not converged). */
  readonly stopReason: string | null;
}

/**
 * Mini-batch training as scikit-learn's stochastic solvers: per epoch, shuffle, one optimizer
 * step per batch, record the sample-weighted mean batch loss; stop when the training loss (or,
 * with early stopping, the validation score) has not improved by `tol` for more than
 * `nIterNoChange` epochs and the optimizer agrees. With early stopping the best-scoring
 * weights are restored at the end.
 */
export async function train(
  net: Network,
  optimizer: Optimizer,
  x: Float64Array,
  target: Float64Array,
  weights: Float64Array | null,
  o: TrainOptions,
): Promise<TrainResult> {
  const nIn = net.inSize;
  const nRows = x.length / nIn;
  const tw = target.length / nRows;
  const batch = Math.min(o.batchSize, nRows);
  net.reserve(batch);
  // The rows and their order live in the network's memory, where batches are gathered.
  const rows = net.ops.alloc(x.length);
  rows.set(x);
  const order = net.ops.allocIndex(nRows);
  for (let i = 0; i < nRows; i++) order[i] = i;
  const batchTarget = new Float64Array(batch * tw);
  const batchWeights = weights ? new Float64Array(batch) : null;
  const lossCurve: number[] = [];
  const validationScores: number[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestScore = Number.NEGATIVE_INFINITY;
  let best: Float64Array[] | null = null;
  let noImprovement = 0;
  let steps = 0;
  let stopReason: string | null = null;
  let epoch = 0;
  while (epoch < o.maxIter) {
    throwIfAborted(o.signal);
    if (o.shuffle) o.rng.shuffle(order);
    let total = 0;
    for (let from = 0; from < nRows; from += batch) {
      const to = Math.min(nRows, from + batch);
      const n = net.gather(rows, order, from, to);
      for (let i = 0; i < n; i++) {
        const r = order[from + i];
        for (let c = 0; c < tw; c++) batchTarget[i * tw + c] = target[r * tw + c];
        if (batchWeights && weights) batchWeights[i] = weights[r];
      }
      total += net.lossAndGradients(batchTarget, n, batchWeights, o.alpha) * n;
      optimizer.step(net.params);
      steps++;
    }
    epoch++;
    const loss = total / nRows;
    lossCurve.push(loss);
    if (!Number.isFinite(loss)) {
      stopReason = "the training loss became infinite or NaN (try a smaller learningRateInit)";
      break;
    }
    if (o.validationScore) {
      const score = o.validationScore();
      validationScores.push(score);
      noImprovement = score < bestScore + o.tol ? noImprovement + 1 : 0;
      if (score > bestScore) {
        bestScore = score;
        best = net.snapshot();
      }
    } else {
      noImprovement = loss > bestLoss - o.tol ? noImprovement + 1 : 0;
      if (loss < bestLoss) bestLoss = loss;
    }
    optimizer.endEpoch(epoch * nRows);
    o.onProgress?.({ done: epoch, total: o.maxIter, message: `epoch ${epoch}: loss ${loss.toPrecision(6)}` });
    if (noImprovement > o.nIterNoChange) {
      const what = o.validationScore ? "validation score" : "training loss";
      if (optimizer.plateau()) {
        stopReason = `${what} did not improve more than tol=${o.tol} for ${o.nIterNoChange} consecutive epochs`;
        break;
      }
      noImprovement = 0;
    }
    // Let an abort (or other work) through between epochs.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (best) net.restore(best);
  return { lossCurve, validationScores, nIter: epoch, steps, stopReason };
}
