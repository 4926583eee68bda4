import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { writeFileAtomic } from "../ml/model-file.js";
import type { Db } from "./database.js";
import { ArtifactError } from "./errors.js";

/** Where a stored artifact lives, and what identifies its bytes. */
export interface StoredArtifact {
  /** `file:<key>` (local store) or `db:<key>` (database store). */
  uri: string;
  /** SHA-256 of the bytes, hex. */
  checksum: string;
  sizeBytes: number;
}

/**
 * Model files and their metadata. Keys are relative paths like `models/admissions/v3.model`;
 * a key that would leave the store (absolute, `..`, NUL) is refused. Reads verify the checksum.
 */
export interface ArtifactStore {
  put(key: string, bytes: Uint8Array): Promise<StoredArtifact>;
  /** The bytes of `uri`; with `checksum`, refused unless they match it. */
  get(uri: string, checksum?: string): Promise<Uint8Array>;
  delete(uri: string): Promise<void>;
  /** A path on this machine for a `file:` URI (null for other stores). */
  localPath(uri: string): string | null;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Checks a user- or record-supplied key and returns it normalized with forward slashes. */
export function checkKey(key: string): string {
  const parts = key.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (
    key.length === 0 ||
    key.length > 1024 ||
    key.includes("\0") ||
    isAbsolute(key) ||
    /^[a-zA-Z]:/.test(key) ||
    parts.length === 0 ||
    parts.some((p) => p === "..")
  ) {
    throw new ArtifactError(`artifact key ${JSON.stringify(key)} is not a relative path inside the store`);
  }
  return parts.join("/");
}

function verify(uri: string, bytes: Uint8Array, checksum?: string): Uint8Array {
  if (checksum !== undefined && sha256(bytes) !== checksum) {
    throw new ArtifactError(`${uri}: checksum mismatch (the artifact was changed or corrupted)`);
  }
  return bytes;
}

/** Artifacts as files under a root folder, written atomically. */
export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(uri: string): string {
    if (!uri.startsWith("file:")) throw new ArtifactError(`${uri}: not an artifact of the local store`);
    const path = join(this.root, checkKey(uri.slice(5)));
    const rel = relative(this.root, path);
    if (rel.startsWith("..") || isAbsolute(rel) || rel.split(sep).includes("..")) {
      throw new ArtifactError(`${uri}: outside the artifact store`);
    }
    return path;
  }

  localPath(uri: string): string {
    return this.pathOf(uri);
  }

  async put(key: string, bytes: Uint8Array): Promise<StoredArtifact> {
    const uri = `file:${checkKey(key)}`;
    await writeFileAtomic(this.pathOf(uri), bytes);
    return { uri, checksum: sha256(bytes), sizeBytes: bytes.length };
  }

  async get(uri: string, checksum?: string): Promise<Uint8Array> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(uri));
    } catch (e) {
      if (e instanceof ArtifactError) throw e;
      throw new ArtifactError(`${uri}: cannot read the artifact (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    return verify(uri, bytes, checksum);
  }

  async delete(uri: string): Promise<void> {
    await rm(this.pathOf(uri), { force: true });
  }
}

/** Artifacts as rows of the metadata database, so machines sharing one PostgreSQL need no shared disk. */
export class DatabaseArtifactStore implements ArtifactStore {
  constructor(private readonly db: Db) {}

  localPath(): null {
    return null;
  }

  async put(key: string, bytes: Uint8Array): Promise<StoredArtifact> {
    const k = checkKey(key);
    const checksum = sha256(bytes);
    await this.db
      .insertInto("artifact_blob")
      .values({ key: k, bytes, checksum })
      .onConflict((oc) => oc.column("key").doUpdateSet({ bytes, checksum }))
      .execute();
    return { uri: `db:${k}`, checksum, sizeBytes: bytes.length };
  }

  private keyOf(uri: string): string {
    if (!uri.startsWith("db:")) throw new ArtifactError(`${uri}: not an artifact of the database store`);
    return checkKey(uri.slice(3));
  }

  async get(uri: string, checksum?: string): Promise<Uint8Array> {
    const row = await this.db
      .selectFrom("artifact_blob")
      .select(["bytes"])
      .where("key", "=", this.keyOf(uri))
      .executeTakeFirst();
    if (!row) throw new ArtifactError(`${uri}: no such artifact`);
    return verify(uri, new Uint8Array(row.bytes), checksum);
  }

  async delete(uri: string): Promise<void> {
    await this.db.deleteFrom("artifact_blob").where("key", "=", this.keyOf(uri)).execute();
  }
}
