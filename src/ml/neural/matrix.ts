/**
 * Where a network's numbers live and the one dense product it needs. Layers allocate every
 * buffer through `alloc` so that a backend can keep them in its own memory (the WebAssembly
 * backend hands its kernel pointers into one memory, with no copying per call).
 */
export interface MatrixOps {
  readonly name: string;
  /** A zero-filled array in this backend's memory. */
  alloc(length: number): Float64Array;
  /** A zero-filled array of row indices in this backend's memory. */
  allocIndex(length: number): Int32Array;
  /** dst (n × d) = rows rows[from..from + n) of src (row-major, d columns). */
  gatherRows(
    dst: Float64Array,
    src: Float64Array,
    rows: Int32Array,
    from: number,
    n: number,
    d: number,
  ): void;
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

/**
 * The dense product in plain TypeScript: 2 × 4 blocks of C held in locals (registers) over the
 * whole k loop, so that C is read and written once; 1-row and 1-column loops for the tails.
 */
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
  const n4 = n & ~3;
  const m2 = m & ~1;
  for (let i = 0; i < m2; i += 2) {
    const a0 = i * sam;
    const a1 = a0 + sam;
    const c0 = i * ldc;
    const c1 = c0 + ldc;
    for (let j = 0; j < n4; j += 4) {
      let x00 = 0;
      let x01 = 0;
      let x02 = 0;
      let x03 = 0;
      let x10 = 0;
      let x11 = 0;
      let x12 = 0;
      let x13 = 0;
      let bp = j;
      let ap = 0;
      for (let p = 0; p < k; p++) {
        const b0 = b[bp];
        const b1 = b[bp + 1];
        const b2 = b[bp + 2];
        const b3 = b[bp + 3];
        const s0 = a[a0 + ap];
        const s1 = a[a1 + ap];
        x00 += s0 * b0;
        x01 += s0 * b1;
        x02 += s0 * b2;
        x03 += s0 * b3;
        x10 += s1 * b0;
        x11 += s1 * b1;
        x12 += s1 * b2;
        x13 += s1 * b3;
        bp += ldb;
        ap += sak;
      }
      if (accumulate) {
        c[c0 + j] += x00;
        c[c0 + j + 1] += x01;
        c[c0 + j + 2] += x02;
        c[c0 + j + 3] += x03;
        c[c1 + j] += x10;
        c[c1 + j + 1] += x11;
        c[c1 + j + 2] += x12;
        c[c1 + j + 3] += x13;
      } else {
        c[c0 + j] = x00;
        c[c0 + j + 1] = x01;
        c[c0 + j + 2] = x02;
        c[c0 + j + 3] = x03;
        c[c1 + j] = x10;
        c[c1 + j + 1] = x11;
        c[c1 + j + 2] = x12;
        c[c1 + j + 3] = x13;
      }
    }
    for (let j = n4; j < n; j++) {
      let y0 = 0;
      let y1 = 0;
      for (let p = 0; p < k; p++) {
        const bv = b[p * ldb + j];
        y0 += a[a0 + p * sak] * bv;
        y1 += a[a1 + p * sak] * bv;
      }
      c[c0 + j] = accumulate ? c[c0 + j] + y0 : y0;
      c[c1 + j] = accumulate ? c[c1 + j] + y1 : y1;
    }
  }
  for (let i = m2; i < m; i++) {
    const ai = i * sam;
    const ci = i * ldc;
    for (let j = 0; j < n; j++) {
      let y = 0;
      for (let p = 0; p < k; p++) y += a[ai + p * sak] * b[p * ldb + j];
      c[ci + j] = accumulate ? c[ci + j] + y : y;
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
  allocIndex: (length) => new Int32Array(length),
  gatherRows(dst, src, rows, from, n, d) {
    for (let i = 0; i < n; i++) {
      const at = rows[from + i] * d;
      const to = i * d;
      for (let j = 0; j < d; j++) dst[to + j] = src[at + j];
    }
  },
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
