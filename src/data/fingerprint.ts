import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { DataLoadError } from "./errors.js";

/** SHA-256 of a file's bytes, hex, streamed (any size). */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (e) {
    throw new DataLoadError(`cannot read (${(e as NodeJS.ErrnoException).code ?? e})`, { file: path });
  }
  return hash.digest("hex");
}
