import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";

/**
 * A fresh trainyard home under the temp folder whose embedded database is a copy of the run's
 * migrated template (test/global-setup.ts): opening it skips PGlite's initdb. Tests that need a
 * database created from nothing use a plain folder (the global setup itself is one).
 */
export function freshHome(prefix: string): string {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const template = inject("pgliteTemplate");
  if (template && existsSync(template)) cpSync(template, join(home, "db"), { recursive: true });
  return home;
}
