import { Random } from "../../data/random.js";
import { InputError } from "../errors.js";
import { type FitOptions, throwIfAborted } from "../estimator.js";
import { FeatureMatrix, type Features } from "../features.js";
import { type BinnedInput, binInput, checkWeights, yieldToEventLoop } from "./data.js";
import { ForestBuilder, predictColumns } from "./forest.js";
import { fixedExponent, type TreeLearner } from "./learner.js";
import { type EvalMetric, evalMetric, HIGHER_IS_BETTER } from "./metrics.js";
import type { TreeFit } from "./model.js";
import { leafOfBinned, leafOfRaw } from "./tree.js";

export type BoostingLoss = "log_loss" | "squared_error" | "absolute_error" | "huber";

export interface BoostingConfig {
  readonly nEstimators: number;
  readonly learningRate: number;
  readonly numLeaves: number;
  readonly maxDepth: number | null;
  readonly minChildSamples: number;
  readonly minChildWeight: number;
  readonly minSplitGain: number;
  readonly l2: number;
  readonly subsample: number;
  readonly colsample: number;
  readonly maxBins: number;
  readonly loss: BoostingLoss;
  readonly huberDelta: number;
  readonly validationFraction: number | null;
  readonly earlyStoppingRounds: number | null;
  readonly evalMetric: string | null;
  readonly randomState: number;
  readonly nThreads: number | null;
}

export interface EvalHistory {
  metric: string;
  train: number[];
  valid: number[];
}

export interface BoostingResult extends TreeFit {
  /** The raw score every row starts from, per output. */
  readonly init: number[];
  readonly evalHistory: EvalHistory;
  /** Rounds kept after early stopping (1-based best round), or null without early stopping. */
  readonly bestIteration: number | null;
}

/** y as class codes (classification with K classes) or values (regression, K = 0). */
export interface BoostingTarget {
  readonly y: Float64Array;
  readonly nClasses: number;
}

function weightedMedian(values: Float64Array, weights: Float64Array | null): number {
  const n = values.length;
  if (n === 0) return 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights ? weights[i] : 1;
  let acc = 0;
  for (const i of order) {
    acc += weights ? weights[i] : 1;
    if (acc >= total / 2) return values[i];
  }
  return values[order[n - 1]];
}

/**
 * Gradient boosting with second-order (Newton) leaf values: each round fits one histogram
 * tree per output to the gradient and hessian of the loss, grown leaf-wise to numLeaves.
 * absolute_error re-fits each leaf to the median residual of its rows (as LightGBM).
 */
export async function fitBoosting(
  Xin: Features,
  target: BoostingTarget,
  cfg: BoostingConfig,
  options: FitOptions,
): Promise<BoostingResult> {
  const Xall = FeatureMatrix.from(Xin);
  const nAll = Xall.nRows;
  if (target.y.length !== nAll) throw new InputError(`y has ${target.y.length} rows, X has ${nAll}`, "y");
  const swAll = checkWeights(options.sampleWeight, nAll);
  // Validation rows for early stopping / monitoring.
  const fraction = cfg.validationFraction ?? (cfg.earlyStoppingRounds !== null ? 0.1 : null);
  let trainIdx: Int32Array | null = null;
  let validIdx: Int32Array | null = null;
  if (fraction !== null && nAll >= 2) {
    const perm = new Random(cfg.randomState ^ 0x2545f491).permutation(nAll);
    const nv = Math.min(nAll - 1, Math.max(1, Math.round(fraction * nAll)));
    validIdx = perm.subarray(0, nv).sort();
    trainIdx = perm.subarray(nv).sort();
  }
  const X = trainIdx ? Xall.take(trainIdx) : Xall;
  const pick = (a: Float64Array, idx: Int32Array | null) => (idx ? Float64Array.from(idx, (i) => a[i]) : a);
  const y = pick(target.y, trainIdx);
  const sw = swAll ? pick(swAll, trainIdx) : null;
  const yv = validIdx ? pick(target.y, validIdx) : null;
  const colsValid = validIdx ? predictColumns(Xall.take(validIdx)) : null;

  const input = binInput(X, {
    maxBins: cfg.maxBins,
    seed: cfg.randomState,
    channels: 2,
    sums: 1,
    nThreads: cfg.nThreads,
    maxHeld: cfg.numLeaves,
    // Scores, labels and weights in the arena, for the gradient kernel.
    extraBytes:
      8 * X.nRows * (Math.max(1, target.nClasses > 2 ? target.nClasses : 1) + 2) +
      16 * Math.min(cfg.numLeaves, X.nRows) +
      128,
  });
  const pool = input.pool;
  try {
    return await boost(input, target, y, sw, yv, colsValid, input.learner, cfg, options);
  } finally {
    pool?.close();
  }
}

