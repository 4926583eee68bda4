// trainyard's tree estimators against scikit-learn 1.2.1 and XGBoost 1.7.4 on the same rows
// (test/fixtures/trees/generate.py; the splits' row indices are in reference.json).
//
// Each score is the mean over three fixed 70/30 splits. Ours must be within a margin of the
// reference's mean score (either side): accuracy ± 0.025 (3.4 of iris's 135 test rows over the
// three splits, 13 of breast cancer's 513), ROC AUC ± 0.015, R² ± 0.05 (diabetes: 442 noisy
// rows). The margins cover honest differences of the learners (random streams, binned
// thresholds); a wrong split direction, a broken missing-value rule or a shifted class shows up
// as tens of points. When this was written the largest gaps were 0.010 accuracy, 0.008 AUC and
// 0.018 R².
// GradientBoosting is compared with both HistGradientBoosting and XGBoost (same budget: 100
// rounds, learning rate 0.1, 31 leaves; XGBoost's regressor with a 20-row minimum leaf like
// the others, see generate.py).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsv } from "../../../src/data/csv/read.js";
import type { Table } from "../../../src/data/table.js";
import type { Classifier, Regressor } from "../../../src/ml/estimator.js";
import { FeatureMatrix } from "../../../src/ml/features.js";
import { rocAuc } from "../../../src/ml/metrics/ranking.js";
import { r2 } from "../../../src/ml/metrics/regression.js";
import { classTarget, type Label, regressionTarget } from "../../../src/ml/target.js";
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../../src/ml/trees/index.js";

interface Split {
  seed: number;
  train: number[];
  test: number[];
  scores: Record<string, Record<string, number>>;
}
interface Dataset {
  name: string;
  path: string;
  target: string;
  drop: string[];
  task: "binary" | "multiclass" | "regression";
  splits: Split[];
  mean: Record<string, Record<string, number>>;
}
const ref: { treeDepth: number; datasets: Dataset[] } = JSON.parse(
  readFileSync(new URL("../../fixtures/trees/reference.json", import.meta.url), "utf8"),
);

const MARGIN: Record<string, number> = { accuracy: 0.025, auc: 0.015, r2: 0.05 };

type Make = (seed: number) => Classifier | Regressor;
const OURS: Record<string, { make: (task: Dataset["task"]) => Make; refs: string[] }> = {
  DecisionTree: {
    make: (task) => (seed) =>
      task === "regression"
        ? new DecisionTreeRegressor({ maxDepth: ref.treeDepth, randomState: seed })
        : new DecisionTreeClassifier({ maxDepth: ref.treeDepth, randomState: seed }),
    refs: ["DecisionTree"],
  },
  RandomForest: {
    make: (task) => (seed) =>
      task === "regression"
        ? new RandomForestRegressor({ nEstimators: 100, randomState: seed })
        : new RandomForestClassifier({ nEstimators: 100, randomState: seed }),
    refs: ["RandomForest"],
  },
  GradientBoosting: {
    make: (task) => (seed) => {
      const p = { nEstimators: 100, learningRate: 0.1, numLeaves: 31, randomState: seed };
      return task === "regression" ? new GradientBoostingRegressor(p) : new GradientBoostingClassifier(p);
    },
    refs: ["HistGradientBoosting", "XGBoost"],
  },
};

async function scoresOn(d: Dataset, table: Table, make: Make): Promise<Record<string, number>> {
  const X = FeatureMatrix.from(table.drop([d.target, ...d.drop]));
  const y = table.column(d.target);
  const sums: Record<string, number> = {};
  for (const s of d.splits) {
    const model = make(s.seed);
    const Xtr = X.take(s.train);
    const Xte = X.take(s.test);
    const got: Record<string, number> = {};
    if (d.task === "regression") {
      const yAll = regressionTarget(y);
      const pick = (idx: number[]) => Float64Array.from(idx, (i) => yAll[i]);
      const m = await (model as Regressor).fit(Xtr, pick(s.train));
      got.r2 = r2(pick(s.test), m.predict(Xte));
    } else {
      const { codes, classes } = classTarget(y);
      const labels = (idx: number[]): Label[] => idx.map((i) => classes[codes[i]]);
      const m = await (model as Classifier).fit(Xtr, labels(s.train));
      const truth = labels(s.test);
      const pred = m.predict(Xte);
      got.accuracy = pred.filter((p, i) => p === truth[i]).length / truth.length;
      if (d.task === "binary") {
        const proba = m.predictProba(Xte);
        const pos = Float64Array.from(s.test, (_, i) => proba[2 * i + 1]);
        got.auc = rocAuc(
          s.test.map((i) => (codes[i] === 1 ? 1 : 0)),
          pos,
        );
      }
    }
    for (const [k, v] of Object.entries(got)) sums[k] = (sums[k] ?? 0) + v / d.splits.length;
  }
  return sums;
}

describe("tree estimators vs scikit-learn and XGBoost on the same splits", () => {
  for (const d of ref.datasets) {
    it(`${d.name} (${d.task})`, async () => {
      const table = await readCsv(new URL(`../../../examples/${d.path}`, import.meta.url).pathname);
      const report: string[] = [];
      const failures: string[] = [];
      for (const [name, { make, refs }] of Object.entries(OURS)) {
        const ours = await scoresOn(d, table, make(d.task));
        for (const r of refs) {
          for (const [metric, theirs] of Object.entries(d.mean[r])) {
            const diff = ours[metric] - theirs;
            const line = `${d.name} ${name} vs ${r} ${metric}: ours ${ours[metric].toFixed(4)}, theirs ${theirs.toFixed(4)} (${diff >= 0 ? "+" : ""}${diff.toFixed(4)}, margin ${MARGIN[metric]})`;
            report.push(line);
            if (!(Math.abs(diff) <= MARGIN[metric])) failures.push(line);
          }
        }
      }
      console.log(report.join("\n"));
      expect(failures).toEqual([]);
    }, 60_000);
  }
});
