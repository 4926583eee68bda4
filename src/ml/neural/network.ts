import type { Random } from "../../data/random.js";
import { Activation, type ActivationName, Dense, type Layer, type Parameter } from "./layers.js";
import type { Loss } from "./losses.js";
import type { MatrixOps } from "./matrix.js";

/** A feed-forward stack of layers with a loss on its raw outputs. */
export class Network {
  readonly params: readonly Parameter[];
  readonly inSize: number;
  readonly outSize: number;
  private capacity = 0;
  private input: Float64Array = new Float64Array(0);
  private grad: Float64Array = new Float64Array(0);

  constructor(
    readonly layers: readonly Layer[],
    readonly loss: Loss,
    readonly ops: MatrixOps,
  ) {
    this.params = layers.flatMap((l) => l.params);
    this.inSize = layers[0].inSize;
    this.outSize = layers[layers.length - 1].outSize;
  }

  /** Buffers for batches of up to `rows` rows (allocated once: the WebAssembly memory never shrinks). */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = rows;
    for (const l of this.layers) l.reserve(rows);
    this.input = this.ops.alloc(rows * this.inSize);
    this.grad = this.ops.alloc(rows * this.outSize);
  }

  get batchCapacity(): number {
    return this.capacity;
  }

  /**
   * Copies rows `rows[from..to)` (or rows from..to when `rows` is null) of the row-major matrix
   * `x` into the input buffer. With `rows`, both arrays must come from this network's `ops`.
   */
  gather(x: Float64Array, rows: Int32Array | null, from: number, to: number): number {
    const d = this.inSize;
    const n = to - from;
    if (rows) this.ops.gatherRows(this.input, x, rows, from, n, d);
    else this.input.set(x.subarray(from * d, to * d));
    return n;
  }

  /** Raw outputs (n × outSize) of the first n rows of the input buffer. */
  forward(n: number): Float64Array {
    let h = this.input;
    for (const l of this.layers) h = l.forward(h, n);
    return h;
  }

  /**
   * Forward and backward over the first n rows of the input buffer: the batch loss including
   * the L2 penalty (alpha/2 · ‖W‖² / n, as scikit-learn), with every parameter's `grad` set.
   */
  lossAndGradients(target: Float64Array, n: number, weights: Float64Array | null, alpha: number): number {
    const raw = this.forward(n);
    let loss = this.loss.evaluate(raw, target, n, this.outSize, weights, this.grad);
    let d: Float64Array | null = this.grad;
    for (let i = this.layers.length - 1; i >= 0 && d; i--) d = this.layers[i].backward(d, n, i > 0);
    if (alpha > 0) {
      let sq = 0;
      for (const p of this.params) {
        if (!p.decay) continue;
        const { value, grad } = p;
        for (let i = 0; i < value.length; i++) {
          sq += value[i] * value[i];
          grad[i] += (alpha * value[i]) / n;
        }
      }
      loss += (0.5 * alpha * sq) / n;
    }
    return loss;
  }

  /** Linked outputs (probabilities or values) of every row of the row-major matrix `x`. */
  predict(x: Float64Array, nRows: number): Float64Array {
    const k = this.outSize;
    const out = new Float64Array(nRows * k);
    for (let from = 0; from < nRows; from += this.capacity) {
      const to = Math.min(nRows, from + this.capacity);
      const n = this.gather(x, null, from, to);
      const raw = this.forward(n);
      this.loss.link(raw, n, k);
      out.set(raw.subarray(0, n * k), from * k);
    }
    return out;
  }

  /** A copy of every parameter's values, in `params` order. */
  snapshot(): Float64Array[] {
    return this.params.map((p) => Float64Array.from(p.value));
  }

  restore(values: readonly Float64Array[]): void {
    this.params.forEach((p, i) => {
      p.value.set(values[i]);
    });
  }
}

/** Dense layers of the given sizes with `activation` between them and a linear output layer. */
export function perceptron(
  sizes: readonly number[],
  activation: ActivationName,
  loss: Loss,
  ops: MatrixOps,
): Network {
  const layers: Layer[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Dense(sizes[i], sizes[i + 1], ops, `layer${i}`));
    if (i + 2 < sizes.length) layers.push(new Activation(activation, sizes[i + 1], ops));
  }
  return new Network(layers, loss, ops);
}

/** scikit-learn's initialization: Glorot-uniform, factor 2 for logistic activations, else 6. */
export function initGlorot(net: Network, activation: ActivationName, rng: Random): void {
  const factor = activation === "logistic" ? 2 : 6;
  for (const l of net.layers) if (l instanceof Dense) l.initGlorot(rng, factor);
}
