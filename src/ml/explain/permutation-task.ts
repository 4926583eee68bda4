import type { Table } from "../../data/table.js";
import { estimatorFromParts } from "../catalog.js";
import type { Predictor } from "../estimator.js";
import { getScorer } from "../metrics/scorers.js";
import { openFeatures } from "../parallel/shared-data.js";
import { columnDrops, type PermutationTaskArgs } from "./permutation.js";

/** Runs in a worker thread: rebuilds the model from its parts and scores its share of the columns. */
export function permutationTask(a: PermutationTaskArgs): number[][] {
  const model = estimatorFromParts(a.parts) as Predictor;
  const X = openFeatures(a.X) as Table;
  const scorer = getScorer(a.scoring);
  return a.columns.map((c) => columnDrops(model, scorer, a.yTrue, X, a.baseline, c, a.nRepeats, a.seed));
}
