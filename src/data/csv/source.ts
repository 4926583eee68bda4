// Byte sources the reader pulls chunks from: a file (read with a reusable buffer, so a file
// larger than memory is never loaded whole) or bytes already in memory.

import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { DataLoadError } from "../errors.js";

export interface ByteSource {
  /** Total bytes, for estimates. */
  readonly size: number;
  /** Reads up to `n` bytes into `dst` at `offset`; 0 at the end. */
  read(dst: Uint8Array, offset: number, n: number): number;
  close(): void;
}

export class FileSource implements ByteSource {
  readonly size: number;
  private readonly fd: number;

  constructor(readonly path: string) {
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DataLoadError(code === "ENOENT" ? "no such file" : `cannot read (${code ?? String(err)})`, {
        file: path,
      });
    }
    if (isDir) throw new DataLoadError("is a directory, not a file", { file: path });
    try {
      this.fd = openSync(path, "r");
    } catch (err) {
      throw new DataLoadError(`cannot open (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
        file: path,
      });
    }
    this.size = fstatSync(this.fd).size;
  }

  read(dst: Uint8Array, offset: number, n: number): number {
    return readSync(this.fd, dst, offset, n, null);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export class BytesSource implements ByteSource {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.length;
  }

  read(dst: Uint8Array, offset: number, n: number): number {
    const k = Math.min(n, this.bytes.length - this.pos);
    dst.set(this.bytes.subarray(this.pos, this.pos + k), offset);
    this.pos += k;
    return k;
  }

  close(): void {}
}
