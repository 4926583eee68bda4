import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelFormatError } from "../../src/ml/errors.js";
import type { JsonObject, ModelParts, SectionArray } from "../../src/ml/estimator.js";
import {
  decodeModel,
  encodeModel,
  FORMAT_VERSION,
  MAGIC,
  readModelFile,
  writeFileAtomic,
} from "../../src/ml/model-file.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest();

/** The same bytes with the trailing checksum recomputed, as a deliberate attacker would. */
function resealed(b: Uint8Array): Uint8Array {
  const out = Uint8Array.from(b);
  out.set(sha(out.subarray(0, out.length - 32)), out.length - 32);
  return out;
}

const headerOf = (b: Uint8Array) => {
  const len = new DataView(b.buffer, b.byteOffset).getUint32(8, true);
  return JSON.parse(Buffer.from(b.subarray(16, 16 + len)).toString("utf8"));
};

/** A file whose header JSON is `header` (text, so that it may be anything) and data area `data`. */
function withHeader(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const hb = Buffer.from(header, "utf8");
  const start = (16 + hb.length + 7) & ~7;
  const out = new Uint8Array(start + data.length + 32);
  out.set(Buffer.from(MAGIC, "ascii"));
  new DataView(out.buffer).setUint32(8, hb.length, true);
  out.set(hb, 16);
  out.set(data, start);
  return resealed(out);
}

/** Re-encodes a valid file with its header edited (the data area kept). */
function editHeader(b: Uint8Array, edit: (h: Record<string, unknown>) => void, raw?: (s: string) => string) {
  const h = headerOf(b);
  edit(h);
  const len = new DataView(b.buffer, b.byteOffset).getUint32(8, true);
  const data = b.subarray((16 + len + 7) & ~7, b.length - 32);
  const text = JSON.stringify(h);
  return withHeader(raw ? raw(text) : text, data);
}

const expectRefused = (b: Uint8Array, message?: RegExp) => {
  let caught: unknown;
  try {
    decodeModel(b, "m.tymodel");
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ModelFormatError);
  expect((caught as Error).message).toMatch(/^m\.tymodel: /);
  if (message) expect((caught as Error).message).toMatch(message);
};

const sample: ModelParts = {
  kind: "pipeline",
  params: { steps: ["scale", "model"] },
  features: [
    { kind: "numeric", name: "x" },
    { kind: "categorical", name: "c", levels: ["a", "b"] },
    { kind: "indicator", name: "c_a" },
  ],
  state: { nested: { list: [1, "two", null, true] }, n: 3 },
  arrays: {
    w: Float64Array.of(1.5, -2, Number.NaN, Number.POSITIVE_INFINITY),
    idx: Int32Array.of(-1, 2 ** 31 - 1),
    bits: Uint8Array.of(1, 2, 3),
    empty: new Float32Array(0),
  },
  children: {
    model: {
      kind: "leaf",
      params: {},
      features: [],
      state: {},
      arrays: { v: Uint16Array.of(65535, 0, 7), s: Int8Array.of(-128, 127), u: Uint32Array.of(2 ** 32 - 1) },
      children: {},
    },
  },
};

const sameArray = (a: SectionArray, b: SectionArray) => {
  expect(b.constructor).toBe(a.constructor);
  expect(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    ),
  ).toBe(true);
};

function expectSameParts(a: ModelParts, b: ModelParts): void {
  expect(b.kind).toBe(a.kind);
  expect(b.params).toEqual(a.params);
  expect(b.state).toEqual(a.state);
  expect(b.features).toEqual(a.features);
  expect(Object.keys(b.arrays)).toEqual(Object.keys(a.arrays));
  for (const k of Object.keys(a.arrays)) sameArray(a.arrays[k], b.arrays[k]);
  expect(Object.keys(b.children ?? {})).toEqual(Object.keys(a.children ?? {}));
  for (const k of Object.keys(a.children ?? {}))
    expectSameParts(a.children?.[k] as ModelParts, b.children?.[k] as ModelParts);
}