async function boost(
  input: BinnedInput,
  target: BoostingTarget,
  y: Float64Array,
  sw: Float64Array | null,
  yv: Float64Array | null,
  colsValid: Float64Array[] | null,
  learner: TreeLearner,
  cfg: BoostingConfig,
  options: FitOptions,
): Promise<BoostingResult> {
  const { data } = input;
  const n = data.nRows;
  const F = data.nFeat;
  const nv = yv ? yv.length : 0;
  const cls = target.nClasses > 0;
  const K = cls && target.nClasses > 2 ? target.nClasses : 1;
  const stats = data.arena.f64(data.statsPtr, n * 2);

  // Initial scores.
  const init = new Array<number>(K).fill(0);
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += sw ? sw[i] : 1;
  if (cls) {
    const counts = new Float64Array(Math.max(2, target.nClasses));
    for (let i = 0; i < n; i++) counts[y[i]] += sw ? sw[i] : 1;
    const clip = (p: number) => Math.min(1 - 1e-12, Math.max(1e-12, p));
    if (K === 1) {
      const p = clip(counts[1] / wsum);
      init[0] = Math.log(p / (1 - p));
    } else for (let k = 0; k < K; k++) init[k] = Math.log(clip(counts[k] / wsum));
  } else if (cfg.loss === "squared_error") {
    let s = 0;
    for (let i = 0; i < n; i++) s += (sw ? sw[i] : 1) * y[i];
    init[0] = wsum > 0 ? s / wsum : 0;
  } else init[0] = weightedMedian(y, sw);

  const arena = data.arena;
  const FsPtr = arena.alloc(8 * n * K);
  const Fs = arena.f64(FsPtr, n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) Fs[i * K + k] = init[k];
  // Binary log-loss statistics come from a kernel (on every thread): labels and weights go
  // into the arena beside the scores.
  const kernelGrad = cls && K === 1;
  const yPtr = kernelGrad ? arena.alloc(8 * n) : 0;
  if (kernelGrad) arena.f64(yPtr, n).set(y);
  const swPtr = kernelGrad && sw ? arena.alloc(8 * n) : 0;
  if (swPtr && sw) arena.f64(swPtr, n).set(sw);
  // Log-loss statistics are bounded by the weights (|g| ≤ w, h ≤ w/4): the kernel writes their
  // fixed-point copies with exponents known up front.
  let maxW = sw ? 0 : 1;
  if (sw) for (let i = 0; i < n; i++) maxW = Math.max(maxW, sw[i]);
  const logisticExp = [fixedExponent(n, maxW), fixedExponent(n, maxW / 4)] as const;
  // Leaf bounds and values of the last tree, for the kernel that adds them to the scores.
  const maxLeaves = Math.min(cfg.numLeaves, n);
  const startsPtr = arena.alloc(4 * maxLeaves);
  const endsPtr = arena.alloc(4 * maxLeaves);
  const valuesPtr = arena.alloc(8 * maxLeaves);
  const Fv = new Float64Array(nv * K);
  for (let i = 0; i < nv; i++) for (let k = 0; k < K; k++) Fv[i * K + k] = init[k];
  const prob = K > 1 ? new Float64Array(n * K) : null;

  const metric = (cfg.evalMetric ??
    (cls ? "logloss" : cfg.loss === "absolute_error" ? "mae" : "rmse")) as EvalMetric;
  const monitor = yv !== null || cfg.evalMetric !== null;
  const history: EvalHistory = { metric, train: [], valid: [] };
  const higher = HIGHER_IS_BETTER.has(metric);
  let best = Number.NaN;
  let bestRound = -1;

  const builder = new ForestBuilder(1, K);
  // Importances per round, so that early stopping can keep those of the kept rounds only.
  const roundGain: Float64Array[] = [];
  const roundSplits: Float64Array[] = [];
  const master = new Random(cfg.randomState);
  const allFeatures = Int32Array.from({ length: F }, (_, j) => j);
  const nCol = Math.max(1, Math.ceil(cfg.colsample * F));
  const inSample = new Uint8Array(n);
  const delta = cfg.huberDelta;
  const lr = cfg.learningRate;
  const binned = input.binned;

  let rounds = 0;
  for (let round = 0; round < cfg.nEstimators; round++) {
    throwIfAborted(options.signal);
    if (prob) {
      for (let i = 0; i < n; i++) {
        let mx = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < K; k++) mx = Math.max(mx, Fs[i * K + k]);
        let z = 0;
        for (let k = 0; k < K; k++) {
          const e = Math.exp(Fs[i * K + k] - mx);
          prob[i * K + k] = e;
          z += e;
        }
        for (let k = 0; k < K; k++) prob[i * K + k] /= z;
      }
    }
    const rg = new Float64Array(F);
    const rs = new Float64Array(F);
    roundGain.push(rg);
    roundSplits.push(rs);
    for (let k = 0; k < K; k++) {
      const rng = new Random(master.nextU32());
      // Gradients and hessians of this output.
      if (kernelGrad) {
        const [eg, eh] = logisticExp;
        const fixed = learner.fixedStatsPtr;
        if (input.pool) input.pool.gradLogistic(FsPtr, yPtr, swPtr, data.statsPtr, fixed, n, eg, eh);
        else arena.k.treeGradLogistic(FsPtr, yPtr, swPtr, data.statsPtr, fixed, 0, n, eg, eh);
      } else
        for (let i = 0; i < n; i++) {
          const w = sw ? sw[i] : 1;
          let g: number;
          let h: number;
          if (cls) {
            const p = prob ? prob[i * K + k] : 1 / (1 + Math.exp(-Fs[i]));
            const yi = prob ? (y[i] === k ? 1 : 0) : y[i];
            g = p - yi;
            h = Math.max(p * (1 - p), 1e-16);
          } else {
            const r = Fs[i] - y[i];
            h = 1;
            if (cfg.loss === "squared_error") g = r;
            else if (cfg.loss === "absolute_error") g = r > 0 ? 1 : r < 0 ? -1 : 0;
            else g = Math.abs(r) <= delta ? r : r > 0 ? delta : -delta;
          }
          stats[2 * i] = g * w;
          stats[2 * i + 1] = h * w;
        }
      let rows: Uint32Array | null = null;
      if (cfg.subsample < 1) {
        const picked: number[] = [];
        for (let i = 0; i < n; i++) if (rng.next() < cfg.subsample) picked.push(i);
        if (picked.length === 0) picked.push(rng.int(n));
        rows = Uint32Array.from(picked);
      }
      let features: Int32Array = allFeatures;
      if (nCol < F) {
        const perm = rng.permutation(F);
        features = perm.subarray(0, nCol).sort();
      }
      const tree = learner.grow({
        maxLeaves: cfg.numLeaves,
        maxDepth: cfg.maxDepth ?? Number.POSITIVE_INFINITY,
        minLeafCount: cfg.minChildSamples,
        minLeafWeight: cfg.minChildWeight,
        minSplitCount: 2 * cfg.minChildSamples,
        minGain: cfg.minSplitGain,
        lambda: cfg.l2,
        features,
        mtry: features.length,
        rng,
        catSmooth: 10,
        maxCatThreshold: 32,
        maxCatOneHot: 4,
        classIndicators: false,
        keepGoLeft: rows !== null,
        rows,
        fixedExp: kernelGrad ? logisticExp : undefined,
      });
      const order = learner.rowOrder;
      const nLeaves = tree.leafStart.length;
      const values = new Float64Array(nLeaves);
      for (let l = 0; l < nLeaves; l++) {
        const s0 = tree.leafStart[l];
        const s1 = tree.leafEnd[l];
        if (!cls && cfg.loss === "absolute_error") {
          const res = new Float64Array(s1 - s0);
          const ws = sw ? new Float64Array(s1 - s0) : null;
          for (let j = s0; j < s1; j++) {
            res[j - s0] = y[order[j]] - Fs[order[j]];
            if (ws && sw) ws[j - s0] = sw[order[j]];
          }
          values[l] = lr * weightedMedian(res, ws);
        } else {
          const t = tree.leafTotals[l];
          values[l] = t[1] + cfg.l2 > 0 ? (-lr * t[0]) / (t[1] + cfg.l2) : 0;
        }
      }
      // Training scores: rows of the sample by leaf range, the others by a walk on bins.
      arena.i32(startsPtr, nLeaves).set(tree.leafStart);
      arena.i32(endsPtr, nLeaves).set(tree.leafEnd);
      arena.f64(valuesPtr, nLeaves).set(values);
      const leafArgs = [learner.rowOrderPtr, startsPtr, endsPtr, valuesPtr, nLeaves, FsPtr, K, k] as const;
      const nIn = rows ? rows.length : n;
      if (input.pool) input.pool.addLeaves(...leafArgs, nIn);
      else arena.k.treeAddLeaves(...leafArgs, 0, nIn);
      if (rows) {
        inSample.fill(0);
        for (const r of rows) inSample[r] = 1;
        for (let i = 0; i < n; i++)
          if (!inSample[i]) Fs[i * K + k] += values[leafOfBinned(tree, binned, i * F)];
      }
      if (colsValid) for (let i = 0; i < nv; i++) Fv[i * K + k] += values[leafOfRaw(tree, colsValid, i)];
      tree.goLeft = [];
      builder.add(tree, values);
      for (let i = 0; i < tree.feature.length; i++) {
        const f = tree.feature[i];
        if (f < 0) continue;
        rs[f]++;
        rg[f] += tree.gain[i];
      }
    }
    rounds = round + 1;
    if (monitor) {
      history.train.push(evalMetric(metric, Fs, K, y));
      if (yv) {
        const v = evalMetric(metric, Fv, K, yv);
        history.valid.push(v);
        if (bestRound < 0 || (higher ? v > best : v < best)) {
          best = v;
          bestRound = round;
        }
        if (cfg.earlyStoppingRounds !== null && round - bestRound >= cfg.earlyStoppingRounds) break;
      }
    }
    options.onProgress?.({ done: round + 1, total: cfg.nEstimators, message: `round ${round + 1}` });
    if ((round & 3) === 3) await yieldToEventLoop();
  }
  let forest = builder.finish();
  let bestIteration: number | null = null;
  if (cfg.earlyStoppingRounds !== null && bestRound >= 0) {
    bestIteration = bestRound + 1;
    if (bestIteration < rounds) forest = forest.truncate(bestIteration * K);
  }
  const kept = bestIteration ?? rounds;
  const gain = new Float64Array(F);
  const splits = new Float64Array(F);
  for (let r = 0; r < kept; r++) {
    for (let f = 0; f < F; f++) {
      gain[f] += roundGain[r][f];
      splits[f] += roundSplits[r][f];
    }
  }
  return { spec: input.spec, forest, gain, splits, init, evalHistory: history, bestIteration };
}
