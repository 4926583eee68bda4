import { instantiateKernels, type KernelExports, kernelModule } from "../../kernels/loader.js";
import type { MatrixOps } from "./matrix.js";

const PAGE = 65_536;
/** 1 GiB: a shared memory reserves its maximum up front, so keep it well below 4 GiB. */
const MAX_PAGES = 16_384;

/**
 * The dense product on the WebAssembly SIMD kernel (src/kernels/assembly/matmul.ts), over a
 * memory owned by one network: its weights, gradients and batch buffers live there for the
 * network's whole life, so no call copies anything. The memory is shared, so growing it never
 * detaches the views handed out before.
 */
export class WasmOps implements MatrixOps {
  readonly name = "webassembly";
  private readonly memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
  private readonly k: KernelExports = instantiateKernels(kernelModule(), this.memory);
  /**
   * The first page holds the module's static data (from byte 1024: the lookup tables of
   * Math.exp/Math.tanh), which instantiation writes; buffers start after it.
   */
  private top = PAGE;

  alloc(length: number): Float64Array {
    const ptr = this.reserve(length * 8); // before reading `buffer`: reserving may grow it
    return new Float64Array(this.memory.buffer, ptr, length);
  }

  allocIndex(length: number): Int32Array {
    const ptr = this.reserve(length * 4);
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  private reserve(bytes: number): number {
    const ptr = (this.top + 63) & ~63;
    const end = ptr + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > MAX_PAGES * PAGE) {
      throw new RangeError(`network needs more than ${(MAX_PAGES * PAGE) / 2 ** 30} GiB of buffers`);
    }
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return ptr;
  }

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
  ): void {
    this.k.gemm(m, n, k, a.byteOffset, sam, sak, b.byteOffset, ldb, c.byteOffset, ldc, accumulate ? 1 : 0);
  }

  gatherRows(
    dst: Float64Array,
    src: Float64Array,
    rows: Int32Array,
    from: number,
    n: number,
    d: number,
  ): void {
    this.k.gatherRows(dst.byteOffset, src.byteOffset, rows.byteOffset + from * 4, n, d);
  }

  fillRows(y: Float64Array, b: Float64Array, n: number, k: number): void {
    this.k.fillRows(y.byteOffset, b.byteOffset, n, k);
  }

  colSums(d: Float64Array, n: number, k: number, out: Float64Array): void {
    this.k.colSums(d.byteOffset, n, k, out.byteOffset);
  }

  activate(kind: number, x: Float64Array, len: number): void {
    this.k.activate(kind, x.byteOffset, len);
  }

  activateBackward(kind: number, d: Float64Array, y: Float64Array, len: number): void {
    this.k.activateBackward(kind, d.byteOffset, y.byteOffset, len);
  }
}
