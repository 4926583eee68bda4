import { type MatrixOps, tsOps } from "./matrix.js";

/** The matrix backend every network uses. */
export function defaultOps(): MatrixOps {
  return tsOps;
}
