import { InputError, ParameterError } from "../errors.js";
import type { Label } from "../target.js";
import { checkNumbers, uniqueLabels } from "./inputs.js";

/**
 * How score metrics take predictions: either `classes` with a row-major n × classes.length
 * probability matrix (as `predictProba` returns), or a 1-D score per row for the positive class.
 */
export interface ScoreOptions {
  /** The columns of a probability matrix, in order (a classifier's `classes`). */
  classes?: readonly Label[];
  /**
   * The positive class of a binary metric. Default: `classes[1]` with a matrix; otherwise 1 when
   * yTrue's labels are {0, 1} or {-1, 1}, else the greater of yTrue's two labels (scikit-learn's
   * roc_auc_score rule; its curve functions would ask for pos_label instead).
   */
  posLabel?: Label;
}

/** One binary problem: a 0/1 flag and a score per row. */
export interface BinaryScores {
  pos: Uint8Array;
  score: Float64Array;
  posLabel: Label;
}

function defaultPosLabel(yTrue: ArrayLike<Label>): Label {
  const labels = uniqueLabels(yTrue);
  const numeric = labels.every((l) => typeof l === "number");
  if (numeric && labels.every((l) => l === 0 || l === 1)) return 1;
  if (numeric && labels.every((l) => l === -1 || l === 1)) return 1;
  if (labels.length === 2) return labels[1];
  throw new ParameterError(
    "posLabel",
    `the positive class: yTrue has labels ${JSON.stringify(labels)}, so it cannot be guessed`,
  );
}

/** 1 where yTrue is the positive class; with `classes`, every label must be one of them. */
function flags(yTrue: ArrayLike<Label>, posLabel: Label, classes?: readonly Label[]): Uint8Array {
  const pos = new Uint8Array(yTrue.length);
  const known = classes === undefined ? undefined : new Set(classes);
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i];
    if (known !== undefined && !known.has(y)) {
      throw new InputError(
        `yTrue has label ${JSON.stringify(y)} at row ${i + 1}, which is not one of the classes`,
        "yTrue",
      );
    }
    pos[i] = y === posLabel ? 1 : 0;
  }
  return pos;
}

/** Column j of a row-major n × k matrix. */
export function column(m: Float64Array, n: number, k: number, j: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = m[i * k + j];
  return out;
}

/** Resolves a binary metric's input: 1-D scores, or a two-column probability matrix with its classes. */
export function binaryScores(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: ScoreOptions,
): BinaryScores {
  const n = yTrue.length;
  const { classes } = options;
  if (scores.length === n && !(classes !== undefined && classes.length === 1)) {
    const posLabel =
      options.posLabel ?? (classes !== undefined ? classes[classes.length - 1] : defaultPosLabel(yTrue));
    return { pos: flags(yTrue, posLabel, classes), score: checkNumbers(scores, "scores"), posLabel };
  }
  if (classes === undefined || scores.length !== n * classes.length) {
    throw new InputError(
      `scores has ${scores.length} values: expected ${n} (one per row)${classes ? ` or ${n} × ${classes.length} (one per row and class)` : ""}`,
      "scores",
    );
  }
  if (classes.length !== 2) {
    throw new InputError(`this metric is binary but there are ${classes.length} classes`, "classes");
  }
  const posLabel = options.posLabel ?? classes[1];
  const j = classes.indexOf(posLabel);
  if (j < 0) throw new ParameterError("posLabel", `one of the classes ${JSON.stringify(classes)}`, posLabel);
  const m = checkNumbers(scores, "scores");
  return { pos: flags(yTrue, posLabel, classes), score: column(m, n, 2, j), posLabel };
}

/** A multiclass probability matrix with each row's true class index. */
export interface MulticlassScores {
  codes: Int32Array;
  proba: Float64Array;
  k: number;
}

export function multiclassScores(
  yTrue: ArrayLike<Label>,
  proba: ArrayLike<number>,
  classes: readonly Label[],
): MulticlassScores {
  const n = yTrue.length;
  const k = classes.length;
  if (new Set(classes).size !== k) throw new ParameterError("classes", "a list of distinct labels");
  if (proba.length !== n * k) {
    throw new InputError(`proba has ${proba.length} values: expected ${n} rows × ${k} classes`, "proba");
  }
  const index = new Map<Label, number>(classes.map((c, j) => [c, j]));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = index.get(yTrue[i]);
    if (c === undefined) {
      throw new InputError(
        `yTrue has label ${JSON.stringify(yTrue[i])} at row ${i + 1}, which is not one of the classes`,
        "yTrue",
      );
    }
    codes[i] = c;
  }
  return { codes, proba: checkNumbers(proba, "proba"), k };
}
