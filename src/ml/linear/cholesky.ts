/**
 * Solves A x = b for a symmetric positive-definite A (row-major d × d) by Cholesky
 * factorization. Returns the index of the first column whose pivot collapses (the column is
 * a linear combination of the earlier ones: A is singular) instead of a solution.
 */
export function choleskySolve(
  A: Float64Array,
  b: Float64Array,
  d: number,
): { x: Float64Array } | { singularAt: number } {
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = A[j * d + j];
    for (let k = 0; k < j; k++) s -= L[j * d + k] * L[j * d + k];
    // Relative pivot test: what is left of column j after removing the earlier columns.
    const scale = Math.abs(A[j * d + j]);
    if (!(s > 1e-10 * scale) || scale === 0) return { singularAt: j };
    const ljj = Math.sqrt(s);
    L[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = A[i * d + j];
      for (let k = 0; k < j; k++) t -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = t / ljj;
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let t = b[i];
    for (let k = 0; k < i; k++) t -= L[i * d + k] * z[k];
    z[i] = t / L[i * d + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let t = z[i];
    for (let k = i + 1; k < d; k++) t -= L[k * d + i] * x[k];
    x[i] = t / L[i * d + i];
  }
  return { x };
}
