import { type Column, takeColumn } from "../../data/column.js";
import { Random } from "../../data/random.js";
import type { Table } from "../../data/table.js";
import { ParameterError } from "../errors.js";
import type { ModelParts, Predictor } from "../estimator.js";
import { throwIfAborted } from "../estimator.js";
import { getScorer, type Scorer } from "../metrics/scorers.js";
import { defaultJobs, sharedPool, siblingModule } from "../parallel/pool.js";
import { shareFeatures } from "../parallel/shared-data.js";
import { classTarget, decodeLabels, type Label, regressionTarget, type Target } from "../target.js";

export interface PermutationImportanceOptions {
  /** A scorer name (default accuracy / r2). */
  scoring?: string;
  /** Shuffles per column (default 5). */
  nRepeats?: number;
  seed?: number;
  /** Columns to explain (default: every column of X). */
  columns?: readonly string[];
  /** Columns scored at once on worker threads (default: all cores from 20,000 rows, else 1). */
  nJobs?: number;
  signal?: AbortSignal;
}

export interface PermutationImportance {
  feature: string;
  /** Mean drop of the score when the column is shuffled (higher = more important). */
  mean: number;
  std: number;
  /** The drop of each repeat. */
  drops: number[];
}

export interface PermutationImportanceResult {
  scoring: string;
  baseline: number;
  /** Sorted by mean drop, descending. */
  importances: PermutationImportance[];
}

/** The true labels or values in the form the scorer takes. */
function truth(model: Predictor, y: Target): ArrayLike<Label> {
  if (model.task === "regression") return regressionTarget(y);
  const t = classTarget(y);
  return decodeLabels(t.codes, t.classes);
}

function scoreTable(model: Predictor, scorer: Scorer, yTrue: ArrayLike<Label>, X: Table): number {
  return model.task === "classification" && scorer.needsProba
    ? scorer.score(yTrue, { proba: model.predictProba(X), classes: model.classes })
    : scorer.score(yTrue, model.predict(X));
}

/**
 * The score drops of shuffling one column `nRepeats` times. Each column draws from its own
 * generator (seeded from the seed and the column's position), so results do not depend on
 * how columns are spread over threads.
 */
export function columnDrops(
  model: Predictor,
  scorer: Scorer,
  yTrue: ArrayLike<Label>,
  X: Table,
  baseline: number,
  column: string,
  nRepeats: number,
  seed: number,
): number[] {
  const rng = new Random((seed + Math.imul(X.names.indexOf(column) + 1, 0x9e3779b9)) >>> 0);
  const col = X.column(column);
  const drops: number[] = [];
  for (let r = 0; r < nRepeats; r++) {
    const shuffled: Column = { ...takeColumn(col, rng.permutation(X.nRows)), name: column };
    drops.push(baseline - scoreTable(model, scorer, yTrue, X.withColumn(shuffled)));
  }
  return drops;
}

/**
 * Permutation importance (Breiman; scikit-learn's `permutation_importance`) for any fitted
 * model and scorer: how much the score drops when one input column's values are shuffled,
 * breaking its link with the target. Works on the raw input columns, so a pipeline's one-hot
 * columns count as the one column they came from. Seeded; columns run in parallel on worker
 * threads (the model travels as its model-file parts), with the same numbers as serially.
 */
export async function permutationImportance(
  model: Predictor,
  X: Table,
  y: Target,
  options: PermutationImportanceOptions = {},
): Promise<PermutationImportanceResult> {
  const nRepeats = options.nRepeats ?? 5;
  if (!Number.isInteger(nRepeats) || nRepeats < 1)
    throw new ParameterError("nRepeats", "an integer ≥ 1", nRepeats);
  const nJobs = options.nJobs ?? (X.nRows >= 20_000 ? defaultJobs() : 1);
  if (!Number.isInteger(nJobs) || nJobs < 1) throw new ParameterError("nJobs", "an integer ≥ 1", nJobs);
  const scorer = getScorer(options.scoring ?? (model.task === "classification" ? "accuracy" : "r2"));
  const yTrue = truth(model, y);
  const baseline = scoreTable(model, scorer, yTrue, X);
  const seed = options.seed ?? 0;
  const columns = options.columns ?? X.names;
  for (const c of columns) X.column(c); // an unknown column fails here, naming it
  let drops: number[][];
  if (nJobs === 1 || columns.length === 1) {
    drops = columns.map((c) => {
      throwIfAborted(options.signal);
      return columnDrops(model, scorer, yTrue, X, baseline, c, nRepeats, seed);
    });
  } else {
    const parts = model.toParts();
    const shared = shareFeatures(X);
    const groups = Array.from({ length: Math.min(nJobs, columns.length) }, (_, g) =>
      columns.filter((_, i) => i % nJobs === g),
    );
    const module = siblingModule(import.meta.url, "./permutation-task");
    const results = await Promise.all(
      groups.map((cols) =>
        sharedPool().run<number[][]>(
          module,
          "permutationTask",
          {
            parts,
            X: shared,
            yTrue: Array.from(yTrue),
            scoring: scorer.name,
            baseline,
            columns: cols,
            nRepeats,
            seed,
          },
          { signal: options.signal },
        ),
      ),
    );
    const byName = new Map<string, number[]>();
    groups.forEach((cols, g) => {
      cols.forEach((c, i) => {
        byName.set(c, results[g][i]);
      });
    });
    drops = columns.map((c) => byName.get(c) as number[]);
  }
  const importances = columns.map((feature, j): PermutationImportance => {
    const d = drops[j];
    const mean = d.reduce((s, x) => s + x, 0) / nRepeats;
    const std = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / nRepeats);
    return { feature, mean, std, drops: d };
  });
  importances.sort((a, b) => b.mean - a.mean || (a.feature < b.feature ? -1 : 1));
  return { scoring: scorer.name, baseline, importances };
}

/** What a worker receives: the fitted model as parts, the shared table, and its columns. */
export interface PermutationTaskArgs {
  parts: ModelParts;
  X: ReturnType<typeof shareFeatures>;
  yTrue: Label[];
  scoring: string;
  baseline: number;
  columns: string[];
  nRepeats: number;
  seed: number;
}
