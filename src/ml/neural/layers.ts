import type { Random } from "../../data/random.js";
import type { MatrixOps } from "./matrix.js";

/**
 * The generic core of trainyard's neural networks.
 *
 * A network is a list of `Layer`s over row-major mini-batches (n rows × width). Each layer
 * owns its parameters and their gradients, caches in `forward` what its `backward` needs, and
 * in `backward` turns the gradient of the loss with respect to its output into the gradient
 * with respect to its parameters (written to `Parameter.grad`) and to its input (returned).
 * Losses (losses.ts) and optimizers (optimizers.ts) only see `Parameter`s and raw outputs, so:
 *
 * - a new layer kind (e.g. an LSTM unrolled over a sequence packed into the row's width, or
 *   dropout) implements `Layer` — nothing else changes;
 * - a new loss (e.g. a temporal-difference or policy-gradient loss for offline RL, whose
 *   "target" row packs action, reward and weight) implements `Loss`;
 * - an optimizer implements `Optimizer` over `Parameter`s.
 */
export interface Parameter {
  readonly name: string;
  readonly value: Float64Array;
  readonly grad: Float64Array;
  /** Whether the L2 penalty (weight decay) applies: weights yes, biases no (as scikit-learn). */
  readonly decay: boolean;
}

export interface Layer {
  readonly inSize: number;
  readonly outSize: number;
  readonly params: readonly Parameter[];
  /** Allocates the buffers for batches of up to `maxRows` rows (call again to change it). */
  reserve(maxRows: number): void;
  /** The n × outSize output for the n × inSize input `x` (x must stay unchanged until backward). */
  forward(x: Float64Array, n: number): Float64Array;
  /**
   * Given dLoss/dOutput (n × outSize; the layer may overwrite it), writes the parameter
   * gradients and returns dLoss/dInput, or null when `needInput` is false (the first layer).
   */
  backward(dOut: Float64Array, n: number, needInput: boolean): Float64Array | null;
}

/** A fully connected layer y = x·W + b, W stored inSize × outSize row-major (as scikit-learn's coefs_). */
export class Dense implements Layer {
  readonly params: readonly Parameter[];
  readonly weights: Parameter;
  readonly bias: Parameter;
  private out: Float64Array = new Float64Array(0);
  private dIn: Float64Array = new Float64Array(0);
  private wT: Float64Array;
  private x: Float64Array = new Float64Array(0);

  constructor(
    readonly inSize: number,
    readonly outSize: number,
    private readonly ops: MatrixOps,
    name = "dense",
  ) {
    const w = inSize * outSize;
    this.weights = { name: `${name}.weights`, value: ops.alloc(w), grad: ops.alloc(w), decay: true };
    this.bias = { name: `${name}.bias`, value: ops.alloc(outSize), grad: ops.alloc(outSize), decay: false };
    this.params = [this.weights, this.bias];
    this.wT = ops.alloc(w);
  }

  /** Glorot-uniform weights and biases in ±sqrt(factor / (fanIn + fanOut)), factor 6 (2 for logistic units). */
  initGlorot(rng: Random, factor: number): void {
    const bound = Math.sqrt(factor / (this.inSize + this.outSize));
    for (const p of this.params) {
      for (let i = 0; i < p.value.length; i++) p.value[i] = (2 * rng.next() - 1) * bound;
    }
  }

  reserve(maxRows: number): void {
    this.out = this.ops.alloc(maxRows * this.outSize);
    this.dIn = this.ops.alloc(maxRows * this.inSize);
  }

  forward(x: Float64Array, n: number): Float64Array {
    const { inSize, outSize, out } = this;
    this.ops.fillRows(out, this.bias.value, n, outSize);
    this.ops.gemm(n, outSize, inSize, x, inSize, 1, this.weights.value, outSize, out, outSize, true);
    this.x = x;
    return out;
  }

  backward(dOut: Float64Array, n: number, needInput: boolean): Float64Array | null {
    const { inSize, outSize } = this;
    // dW = xᵀ·dOut (x read transposed through its strides), db = column sums of dOut.
    this.ops.gemm(inSize, outSize, n, this.x, 1, inSize, dOut, outSize, this.weights.grad, outSize, false);
    this.ops.colSums(dOut, n, outSize, this.bias.grad);
    if (!needInput) return null;
    // dIn = dOut·Wᵀ; W is transposed once per call so that the product reads rows contiguously.
    const w = this.weights.value;
    const wT = this.wT;
    for (let p = 0; p < inSize; p++)
      for (let j = 0; j < outSize; j++) wT[j * inSize + p] = w[p * outSize + j];
    this.ops.gemm(n, inSize, outSize, dOut, outSize, 1, wT, inSize, this.dIn, inSize, false);
    return this.dIn;
  }
}

export const ACTIVATIONS = ["identity", "logistic", "tanh", "relu"] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/**
 * An elementwise activation, applied in place to its input (the Dense output before it);
 * backward uses only its output, as every activation here has a derivative in terms of it.
 */
export class Activation implements Layer {
  readonly params: readonly Parameter[] = [];
  private readonly code: number;
  private y: Float64Array = new Float64Array(0);

  constructor(
    readonly kind: ActivationName,
    readonly inSize: number,
    private readonly ops: MatrixOps,
  ) {
    this.code = ACTIVATIONS.indexOf(kind);
  }

  get outSize(): number {
    return this.inSize;
  }

  reserve(): void {}

  forward(x: Float64Array, n: number): Float64Array {
    this.ops.activate(this.code, x, n * this.inSize);
    this.y = x;
    return x;
  }

  backward(dOut: Float64Array, n: number): Float64Array {
    this.ops.activateBackward(this.code, dOut, this.y, n * this.inSize);
    return dOut;
  }
}
