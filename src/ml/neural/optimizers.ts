import type { Parameter } from "./layers.js";

/** Updates parameters from their gradients; knows nothing of layers or losses. */
export interface Optimizer {
  /** One update of every parameter from its `grad`. */
  step(params: readonly Parameter[]): void;
  /** Called after each epoch with the number of samples seen so far (learning-rate schedules). */
  endEpoch(samplesSeen: number): void;
  /**
   * Called when the loss (or validation score) stopped improving: true means stop training;
   * false means the optimizer adapted (e.g. lowered its learning rate) and training goes on.
   */
  plateau(): boolean;
  readonly learningRate: number;
}

export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Adam (Kingma & Ba) with the bias correction folded into the step size, as scikit-learn. */
export class Adam implements Optimizer {
  private t = 0;
  private readonly m = new Map<Parameter, Float64Array>();
  private readonly v = new Map<Parameter, Float64Array>();
  learningRate: number;

  constructor(private readonly o: AdamOptions) {
    this.learningRate = o.learningRate;
  }

  step(params: readonly Parameter[]): void {
    const { beta1, beta2, epsilon } = this.o;
    this.t++;
    const lr = (this.o.learningRate * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    this.learningRate = lr;
    for (const p of params) {
      const m = this.state(this.m, p);
      const v = this.state(this.v, p);
      const { value, grad } = p;
      for (let i = 0; i < value.length; i++) {
        const g = grad[i];
        const mi = beta1 * m[i] + (1 - beta1) * g;
        const vi = beta2 * v[i] + (1 - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        value[i] -= (lr * mi) / (Math.sqrt(vi) + epsilon);
      }
    }
  }

  private state(map: Map<Parameter, Float64Array>, p: Parameter): Float64Array {
    let s = map.get(p);
    if (!s) {
      s = new Float64Array(p.value.length);
      map.set(p, s);
    }
    return s;
  }

  endEpoch(): void {}

  plateau(): boolean {
    return true;
  }
}

export type LearningRateSchedule = "constant" | "invscaling" | "adaptive";

export interface SgdOptions {
  learningRate: number;
  schedule: LearningRateSchedule;
  momentum: number;
  nesterov: boolean;
  /** Exponent of the inverse scaling schedule: rate = initial / (samplesSeen + 1)^powerT. */
  powerT: number;
}

/** Stochastic gradient descent with (Nesterov) momentum and scikit-learn's learning-rate schedules. */
export class Sgd implements Optimizer {
  private readonly velocity = new Map<Parameter, Float64Array>();
  learningRate: number;

  constructor(private readonly o: SgdOptions) {
    this.learningRate = o.learningRate;
  }

  step(params: readonly Parameter[]): void {
    const { momentum, nesterov } = this.o;
    const lr = this.learningRate;
    for (const p of params) {
      let vel = this.velocity.get(p);
      if (!vel) {
        vel = new Float64Array(p.value.length);
        this.velocity.set(p, vel);
      }
      const { value, grad } = p;
      for (let i = 0; i < value.length; i++) {
        const v = momentum * vel[i] - lr * grad[i];
        vel[i] = v;
        value[i] += nesterov ? momentum * v - lr * grad[i] : v;
      }
    }
  }

  endEpoch(samplesSeen: number): void {
    if (this.o.schedule === "invscaling") {
      this.learningRate = this.o.learningRate / (samplesSeen + 1) ** this.o.powerT;
    }
  }

  plateau(): boolean {
    if (this.o.schedule !== "adaptive") return true;
    if (this.learningRate <= 1e-6) return true;
    this.learningRate /= 5;
    return false;
  }
}
