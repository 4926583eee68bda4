import { instantiateKernels, type KernelExports, kernelModule } from "../../kernels/loader.js";

const PAGE = 65_536;

/**
 * One fit's own WebAssembly memory (shared, so worker threads can run kernels on it) and
 * kernel instance. Allocation is a bump pointer: a fit allocates its buffers up front and
 * drops the whole arena at the end. Typed-array views of a shared memory stay valid when
 * it grows, so callers may keep them.
 */
export class Arena {
  readonly memory: WebAssembly.Memory;
  readonly k: KernelExports;
  private top = PAGE; // the first page stays free for the kernels' own use

  private limit = Number.POSITIVE_INFINITY;

  constructor(initialBytes = 4 * PAGE) {
    this.memory = new WebAssembly.Memory({
      initial: Math.ceil(initialBytes / PAGE) + 1,
      maximum: 65_536,
      shared: true,
    });
    this.k = instantiateKernels(kernelModule(), this.memory);
  }

  /** An arena over bytes [start, end) of another thread's arena memory (it never grows). */
  static region(memory: WebAssembly.Memory, module: WebAssembly.Module, start: number, end: number): Arena {
    const a = Object.create(Arena.prototype) as Arena;
    Object.assign(a, { memory, k: instantiateKernels(module, memory), top: start, limit: end, frozen: true });
    return a;
  }

  private frozen = false;

  /** The next free byte. */
  get used(): number {
    return this.top;
  }

  alloc(bytes: number): number {
    const ptr = (this.top + 15) & ~15;
    const end = ptr + bytes;
    if (end > this.limit) throw new Error("trainyard: tree arena region exhausted");
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // Other threads see a grown shared memory only after an interrupt; never grow under them.
      if (this.frozen)
        throw new Error("trainyard: tree arena exhausted (reserve more before starting threads)");
      this.memory.grow(Math.ceil((end - have) / PAGE));
    }
    this.top = end;
    return ptr;
  }

  /** Grows the memory now so that `bytes` more (16-byte aligned pieces included) fit without growing. */
  reserve(bytes: number): void {
    const end = this.top + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
  }

  /** From now on the memory never grows (worker threads run kernels on it). */
  freeze(): void {
    this.frozen = true;
  }

  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  u32(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }
}
