import { InputError } from "../errors.js";
import { FeatureMatrix } from "../features.js";
import { toShared } from "../parallel/transfer.js";

/** Rows per block of the fused passes: 28 columns × 1024 rows × 8 B stays in L2 between the two sweeps. */
export const BLOCK = 1024;

/** The indicator columns that share one source's codes: a gather/scatter over those codes. */
export interface IndicatorGroup {
  readonly codes: Int32Array;
  /** The largest code + 1 seen in `codes` or in `levels` (table size for gathers and scatters). */
  readonly size: number;
  /** Design column of each indicator of this group. */
  readonly columns: Int32Array;
  /** Level (code) of each indicator of this group, parallel to `columns`. */
  readonly levels: Int32Array;
  /** Rows by level, for O(count) column operations: rows of level l are `order[start[l]..start[l+1])`. */
  readonly order: Int32Array;
  readonly start: Int32Array;
}

/** A design's arrays as plain data (what `toShared` gives and a worker rebuilds the design from). */
export interface DesignArrays {
  readonly nRows: number;
  readonly nCols: number;
  readonly names: readonly string[];
  readonly numeric: readonly Float64Array[];
  readonly numericIdx: Int32Array;
  readonly groups: readonly IndicatorGroup[];
  readonly groupOf: Int32Array;
  readonly slotOf: Int32Array;
}

/**
 * A FeatureMatrix as the design matrix of a linear model, never densified: numeric columns
 * are used in place and the indicators of one one-hot source are handled together as
 * gathers (X·w) and scatters (Xᵀr) over their shared codes, so a 1,000-level one-hot on
 * 1M rows costs a few Int32Arrays, not a dense 1M × 1,000 block.
 *
 * Categorical features are refused (encode them first) and so is NaN (impute first), each
 * with an InputError naming the column (and the row).
 */
export class LinearDesign {
  readonly nRows: number;
  readonly nCols: number;
  readonly names: readonly string[];
  /** Numeric columns' values and their design column index. */
  readonly numeric: readonly Float64Array[];
  readonly numericIdx: Int32Array;
  readonly groups: readonly IndicatorGroup[];
  /** For each design column: its group index (or -1) and its row in that group. */
  readonly groupOf: Int32Array;
  readonly slotOf: Int32Array;

