import { createHash } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { ModelFormatError } from "./errors.js";
import type { Json, JsonObject, ModelParts, SectionArray } from "./estimator.js";
import type { FeatureSpec } from "./features.js";

/**
 * The model file: data, never code (docs/model-format.md).
 *
 *   magic "TYMODEL1" (8 bytes) · header length H (u32 LE) · reserved (u32, 0)
 *   · header: H bytes of UTF-8 JSON · zero padding to a multiple of 8
 *   · sections: the typed arrays, each at an 8-byte-aligned offset of this area, little-endian
 *   · SHA-256 (32 bytes) of everything before it
 */
export const MAGIC = "TYMODEL1";
export const FORMAT_VERSION = 1;
const PREFIX = 16;
const DIGEST = 32;
/** Refuse headers larger than this before parsing them. */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;
const MAX_DEPTH = 32;

const DTYPES = {
  f64: Float64Array,
  f32: Float32Array,
  i32: Int32Array,
  u32: Uint32Array,
  i16: Int16Array,
  u16: Uint16Array,
  i8: Int8Array,
  u8: Uint8Array,
} as const;
type DType = keyof typeof DTYPES;

interface SectionRef {
  dtype: DType;
  offset: number;
  length: number;
}

/** What the header holds besides the model: provenance and anything the caller records. */
export interface ModelFileHeader {
  format: "trainyard-model";
  formatVersion: number;
  libraryVersion: string;
  createdAt: string;
  /** The model's tree of parts, with each array replaced by its section reference. */
  model: JsonObject;
  /** Metrics, training-data fingerprint, preprocessing notes: free-form, recorded by the caller. */
  metadata: JsonObject;
}

export interface DecodedModel {
  readonly parts: ModelParts;
  readonly header: ModelFileHeader;
  /** The trailing SHA-256 (of everything before it), hex. */
  readonly checksum: string;
}

function dtypeOf(a: SectionArray): DType {
  for (const [name, ctor] of Object.entries(DTYPES)) if (a instanceof ctor) return name as DType;
  throw new ModelFormatError(`unsupported array type ${Object.prototype.toString.call(a)}`);
}

const align8 = (n: number) => (n + 7) & ~7;

