import { readFileSync } from "node:fs";

/** Exports of build/kernels.wasm; all pointers are byte offsets into `memory`. */
export interface KernelExports {
  columnStats(ptr: number, n: number, out: number): void;
}

export interface Kernels {
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
}

const PAGE = 65_536;
let cached: Kernels | undefined;

/**
 * Instantiates the WebAssembly kernels once per thread. The memory is shared so that
 * worker threads can later run the same kernels over the same buffers.
 */
export function kernels(): Kernels {
  if (cached) return cached;
  const url = new URL("../../build/kernels.wasm", import.meta.url);
  let bytes: Buffer;
  try {
    bytes = readFileSync(url);
  } catch {
    throw new Error(
      `trainyard: WebAssembly kernels not found at ${url.pathname}; run \`npm run build:kernels\``,
    );
  }
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65_536, shared: true });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  cached = { exports: instance.exports as unknown as KernelExports, memory };
  return cached;
}

/**
 * A bump allocator over the kernels' memory for one call's scratch space: allocate,
 * run the kernel, read results, then `reset`. Grows the memory when needed.
 */
export class Scratch {
  private top = 0;
  constructor(private readonly k: Kernels = kernels()) {}

  alloc(bytes: number): number {
    const ptr = (this.top + 15) & ~15;
    const end = ptr + bytes;
    const have = this.k.memory.buffer.byteLength;
    if (end > have) this.k.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return ptr;
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.k.memory.buffer, ptr, length);
  }

  reset(): void {
    this.top = 0;
  }
}