describe("model file: encode/decode", () => {
  it("round-trips parts, nested children, every array type and the metadata", () => {
    const bytes = encodeModel(sample, { accuracy: 0.9, fingerprint: "abc" }, "1.2.3");
    const d = decodeModel(bytes);
    expectSameParts(sample, d.parts);
    expect(d.header.metadata).toEqual({ accuracy: 0.9, fingerprint: "abc" });
    expect(d.header.libraryVersion).toBe("1.2.3");
    expect(d.header.formatVersion).toBe(FORMAT_VERSION);
    expect(d.checksum).toBe(sha(bytes.subarray(0, bytes.length - 32)).toString("hex"));
    expect(Buffer.from(bytes.subarray(0, 8)).toString("latin1")).toBe(MAGIC);
    // Every section is a view at an 8-aligned place of the data area (zero-copy, aligned).
    for (const a of Object.values(d.parts.arrays)) expect(a.byteOffset % 8).toBe(0);
  });

  it("round-trips arbitrary arrays and JSON (property)", () => {
    const arrays = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== "__proto__"),
      fc.oneof(
        fc.float64Array({ maxLength: 20 }),
        fc.float32Array({ maxLength: 20 }),
        fc.int32Array({ maxLength: 20 }),
        fc.uint32Array({ maxLength: 20 }),
        fc.int16Array({ maxLength: 20 }),
        fc.uint16Array({ maxLength: 20 }),
        fc.int8Array({ maxLength: 20 }),
        fc.uint8Array({ maxLength: 20 }),
      ),
      { maxKeys: 6 },
    );
    const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)));
    fc.assert(
      fc.property(arrays, arrays, json, (a, b, j) => {
        const parts: ModelParts = {
          kind: "k",
          params: {},
          features: [],
          state: { j } as JsonObject,
          arrays: a,
          children: { child: { kind: "c", params: {}, features: [], state: {}, arrays: b, children: {} } },
        };
        expectSameParts(parts, decodeModel(encodeModel(parts)).parts);
      }),
      { numRuns: 100 },
    );
  });

  it("refuses arrays it cannot store", () => {
    const bad = { ...sample, arrays: { x: new BigInt64Array(2) as unknown as Float64Array } };
    expect(() => encodeModel(bad)).toThrow(ModelFormatError);
  });
});

