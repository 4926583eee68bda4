/**
 * Where a network's numbers live and the one dense product it needs. Layers allocate every
 * buffer through `alloc` so that a backend can keep them in its own memory (the WebAssembly
 * backend hands its kernel pointers into one memory, with no copying per call).
 */
export interface MatrixOps {
  readonly name: string;
  /** A zero-filled array in this backend's memory. */
  alloc(length: number): Float64Array;
  /**
   * C (m × n, row stride ldc) = A·B, or += A·B when `accumulate`. A(i, p) = a[i·sam + p·sak]
   * (so A may be a transposed view), B is k × n row-major with row stride ldb. The arrays must
   * come from `alloc` (subarrays of them are fine).
   */
  gemm(
    m: number,
    n: number,
    k: number,
    a: Float64Array,
    sam: number,
    sak: number,
    b: Float64Array,
    ldb: number,
    c: Float64Array,
    ldc: number,
    accumulate: boolean,
  ): void;
  /** Every row of y (n × k) set to b (k values): a layer's bias before `gemm` adds to it. */
  fillRows(y: Float64Array, b: Float64Array, n: number, k: number): void;
  /** out (k values) = the column sums of d (n × k). */
  colSums(d: Float64Array, n: number, k: number, out: Float64Array): void;
  /** Applies activation `kind` (an index into ACTIVATIONS) to the first len values of x in place. */
  activate(kind: number, x: Float64Array, len: number): void;
  /** d *= the derivative of activation `kind`, taken from its output y. */
  activateBackward(kind: number, d: Float64Array, y: Float64Array, len: number): void;
}

/** The dense product in plain TypeScript (4 rows of C at a time, so each B row is read once per 4). */
export function gemmTs(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  sam: number,
  sak: number,
  b: Float64Array,
  ldb: number,
  c: Float64Array,
  ldc: number,
  accumulate: boolean,
): void {
  if (!accumulate) for (let i = 0; i < m; i++) c.fill(0, i * ldc, i * ldc + n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = i * ldc;
    const c1 = c0 + ldc;
    const c2 = c1 + ldc;
    const c3 = c2 + ldc;
    for (let p = 0; p < k; p++) {
      const ap = i * sam + p * sak;
      const a0 = a[ap];
      const a1 = a[ap + sam];
      const a2 = a[ap + 2 * sam];
      const a3 = a[ap + 3 * sam];
      const bp = p * ldb;
      for (let j = 0; j < n; j++) {
        const bv = b[bp + j];
        c[c0 + j] += a0 * bv;
        c[c1 + j] += a1 * bv;
        c[c2 + j] += a2 * bv;
        c[c3 + j] += a3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * ldc;
    for (let p = 0; p < k; p++) {
      const av = a[i * sam + p * sak];
      const bp = p * ldb;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
}

/** Activation codes, in the order of ACTIVATIONS (layers.ts) and of the WebAssembly kernel. */
export const IDENTITY = 0;
export const LOGISTIC = 1;
export const TANH = 2;
export const RELU = 3;

/** Plain TypeScript arrays and loops: the reference the WebAssembly backend is tested against. */
export const tsOps: MatrixOps = {
  name: "typescript",
  alloc: (length) => new Float64Array(length),
  gemm: gemmTs,
  fillRows(y, b, n, k) {
    for (let i = 0; i < n; i++) y.set(b.subarray(0, k), i * k);
  },
  colSums(d, n, k, out) {
    out.fill(0, 0, k);
    for (let i = 0; i < n; i++) {
      const row = i * k;
      for (let j = 0; j < k; j++) out[j] += d[row + j];
    }
  },
  activate(kind, x, len) {
    if (kind === RELU) for (let i = 0; i < len; i++) x[i] = x[i] > 0 ? x[i] : 0;
    else if (kind === TANH) for (let i = 0; i < len; i++) x[i] = Math.tanh(x[i]);
    else if (kind === LOGISTIC) for (let i = 0; i < len; i++) x[i] = 1 / (1 + Math.exp(-x[i]));
  },
  activateBackward(kind, d, y, len) {
    if (kind === RELU) for (let i = 0; i < len; i++) d[i] = y[i] === 0 ? 0 : d[i];
    else if (kind === TANH) for (let i = 0; i < len; i++) d[i] *= 1 - y[i] * y[i];
    else if (kind === LOGISTIC) for (let i = 0; i < len; i++) d[i] *= y[i] * (1 - y[i]);
  },
};
