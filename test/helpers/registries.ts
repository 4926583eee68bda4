import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry, type RegistryOptions } from "../../src/registry/index.js";
import { freshHome } from "./home.js";

/**
 * The registries every registry test runs against: embedded PGlite always, and a PostgreSQL
 * server when TRAINYARD_TEST_DATABASE_URL is set (a fresh database per test file, dropped after).
 */
export interface TestBackend {
  name: "pglite" | "postgres";
  open(options?: RegistryOptions): Promise<Registry>;
  cleanup(): Promise<void>;
}

const PG_URL = process.env.TRAINYARD_TEST_DATABASE_URL;
if (!PG_URL) {
  console.log(
    "registry tests: TRAINYARD_TEST_DATABASE_URL is not set; the PostgreSQL server runs are skipped",
  );
}

export function backends(): TestBackend[] {
  const list: TestBackend[] = [pgliteBackend()];
  if (PG_URL) list.push(postgresBackend(PG_URL));
  return list;
}

function pgliteBackend(): TestBackend {
  const home = freshHome("trainyard-registry-");
  return {
    name: "pglite",
    open: (options = {}) => Registry.open({ ...options, home, url: undefined }),
    async cleanup() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function postgresBackend(adminUrl: string): TestBackend {
  const name = `trainyard_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const home = mkdtempSync(join(tmpdir(), "trainyard-registry-pg-"));
  let created = false;
  const admin = async (sql: string) => {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    name: "postgres",
    async open(options = {}) {
      if (!created) {
        await admin(`create database ${name}`);
        created = true;
      }
      return Registry.open({ ...options, home, url: url.toString() });
    },
    async cleanup() {
      // Closed pools may still be saying goodbye: retry a plain drop before forcing one.
      for (let attempt = 0; created && attempt < 20; attempt++) {
        try {
          await admin(`drop database if exists ${name}`);
          created = false;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      if (created) await admin(`drop database if exists ${name} with (force)`);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
