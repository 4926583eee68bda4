import { describe, expect, it } from "vitest";
import { Random } from "../../../src/data/random.js";
import { ACTIVATIONS } from "../../../src/ml/neural/layers.js";
import {
  type Loss,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
  squaredError,
} from "../../../src/ml/neural/losses.js";
import { tsOps } from "../../../src/ml/neural/matrix.js";
import { initGlorot, perceptron } from "../../../src/ml/neural/network.js";
import { WasmOps } from "../../../src/ml/neural/wasm-ops.js";

/** A random batch and targets that suit `loss` for a network with k outputs. */
function batch(rng: Random, n: number, d: number, k: number, loss: Loss) {
  const x = Float64Array.from({ length: n * d }, () => rng.normal());
  const tw = loss.targetWidth(k);
  const target = Float64Array.from({ length: n * tw }, () =>
    loss === softmaxCrossEntropy ? rng.int(k) : loss === sigmoidCrossEntropy ? rng.int(2) : rng.normal() * 3,
  );
  const weights = Float64Array.from({ length: n }, () => 0.5 + rng.next());
  return { x, target, weights };
}

const LOSSES: [Loss, number][] = [
  [softmaxCrossEntropy, 3],
  [sigmoidCrossEntropy, 1],
  [sigmoidCrossEntropy, 2],
  [squaredError, 1],
  [squaredError, 2],
];

describe("backward pass = finite differences of the loss", () => {
  for (const activation of ACTIVATIONS) {
    for (const [loss, k] of LOSSES) {
      for (const backend of ["typescript", "webassembly"]) {
        it(`${activation} hidden layers, ${loss.name} with ${k} outputs, L2 penalty and row weights (${backend})`, () => {
          const ops = backend === "typescript" ? tsOps : new WasmOps();
          const rng = new Random(7);
          const d = 4;
          const n = 6;
          const net = perceptron([d, 5, 3, k], activation, loss, ops);
          initGlorot(net, activation, rng);
          // Biases away from 0 so that no ReLU input sits on its kink.
          for (const p of net.params)
            if (!p.decay) for (let i = 0; i < p.value.length; i++) p.value[i] += 0.1;
          net.reserve(n);
          const { x, target, weights } = batch(rng, n, d, k, loss);
          const alpha = 0.3;
          const lossAt = () => {
            net.gather(x, null, 0, n);
            const raw = net.forward(n);
            let l = loss.evaluate(raw, target, n, k, weights, null);
            let sq = 0;
            for (const p of net.params) if (p.decay) for (const v of p.value) sq += v * v;
            l += (0.5 * alpha * sq) / n;
            return l;
          };
          net.gather(x, null, 0, n);
          const analytic = net.lossAndGradients(target, n, weights, alpha);
          expect(analytic).toBeCloseTo(lossAt(), 12);
          const grads = net.params.map((p) => Float64Array.from(p.grad));
          const h = 1e-6;
          let checked = 0;
          net.params.forEach((p, pi) => {
            for (let i = 0; i < p.value.length; i++) {
              const v = p.value[i];
              p.value[i] = v + h;
              const up = lossAt();
              p.value[i] = v - h;
              const down = lossAt();
              p.value[i] = v;
              const numeric = (up - down) / (2 * h);
              expect(Math.abs(numeric - grads[pi][i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
              checked++;
            }
          });
          expect(checked).toBe(d * 5 + 5 + 5 * 3 + 3 + 3 * k + k);
        });
      }
    }
  }
});
