import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { Registry } from "../src/registry/index.js";

/**
 * Once per run: an embedded database created and migrated the normal way (initdb inside PGlite
 * is the slow part of opening a fresh home: tens of seconds on a slow machine). Tests copy it
 * into their fresh homes (test/helpers/home.ts) instead of running initdb again.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const home = mkdtempSync(join(tmpdir(), "trainyard-template-"));
  const registry = await Registry.open({ home, url: undefined });
  await registry.close();
  project.provide("pgliteTemplate", join(home, "db"));
  return () => rmSync(home, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
