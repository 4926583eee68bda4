import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

// DESIGN.md: each layer imports only from the layers listed before it. The three
// faces (api, cli, web) come last; cli may start the api server.
const LAYERS = ["kernels", "data", "ml", "training", "registry", "jobs", "serving", "api", "cli"];
const SRC = resolve(import.meta.dirname, "../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === "assembly" ? [] : sourceFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

function layerOf(file: string): string | undefined {
  const first = relative(SRC, file).split(sep)[0];
  return LAYERS.includes(first) ? first : undefined;
}

/** Every `from "…"` / `import("…")` / `import "…"` specifier in a file. */
function importsOf(source: string): string[] {
  const re = /(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g;
  return [...source.matchAll(re)].map((m) => m[1]);
}

function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const layer = layerOf(file);
    if (!layer) continue;
    for (const spec of importsOf(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) continue;
      const target = layerOf(resolve(dirname(file), spec));
      if (target && LAYERS.indexOf(target) > LAYERS.indexOf(layer)) {
        found.push(`${relative(SRC, file)} (${layer}) imports ${spec} (${target})`);
      }
    }
  }
  return found;
}

describe("architecture", () => {
  it("every layer imports only from the layers before it", () => {
    expect(violations()).toEqual([]);
  });

  it("the import scanner sees the import forms it checks", () => {
    const src = `import { a } from "../ml/x.js";\nimport type { B } from './y.js';\nconst m = await import("../api/z.js");\nimport "../cli/side.js";`;
    expect(importsOf(src)).toEqual(["../ml/x.js", "./y.js", "../api/z.js", "../cli/side.js"]);
  });

  it("every layer folder of DESIGN.md exists", () => {
    for (const layer of LAYERS) expect(statSync(join(SRC, layer)).isDirectory()).toBe(true);
  });
});