/** Serializes model parts (and metadata) into the bytes of a model file. */
export function encodeModel(
  parts: ModelParts,
  metadata: JsonObject = {},
  libraryVersion = "0.0.0",
): Uint8Array {
  const arrays: SectionArray[] = [];
  let dataBytes = 0;
  const describe = (p: ModelParts): JsonObject => {
    const refs: JsonObject = {};
    for (const [name, a] of Object.entries(p.arrays)) {
      const ref: SectionRef = { dtype: dtypeOf(a), offset: dataBytes, length: a.length };
      refs[name] = ref as unknown as Json;
      arrays.push(a);
      dataBytes = align8(dataBytes + a.byteLength);
    }
    const children: JsonObject = {};
    for (const [name, c] of Object.entries(p.children ?? {})) children[name] = describe(c);
    return {
      kind: p.kind,
      params: p.params,
      features: p.features as unknown as Json,
      state: p.state,
      arrays: refs,
      children,
    };
  };
  const header: ModelFileHeader = {
    format: "trainyard-model",
    formatVersion: FORMAT_VERSION,
    libraryVersion,
    createdAt: new Date().toISOString(),
    model: describe(parts),
    metadata,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const dataStart = align8(PREFIX + headerBytes.length);
  const total = dataStart + dataBytes + DIGEST;
  const out = new Uint8Array(total);
  out.set(Buffer.from(MAGIC, "ascii"), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, PREFIX);
  let offset = dataStart;
  for (const a of arrays) {
    // Typed arrays are little-endian on every platform Node supports.
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset = align8(offset + a.byteLength);
  }
  out.set(
    createHash("sha256")
      .update(out.subarray(0, total - DIGEST))
      .digest(),
    total - DIGEST,
  );
  return out;
}

/** Parses and checks the bytes of a model file; executes nothing. `file` only labels errors. */
export function decodeModel(bytes: Uint8Array, file?: string): DecodedModel {
  const fail = (msg: string): never => {
    throw new ModelFormatError(msg, file);
  };
  if (bytes.length < PREFIX + DIGEST) fail(`not a trainyard model file (only ${bytes.length} bytes)`);
  if (Buffer.from(bytes.subarray(0, 8)).toString("latin1") !== MAGIC) {
    fail("not a trainyard model file (bad magic bytes)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(8, true);
  if (headerLen > MAX_HEADER_BYTES || PREFIX + headerLen > bytes.length - DIGEST) {
    fail(`corrupt or truncated: header length ${headerLen} does not fit in ${bytes.length} bytes`);
  }
  const digest = createHash("sha256")
    .update(bytes.subarray(0, bytes.length - DIGEST))
    .digest();
  if (!digest.equals(Buffer.from(bytes.subarray(bytes.length - DIGEST)))) {
    fail("checksum mismatch: the file is corrupt or truncated");
  }
  let header: ModelFileHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(PREFIX, PREFIX + headerLen)).toString("utf8"));
  } catch {
    return fail("corrupt header: not valid JSON");
  }
  if (!isObject(header) || header.format !== "trainyard-model")
    fail("header is not a trainyard model header");
  if (header.formatVersion !== FORMAT_VERSION) {
    fail(
      `unsupported format version ${String(header.formatVersion)} (this trainyard reads ${FORMAT_VERSION})`,
    );
  }
  if (!isObject(header.metadata)) fail("header.metadata: expected an object");
  for (const key of ["libraryVersion", "createdAt"] as const) {
    if (typeof header[key] !== "string") fail(`header.${key}: expected a string`);
  }
  const dataStart = align8(PREFIX + headerLen);
  const dataLen = bytes.length - DIGEST - dataStart;
  if (dataLen < 0) fail("corrupt or truncated: no room for the sections");
  // Copy the data area once into an 8-aligned buffer so every section is a zero-copy view.
  const data = new Uint8Array(new ArrayBuffer(align8(Math.max(dataLen, 0))));
  data.set(bytes.subarray(dataStart, dataStart + dataLen));
  const parts = readParts(header.model, data.buffer, dataLen, "model", 0, fail);
  return { parts, header, checksum: digest.toString("hex") };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function readParts(
  node: unknown,
  buffer: ArrayBuffer,
  dataLen: number,
  path: string,
  depth: number,
  fail: (msg: string) => never,
): ModelParts {
  if (depth > MAX_DEPTH) fail(`${path}: nested too deeply`);
  if (!isObject(node)) return fail(`${path}: expected an object`);
  const { kind, params, features, state, arrays, children } = node;
  if (typeof kind !== "string") fail(`${path}.kind: expected a string`);
  if (!isObject(params)) fail(`${path}.params: expected an object`);
  if (!isObject(state)) fail(`${path}.state: expected an object`);
  if (!Array.isArray(features)) fail(`${path}.features: expected an array`);
  if (!isObject(arrays)) fail(`${path}.arrays: expected an object`);
  const names = new Set<string>();
  for (const [i, f] of (features as unknown[]).entries()) {
    checkFeatureSpec(f, `${path}.features[${i}]`, fail);
    const name = (f as { name: string }).name;
    if (names.has(name)) fail(`${path}.features[${i}]: duplicate feature name "${name}"`);
    names.add(name);
  }
  const outArrays: Record<string, SectionArray> = {};
  for (const [name, ref] of Object.entries(arrays as Record<string, unknown>)) {
    const where = `${path}.arrays.${name}`;
    // Assigning "__proto__" would replace the object's prototype instead of adding an entry.
    if (name === "__proto__") fail(`${where}: reserved name`);
    if (!isObject(ref)) fail(`${where}: expected a section reference`);
    const { dtype, offset, length } = ref as Record<string, unknown>;
    if (typeof dtype !== "string" || !Object.hasOwn(DTYPES, dtype)) {
      fail(`${where}.dtype: expected one of ${Object.keys(DTYPES).join(", ")}`);
    }
    const ctor = DTYPES[dtype as DType];
    if (!Number.isSafeInteger(offset) || (offset as number) < 0 || (offset as number) % 8 !== 0) {
      fail(`${where}.offset: expected an 8-aligned offset ≥ 0`);
    }
    if (!Number.isSafeInteger(length) || (length as number) < 0)
      fail(`${where}.length: expected a count ≥ 0`);
    const end = (offset as number) + (length as number) * ctor.BYTES_PER_ELEMENT;
    if (end > dataLen) fail(`${where}: section ends at byte ${end}, past the end of the data (${dataLen})`);
    outArrays[name] = new ctor(buffer, offset as number, length as number);
  }
  const outChildren: Record<string, ModelParts> = {};
  if (children !== undefined) {
    if (!isObject(children)) fail(`${path}.children: expected an object`);
    for (const [name, c] of Object.entries(children as Record<string, unknown>)) {
      if (name === "__proto__") fail(`${path}.children.${name}: reserved name`);
      outChildren[name] = readParts(c, buffer, dataLen, `${path}.children.${name}`, depth + 1, fail);
    }
  }
  return {
    kind: kind as string,
    params: params as JsonObject,
    features: features as FeatureSpec[],
    state: state as JsonObject,
    arrays: outArrays,
    children: outChildren,
  };
}

function checkFeatureSpec(f: unknown, where: string, fail: (msg: string) => never): void {
  if (!isObject(f) || typeof f.name !== "string") fail(`${where}: expected {kind, name}`);
  const spec = f as Record<string, unknown>;
  if (spec.kind === "categorical") {
    if (!Array.isArray(spec.levels) || !spec.levels.every((l) => typeof l === "string")) {
      fail(`${where}.levels: expected an array of strings`);
    }
  } else if (spec.kind !== "numeric" && spec.kind !== "indicator") {
    fail(`${where}.kind: expected numeric, indicator or categorical`);
  }
}

/** Writes bytes atomically: a temp file beside the target, fsync, rename. Creates missing folders. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Reads and decodes a model file; a missing or unreadable file is a ModelFormatError naming it. */
export async function readModelFile(path: string): Promise<DecodedModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(e);
    throw new ModelFormatError(why, path);
  }
  return decodeModel(bytes, path);
}