  constructor(X: FeatureMatrix | DesignArrays) {
    if (!(X instanceof FeatureMatrix)) {
      // Already validated (a design sent to a worker): adopt its arrays.
      this.nRows = X.nRows;
      this.nCols = X.nCols;
      this.names = X.names;
      this.numeric = X.numeric;
      this.numericIdx = X.numericIdx;
      this.groups = X.groups;
      this.groupOf = X.groupOf;
      this.slotOf = X.slotOf;
      return;
    }
    this.nRows = X.nRows;
    this.nCols = X.nCols;
    this.names = X.names;
    const numeric: Float64Array[] = [];
    const numericIdx: number[] = [];
    const byCodes = new Map<Int32Array, { cols: number[]; levels: number[] }>();
    this.groupOf = new Int32Array(this.nCols).fill(-1);
    this.slotOf = new Int32Array(this.nCols);
    X.features.forEach((f, j) => {
      if (f.kind === "categorical") {
        throw new InputError(
          `feature "${f.name}" is categorical; linear models need numbers (encode it first, e.g. with OneHotEncoder)`,
          f.name,
        );
      }
      if (f.kind === "numeric") {
        const v = f.values;
        for (let i = 0; i < v.length; i++) {
          if (!Number.isFinite(v[i])) {
            throw new InputError(
              `feature "${f.name}" is ${Number.isNaN(v[i]) ? "missing (NaN)" : "infinite"} at row ${i + 1}; linear models need finite numbers (impute first, e.g. with SimpleImputer)`,
              f.name,
            );
          }
        }
        numeric.push(v);
        numericIdx.push(j);
        return;
      }
      let g = byCodes.get(f.codes);
      if (!g) {
        g = { cols: [], levels: [] };
        byCodes.set(f.codes, g);
      }
      g.cols.push(j);
      g.levels.push(f.level);
    });
    this.numeric = numeric;
    this.numericIdx = Int32Array.from(numericIdx);
    const groups: IndicatorGroup[] = [];
    for (const [codes, g] of byCodes) {
      let size = 0;
      for (const l of g.levels) if (l + 1 > size) size = l + 1;
      for (let i = 0; i < codes.length; i++) if (codes[i] + 1 > size) size = codes[i] + 1;
      // Counting sort of rows by level (missing codes -1 are in no level: all indicators 0).
      const start = new Int32Array(size + 1);
      for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) start[codes[i] + 1]++;
      for (let l = 0; l < size; l++) start[l + 1] += start[l];
      const fill = start.slice(0, size);
      const order = new Int32Array(start[size]);
      for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) order[fill[codes[i]]++] = i;
      g.cols.forEach((j, s) => {
        this.groupOf[j] = groups.length;
        this.slotOf[j] = s;
      });
      groups.push({
        codes,
        size,
        columns: Int32Array.from(g.cols),
        levels: Int32Array.from(g.levels),
        order,
        start,
      });
    }
    this.groups = groups;
  }

  /**
   * Z (class-major, k × (end - start)) = X[start:end] · Wᵀ + bias, for W row-major k × nCols.
   * `table` is scratch of at least max group size.
   */
  blockLinear(
    W: Float64Array,
    k: number,
    bias: Float64Array,
    start: number,
    end: number,
    Z: Float64Array,
    table: Float64Array,
  ): void {
    const len = end - start;
    const d = this.nCols;
    for (let c = 0; c < k; c++) {
      const o = c * len;
      const b = bias[c];
      for (let i = 0; i < len; i++) Z[o + i] = b;
      // Four columns per sweep over the block: a quarter of the Z loads and stores.
      const x = this.numeric;
      const idx = this.numericIdx;
      const nq = x.length;
      let q = 0;
      for (; q + 3 < nq; q += 4) {
        const w0 = W[c * d + idx[q]];
        const w1 = W[c * d + idx[q + 1]];
        const w2 = W[c * d + idx[q + 2]];
        const w3 = W[c * d + idx[q + 3]];
        const x0 = x[q];
        const x1 = x[q + 1];
        const x2 = x[q + 2];
        const x3 = x[q + 3];
        for (let i = 0, r = start; i < len; i++, r++) {
          Z[o + i] += w0 * x0[r] + w1 * x1[r] + w2 * x2[r] + w3 * x3[r];
        }
      }
      for (; q < nq; q++) {
        const w = W[c * d + idx[q]];
        const x0 = x[q];
        for (let i = 0, r = start; i < len; i++, r++) Z[o + i] += w * x0[r];
      }
      for (const g of this.groups) {
        table.fill(0, 0, g.size + 1);
        for (let s = 0; s < g.columns.length; s++) table[g.levels[s]] = W[c * d + g.columns[s]];
        // Missing codes (-1) read a zero at table[size] instead.
        const codes = g.codes;
        const miss = g.size;
        for (let i = 0; i < len; i++) {
          const code = codes[start + i];
          Z[o + i] += table[code < 0 ? miss : code];
        }
      }
    }
  }

  /** G (k × nCols row-major) += R[start:end]ᵀ · X[start:end], R class-major k × (end - start). */
  blockGradient(
    R: Float64Array,
    k: number,
    start: number,
    end: number,
    G: Float64Array,
    table: Float64Array,
  ): void {
    const len = end - start;
    const d = this.nCols;
    for (let c = 0; c < k; c++) {
      const o = c * len;
      // Four columns per sweep: R is read once for four dot products.
      const x = this.numeric;
      const idx = this.numericIdx;
      const nq = x.length;
      let q = 0;
      for (; q + 3 < nq; q += 4) {
        const x0 = x[q];
        const x1 = x[q + 1];
        const x2 = x[q + 2];
        const x3 = x[q + 3];
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let i = 0, r = start; i < len; i++, r++) {
          const v = R[o + i];
          s0 += x0[r] * v;
          s1 += x1[r] * v;
          s2 += x2[r] * v;
          s3 += x3[r] * v;
        }
        G[c * d + idx[q]] += s0;
        G[c * d + idx[q + 1]] += s1;
        G[c * d + idx[q + 2]] += s2;
        G[c * d + idx[q + 3]] += s3;
      }
      for (; q < nq; q++) {
        const x0 = x[q];
        let s0 = 0;
        for (let i = 0, r = start; i < len; i++, r++) s0 += x0[r] * R[o + i];
        G[c * d + idx[q]] += s0;
      }
      for (const g of this.groups) {
        table.fill(0, 0, g.size + 1);
        const codes = g.codes;
        const miss = g.size;
        for (let i = 0; i < len; i++) {
          const code = codes[start + i];
          table[code < 0 ? miss : code] += R[o + i];
        }
        for (let s = 0; s < g.columns.length; s++) G[c * d + g.columns[s]] += table[g.levels[s]];
      }
    }
  }

  /**
   * Rows [start, end) of the design in SharedArrayBuffers, for a worker thread's share of the
   * block passes (blockLinear / blockGradient): the copy is only that share, and the rebuilt
   * groups carry no by-level row index (the column-wise methods are not used on a share).
   */
  shareRows(start: number, end: number): DesignArrays {
    const slice = <T extends Float64Array | Int32Array>(a: T): T => toShared(a.subarray(start, end) as T);
    return {
      nRows: end - start,
      nCols: this.nCols,
      names: this.names,
      numeric: this.numeric.map(slice),
      numericIdx: this.numericIdx,
      groups: this.groups.map((g) => ({
        ...g,
        codes: slice(g.codes),
        order: new Int32Array(0),
        start: new Int32Array(g.size + 1),
      })),
      groupOf: this.groupOf,
      slotOf: this.slotOf,
    };
  }

  /** Scratch size for blockLinear / blockGradient tables. */
  get tableSize(): number {
    let m = 1;
    for (const g of this.groups) if (g.size + 1 > m) m = g.size + 1;
    return m;
  }

  /** out = X · w + b for every row. */
  predictLinear(W: Float64Array, k: number, bias: Float64Array): Float64Array {
    const n = this.nRows;
    const out = new Float64Array(n * k);
    const Z = new Float64Array(BLOCK * k);
    const table = new Float64Array(this.tableSize);
    for (let start = 0; start < n; start += BLOCK) {
      const end = Math.min(n, start + BLOCK);
      const len = end - start;
      this.blockLinear(W, k, bias, start, end, Z, table);
      for (let i = 0; i < len; i++) for (let c = 0; c < k; c++) out[(start + i) * k + c] = Z[c * len + i];
    }
    return out;
  }

  /** Σ_i v_i x_ij for column j. */
  columnDot(j: number, v: Float64Array): number {
    const g = this.groupOf[j];
    let s = 0;
    if (g < 0) {
      const x = this.numeric[this.numericSlot(j)];
      for (let i = 0; i < x.length; i++) s += x[i] * v[i];
      return s;
    }
    const grp = this.groups[g];
    const l = grp.levels[this.slotOf[j]];
    if (l >= grp.size) return 0;
    for (let p = grp.start[l]; p < grp.start[l + 1]; p++) s += v[grp.order[p]];
    return s;
  }

  /** Σ_i u_i v_i x_ij for column j (a weighted dot). */
  columnDot2(j: number, u: Float64Array, v: Float64Array): number {
    const g = this.groupOf[j];
    let s = 0;
    if (g < 0) {
      const x = this.numeric[this.numericSlot(j)];
      for (let i = 0; i < x.length; i++) s += x[i] * u[i] * v[i];
      return s;
    }
    const grp = this.groups[g];
    const l = grp.levels[this.slotOf[j]];
    if (l >= grp.size) return 0;
    for (let p = grp.start[l]; p < grp.start[l + 1]; p++) {
      const i = grp.order[p];
      s += u[i] * v[i];
    }
    return s;
  }

  /** Σ_i sw_i x_ij². */
  columnSqNorm(j: number, sw: Float64Array): number {
    if (this.groupOf[j] >= 0) return this.columnDot(j, sw);
    const x = this.numeric[this.numericSlot(j)];
    let s = 0;
    for (let i = 0; i < x.length; i++) s += sw[i] * x[i] * x[i];
    return s;
  }

  /** v += a · x_j. */
  columnAxpy(j: number, a: number, v: Float64Array): void {
    const g = this.groupOf[j];
    if (g < 0) {
      const x = this.numeric[this.numericSlot(j)];
      for (let i = 0; i < x.length; i++) v[i] += a * x[i];
      return;
    }
    const grp = this.groups[g];
    const l = grp.levels[this.slotOf[j]];
    if (l >= grp.size) return;
    for (let p = grp.start[l]; p < grp.start[l + 1]; p++) v[grp.order[p]] += a;
  }

  /** v += a · u ∘ x_j (u elementwise). */
  columnAxpy2(j: number, a: number, u: Float64Array, v: Float64Array): void {
    const g = this.groupOf[j];
    if (g < 0) {
      const x = this.numeric[this.numericSlot(j)];
      for (let i = 0; i < x.length; i++) v[i] += a * u[i] * x[i];
      return;
    }
    const grp = this.groups[g];
    const l = grp.levels[this.slotOf[j]];
    if (l >= grp.size) return;
    for (let p = grp.start[l]; p < grp.start[l + 1]; p++) {
      const i = grp.order[p];
      v[i] += a * u[i];
    }
  }

  private slotCache: Int32Array | undefined;
  private numericSlot(j: number): number {
    if (!this.slotCache) {
      this.slotCache = new Int32Array(this.nCols).fill(-1);
      this.numericIdx.forEach((col, q) => {
        (this.slotCache as Int32Array)[col] = q;
      });
    }
    return this.slotCache[j];
  }

  /** Weighted column means Σ sw x_j / Σ sw (all zero when `center` is false). */
  means(sw: Float64Array, sumW: number, center: boolean): Float64Array {
    const m = new Float64Array(this.nCols);
    if (!center) return m;
    for (let j = 0; j < this.nCols; j++) m[j] = this.columnDot(j, sw) / sumW;
    return m;
  }

  /**
   * The weighted centered Gram matrix Σ sw (x_j − m_j)(x_k − m_k) (nCols × nCols) and the
   * vector Σ sw (x_j − m_j) y_i, built column-pair-wise (indicator pairs by scatter).
   */
  gram(
    sw: Float64Array,
    y: Float64Array,
    m: Float64Array,
    sumW: number,
  ): { G: Float64Array; b: Float64Array } {
    const d = this.nCols;
    const n = this.nRows;
    const G = new Float64Array(d * d);
    const b = new Float64Array(d);
    const wy = new Float64Array(n);
    for (let i = 0; i < n; i++) wy[i] = sw[i] * y[i];
    const sumWy = wy.reduce((a, v) => a + v, 0);
    for (let j = 0; j < d; j++) b[j] = this.columnDot(j, wy) - m[j] * sumWy;
    // Numeric × numeric, blocked so each block of columns is read from cache.
    const nq = this.numeric.length;
    const acc = new Float64Array(nq * nq);
    const wx = new Float64Array(BLOCK);
    for (let start = 0; start < n; start += BLOCK) {
      const end = Math.min(n, start + BLOCK);
      for (let p = 0; p < nq; p++) {
        const xp = this.numeric[p];
        for (let i = start; i < end; i++) wx[i - start] = sw[i] * xp[i];
        for (let q = p; q < nq; q++) {
          const xq = this.numeric[q];
          let s = 0;
          for (let i = start; i < end; i++) s += wx[i - start] * xq[i];
          acc[p * nq + q] += s;
        }
      }
    }
    for (let p = 0; p < nq; p++) {
      for (let q = p; q < nq; q++) {
        const j = this.numericIdx[p];
        const k = this.numericIdx[q];
        G[j * d + k] = G[k * d + j] = acc[p * nq + q];
      }
    }
    // Indicator × numeric: scatter sw·x_q by level.
    for (const g of this.groups) {
      const table = new Float64Array(g.size);
      for (let q = 0; q < nq; q++) {
        const x = this.numeric[q];
        table.fill(0);
        for (let i = 0; i < n; i++) if (g.codes[i] >= 0) table[g.codes[i]] += sw[i] * x[i];
        const k = this.numericIdx[q];
        for (let s = 0; s < g.columns.length; s++) {
          const j = g.columns[s];
          const v = g.levels[s] < g.size ? table[g.levels[s]] : 0;
          G[j * d + k] = G[k * d + j] = v;
        }
      }
    }
    // Indicator × indicator: diagonal within a group, a cross table between groups.
    this.groups.forEach((g, gi) => {
      const count = new Float64Array(g.size);
      for (let i = 0; i < n; i++) if (g.codes[i] >= 0) count[g.codes[i]] += sw[i];
      for (let s = 0; s < g.columns.length; s++) {
        const j = g.columns[s];
        G[j * d + j] = g.levels[s] < g.size ? count[g.levels[s]] : 0;
      }
      for (let hi = gi + 1; hi < this.groups.length; hi++) {
        const h = this.groups[hi];
        const cross = new Float64Array(g.size * h.size);
        for (let i = 0; i < n; i++) {
          const a = g.codes[i];
          const c = h.codes[i];
          if (a >= 0 && c >= 0) cross[a * h.size + c] += sw[i];
        }
        for (let s = 0; s < g.columns.length; s++) {
          for (let t = 0; t < h.columns.length; t++) {
            const la = g.levels[s];
            const lc = h.levels[t];
            const v = la < g.size && lc < h.size ? cross[la * h.size + lc] : 0;
            const j = g.columns[s];
            const k = h.columns[t];
            G[j * d + k] = G[k * d + j] = v;
          }
        }
      }
    });
    for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) G[j * d + k] -= sumW * m[j] * m[k];
    return { G, b };
  }
}
