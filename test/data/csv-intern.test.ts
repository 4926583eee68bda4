import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteInterner } from "../../src/data/csv/intern.js";

const encoder = new TextEncoder();

/** Interns each text and returns the ids. */
function internAll(texts: readonly string[]): { ids: number[]; levels: readonly string[] } {
  const interner = new ByteInterner();
  const ids = texts.map((t) => {
    const b = encoder.encode(t);
    return interner.intern(b, 0, b.length);
  });
  return { ids, levels: interner.levels };
}

describe("ByteInterner (categorical dictionaries of the CSV reader)", () => {
  it("gives each distinct text one id, past every growth of its tables", () => {
    // 1,500 distinct ids seen several times: the tables grow at 256, 512 and 1,024 levels.
    const texts = Array.from({ length: 5000 }, (_, i) => `U${String((i * 7919) % 1500).padStart(4, "0")}`);
    const { ids, levels } = internAll(texts);
    expect(levels).toHaveLength(1500);
    expect(new Set(levels).size).toBe(1500);
    for (const [i, t] of texts.entries()) expect(levels[ids[i]]).toBe(t);
  });

  it("maps equal texts to equal ids and back (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3000 }), (texts) => {
        const { ids, levels } = internAll(texts);
        expect(new Set(levels).size).toBe(levels.length);
        expect(levels.length).toBe(new Set(texts).size);
        for (const [i, t] of texts.entries()) expect(levels[ids[i]]).toBe(t);
      }),
      { numRuns: 60 },
    );
  });
});