describe("model file: corrupt or hostile bytes are refused with ModelFormatError naming the file", () => {
  const bytes = encodeModel(sample);

  it("too short, bad magic, any truncation, any flipped bit", () => {
    expectRefused(new Uint8Array(0), /only 0 bytes/);
    expectRefused(bytes.subarray(0, 47));
    const magic = Uint8Array.from(bytes);
    magic[0] = 0x58;
    expectRefused(resealed(magic), /magic/);
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), (n) => expectRefused(bytes.subarray(0, n))),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.nat(7), (pos, bit) => {
        const b = Uint8Array.from(bytes);
        b[pos] ^= 1 << bit;
        expectRefused(b);
      }),
      { numRuns: 200 },
    );
  });

  it("a header length beyond the file or above the limit", () => {
    for (const len of [0xffffffff, 64 * 1024 * 1024 + 1, bytes.length]) {
      const b = Uint8Array.from(bytes);
      new DataView(b.buffer).setUint32(8, len, true);
      expectRefused(resealed(b), /header length/);
    }
  });

  it("a header that is not JSON, not an object, or of another format or version", () => {
    expectRefused(withHeader("{not json"), /not valid JSON/);
    expectRefused(withHeader("[1,2]"), /not a trainyard model header/);
    expectRefused(withHeader("null"), /not a trainyard model header/);
    expectRefused(
      editHeader(bytes, (h) => {
        h.format = "pickle";
      }),
      /not a trainyard model header/,
    );
    expectRefused(
      editHeader(bytes, (h) => {
        h.formatVersion = 99;
      }),
      /unsupported format version 99/,
    );
  });

  it("bad section references: type, offset, length, past the end", () => {
    const edits: [(a: Record<string, Record<string, unknown>>) => void, RegExp][] = [
      [
        (a) => {
          a.w.dtype = "f128";
        },
        /dtype/,
      ],
      [
        (a) => {
          a.w.dtype = "constructor";
        },
        /dtype/,
      ],
      [
        (a) => {
          a.w.dtype = "__proto__";
        },
        /dtype/,
      ],
      [
        (a) => {
          a.w.offset = 3;
        },
        /offset/,
      ],
      [
        (a) => {
          a.w.offset = -8;
        },
        /offset/,
      ],
      [
        (a) => {
          a.w.offset = 2 ** 60;
        },
        /offset/,
      ],
      [
        (a) => {
          a.w.offset = "0";
        },
        /offset/,
      ],
      [
        (a) => {
          a.w.length = -1;
        },
        /length/,
      ],
      [
        (a) => {
          a.w.length = 1.5;
        },
        /length/,
      ],
      [
        (a) => {
          a.w.length = 2 ** 40;
        },
        /past the end/,
      ],
      [
        (a) => {
          a.w.length = 1e308;
        },
        /length/,
      ],
      [
        (a) => {
          a.w.offset = 1024;
        },
        /past the end/,
      ],
      [
        (a) => {
          a.w = 5 as unknown as Record<string, unknown>;
        },
        /section reference/,
      ],
    ];
    for (const [edit, msg] of edits) {
      expectRefused(
        editHeader(bytes, (h) =>
          edit((h.model as { arrays: Record<string, Record<string, unknown>> }).arrays),
        ),
        msg,
      );
    }
  });

  it("bad parts: kind, params, state, features, children, nesting depth", () => {
    const model = (edit: (m: Record<string, unknown>) => void) =>
      editHeader(bytes, (h) => edit(h.model as Record<string, unknown>));
    expectRefused(
      model((m) => {
        m.kind = 7;
      }),
      /kind/,
    );
    expectRefused(
      model((m) => {
        m.params = [];
      }),
      /params/,
    );
    expectRefused(
      model((m) => {
        m.state = null;
      }),
      /state/,
    );
    expectRefused(
      model((m) => {
        m.features = {};
      }),
      /features/,
    );
    expectRefused(
      model((m) => {
        m.features = [{ kind: "numeric" }];
      }),
      /features\[0\]/,
    );
    expectRefused(
      model((m) => {
        m.features = [{ kind: "text", name: "t" }];
      }),
      /kind/,
    );
    expectRefused(
      model((m) => {
        m.features = [{ kind: "categorical", name: "c", levels: [1, 2] }];
      }),
      /levels/,
    );
    expectRefused(
      model((m) => {
        m.children = [1];
      }),
      /children/,
    );
    expectRefused(
      editHeader(bytes, (h) => {
        h.model = "x";
      }),
      /expected an object/,
    );
    // Children nested deeper than any real pipeline.
    let deep: Record<string, unknown> = { kind: "k", params: {}, features: [], state: {}, arrays: {} };
    for (let i = 0; i < 40; i++)
      deep = { kind: "k", params: {}, features: [], state: {}, arrays: {}, children: { c: deep } };
    expectRefused(
      editHeader(bytes, (h) => {
        h.model = deep;
      }),
      /nested too deeply/,
    );
  });

  it("duplicate feature names (predict could not align its input)", () => {
    expectRefused(
      editHeader(bytes, (h) => {
        (h.model as { features: unknown[] }).features = [
          { kind: "numeric", name: "x" },
          { kind: "numeric", name: "x" },
        ];
      }),
      /duplicate feature name "x"/,
    );
  });

  it("a section or child named __proto__ (it would replace the object's prototype, not add an entry)", () => {
    expectRefused(
      editHeader(
        bytes,
        () => {},
        (s) => s.replace('"arrays":{"w":', '"arrays":{"__proto__":'),
      ),
      /__proto__/,
    );
    expectRefused(
      editHeader(
        bytes,
        () => {},
        (s) => s.replace('"children":{"model":', '"children":{"__proto__":'),
      ),
      /__proto__/,
    );
  });

  it("metadata, library version and date of the wrong type", () => {
    expectRefused(
      editHeader(bytes, (h) => {
        h.metadata = 5;
      }),
      /metadata/,
    );
    expectRefused(
      editHeader(bytes, (h) => {
        h.libraryVersion = null;
      }),
      /libraryVersion/,
    );
    expectRefused(
      editHeader(bytes, (h) => {
        h.createdAt = {};
      }),
      /createdAt/,
    );
  });
});

describe("model file: on disk", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "trainyard-model-file-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes atomically into missing folders and leaves no temp file; reads back the same", async () => {
    const path = join(dir, "a", "b", "m.tymodel");
    const bytes = encodeModel(sample);
    await writeFileAtomic(path, bytes);
    await writeFileAtomic(path, bytes); // overwriting is fine
    expect(await readdir(join(dir, "a", "b"))).toEqual(["m.tymodel"]);
    expect(Buffer.from(await readFile(path)).equals(Buffer.from(bytes))).toBe(true);
    expectSameParts(sample, (await readModelFile(path)).parts);
  });

  it("a missing file, a folder, or a corrupt file is a ModelFormatError naming the path", async () => {
    await expect(readModelFile(join(dir, "nope.tymodel"))).rejects.toThrow(/nope\.tymodel: no such file/);
    await mkdir(join(dir, "folder"), { recursive: true });
    await expect(readModelFile(join(dir, "folder"))).rejects.toThrow(/folder: is a directory/);
    await writeFile(join(dir, "junk.tymodel"), "hello");
    await expect(readModelFile(join(dir, "junk.tymodel"))).rejects.toThrow(ModelFormatError);
    await expect(readModelFile(join(dir, "junk.tymodel"))).rejects.toThrow(/junk\.tymodel/);
  });
});
