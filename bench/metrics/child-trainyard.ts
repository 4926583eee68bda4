// Times trainyard's metrics on the benchmark arrays; prints one JSON line {metric: {ms, cpuMs, value}}
// (wall and process CPU time, medians; CPU time is steadier when the machine is shared).
//   node --import tsx bench/metrics/child-trainyard.ts <prefix> <repeat>

import { readFileSync } from "node:fs";
import {
  accuracy,
  averagePrecision,
  classificationReport,
  confusionMatrix,
  f1,
  logLoss,
  meanAbsoluteError,
  medianAbsoluteError,
  r2,
  rocAuc,
  rocCurve,
} from "../../src/ml/metrics/index.js";
import { CLASSES, files } from "./generate.js";

const [prefix, repeatArg] = process.argv.slice(2);
const repeat = Number(repeatArg ?? 3);
const f = files(prefix);
const i32 = (p: string) => {
  const b = readFileSync(p);
  return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const f64 = (p: string) => {
  const b = readFileSync(p);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const yBin = i32(f.yBin);
const score = f64(f.score);
const yTrue = i32(f.yTrue);
const yPred = i32(f.yPred);
const proba = f64(f.proba);
const reg = f64(f.reg);
const regPred = f64(f.regPred);
const names = ["a", "b", "c", "d", "e"];
const sTrue = Array.from(yTrue, (c) => names[c]);
const sPred = Array.from(yPred, (c) => names[c]);
const classes = Array.from({ length: CLASSES }, (_, j) => j);

const cases: Record<string, () => unknown> = {
  accuracy: () => accuracy(yTrue, yPred),
  f1_macro: () => f1(yTrue, yPred, { average: "macro" }),
  f1_macro_strings: () => f1(sTrue, sPred, { average: "macro" }),
  confusion_matrix: () => confusionMatrix(yTrue, yPred).matrix[0][0],
  classification_report: () => classificationReport(sTrue, sPred).weightedAvg.f1,
  roc_auc: () => rocAuc(yBin, score),
  average_precision: () => averagePrecision(yBin, score),
  roc_curve: () => rocCurve(yBin, score).fpr.length,
  roc_auc_ovr_5: () => rocAuc(yTrue, proba, { classes }),
  log_loss_5: () => logLoss(yTrue, proba, { classes }),
  r2: () => r2(reg, regPred),
  mean_absolute_error: () => meanAbsoluteError(reg, regPred),
  median_absolute_error: () => medianAbsoluteError(reg, regPred),
};

const median = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
const out: Record<string, { ms: number; cpuMs: number; value: unknown }> = {};
for (const [name, run] of Object.entries(cases)) {
  let value = run(); // warm-up (JIT)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    value = run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  out[name] = { ms: median(wall), cpuMs: median(cpu), value };
}
console.log(JSON.stringify(out));
