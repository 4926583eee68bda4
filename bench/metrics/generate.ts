// Deterministic inputs for the metrics benchmark, written once to bench/data/ as raw arrays that
// both children read (Node: typed arrays over the file; Python: numpy.fromfile).

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Random } from "../../src/data/random.js";

export const CLASSES = 5;

/** Files of one benchmark size: binary labels/scores, 5-class labels/predictions/probabilities, regression. */
export function files(prefix: string) {
  return {
    yBin: `${prefix}.ybin.i32`,
    score: `${prefix}.score.f64`,
    yTrue: `${prefix}.ytrue.i32`,
    yPred: `${prefix}.ypred.i32`,
    proba: `${prefix}.proba.f64`,
    reg: `${prefix}.reg.f64`,
    regPred: `${prefix}.regpred.f64`,
  };
}

function write(path: string, a: ArrayBufferView): void {
  writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

export function ensureData(prefix: string, n: number): void {
  const f = files(prefix);
  if (Object.values(f).every(existsSync)) return;
  mkdirSync(dirname(prefix), { recursive: true });
  const r = new Random(7);
  const yBin = new Int32Array(n);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yBin[i] = r.next() < 0.3 ? 1 : 0;
    // a noisy score, rounded to 1e-5 so that ties occur as in real probabilities
    score[i] = Math.round((1 / (1 + Math.exp(-(1.5 * yBin[i] - 0.75 + r.normal())))) * 1e5) / 1e5;
  }
  const k = CLASSES;
  const yTrue = new Int32Array(n);
  const yPred = new Int32Array(n);
  const proba = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    yTrue[i] = r.int(k);
    let s = 0;
    for (let j = 0; j < k; j++) {
      const v = Math.exp(r.normal() + (j === yTrue[i] ? 1.2 : 0));
      proba[i * k + j] = v;
      s += v;
    }
    let best = 0;
    for (let j = 0; j < k; j++) {
      proba[i * k + j] /= s;
      if (proba[i * k + j] > proba[i * k + best]) best = j;
    }
    yPred[i] = best;
  }
  const reg = new Float64Array(n);
  const regPred = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    reg[i] = 100 + 30 * r.normal();
    regPred[i] = reg[i] + 10 * r.normal();
  }
  write(f.yBin, yBin);
  write(f.score, score);
  write(f.yTrue, yTrue);
  write(f.yPred, yPred);
  write(f.proba, proba);
  write(f.reg, reg);
  write(f.regPred, regPred);
}
