import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// The README's TypeScript snippets must run as written (against the sources, not a build).
const ROOT = resolve(import.meta.dirname, "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const dir = mkdtempSync(join(ROOT, "test", ".readme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README", () => {
  it("has TypeScript snippets", () => {
    expect(snippets.length).toBeGreaterThan(0);
  });

  snippets.forEach((code, i) => {
    it(`snippet ${i + 1} runs`, async () => {
      const file = join(dir, `snippet-${i + 1}.ts`);
      const src = code.replaceAll('from "trainyard"', `from ${JSON.stringify(join(ROOT, "src/index.ts"))}`);
      writeFileSync(file, `process.chdir(${JSON.stringify(ROOT)});\n${src}\nexport {};\n`);
      await import(pathToFileURL(file).href);
    });
  });
});
