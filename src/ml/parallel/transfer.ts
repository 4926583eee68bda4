/** The (non-shared) ArrayBuffers of the typed arrays inside `value`, each once, to transfer them. */
export function transferables(value: unknown, depth = 0, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (depth > 8 || value === null || typeof value !== "object") return [...found];
  if (ArrayBuffer.isView(value)) {
    const b = value.buffer;
    // only whole buffers: transferring a view's buffer would detach its neighbours
    if (b instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === b.byteLength) found.add(b);
    return [...found];
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) transferables(v, depth + 1, found);
  return [...found];
}

/** A copy of `a` in a SharedArrayBuffer (or `a` itself when it already is one), for workers to read without copying. */
export function toShared<T extends Float64Array | Int32Array | Uint8Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}
