// Dictionary encoding straight from bytes: a repeated category is found by hashing and
// comparing its bytes, so only the first occurrence of each level becomes a JS string.

const EMPTY = 0;

export class ByteInterner {
  readonly levels: string[] = [];
  private slots: Int32Array = new Int32Array(1024); // level id + 1, or EMPTY
  private hashes: Int32Array = new Int32Array(256);
  private offsets: Int32Array = new Int32Array(257);
  private arena: Uint8Array = new Uint8Array(4096);
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  /** Bytes held (for the memory budget). */
  get byteSize(): number {
    return this.slots.byteLength + this.hashes.byteLength + this.offsets.byteLength + this.arena.byteLength;
  }

  /** The level id of the text in `b[s, e)`, adding it if new; -2 when the bytes are not valid UTF-8. */
  intern(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const mask = this.slots.length - 1;
    let slot = h & mask;
    const n = e - s;
    for (;;) {
      const id1 = this.slots[slot];
      if (id1 === EMPTY) break;
      const id = id1 - 1;
      if (this.hashes[id] === h) {
        const o = this.offsets[id];
        if (this.offsets[id + 1] - o === n) {
          let k = 0;
          const a = this.arena;
          while (k < n && a[o + k] === b[s + k]) k++;
          if (k === n) return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    let text: string;
    try {
      text = this.decoder.decode(b.subarray(s, e));
    } catch {
      return -2;
    }
    const id = this.levels.length;
    this.levels.push(text);
    this.store(id, h, b, s, e);
    this.slots[slot] = id + 1;
    if (this.levels.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  private store(id: number, h: number, b: Uint8Array, s: number, e: number): void {
    if (id + 2 > this.offsets.length) {
      // Both grow to one length: a shorter `hashes` silently dropped writes past its end.
      const n = this.offsets.length * 2;
      this.offsets = grow32(this.offsets, n);
      this.hashes = grow32(this.hashes, n);
    }
    this.hashes[id] = h;
    const o = this.offsets[id];
    const need = o + (e - s);
    if (need > this.arena.length) {
      const a = new Uint8Array(Math.max(need, this.arena.length * 2));
      a.set(this.arena.subarray(0, o));
      this.arena = a;
    }
    this.arena.set(b.subarray(s, e), o);
    this.offsets[id + 1] = need;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.levels.length; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}

function grow32(a: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  out.set(a);
  return out;
}
