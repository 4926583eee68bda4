import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import { migrateToLatest } from "./migrations.js";
import { pglitePool } from "./pglite-pool.js";
import type { Tables } from "./tables.js";

export type Db = Kysely<Tables>;

export interface DatabaseOptions {
  /** A PostgreSQL server (`postgres://…`); without it the embedded PGlite database is used. */
  url?: string;
  /** Where the embedded database lives (default `$TRAINYARD_HOME` or `./.trainyard`). */
  home?: string;
}

/** `$TRAINYARD_HOME`, or `./.trainyard`. */
export function trainyardHome(home?: string): string {
  return resolve(home ?? process.env.TRAINYARD_HOME ?? ".trainyard");
}

/**
 * Opens the metadata database and applies pending migrations: a PostgreSQL server when a URL is
 * given (or `DATABASE_URL` is set), else PGlite, a real Postgres compiled to WebAssembly, under
 * the trainyard home. The same SQL and migrations serve both.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Db> {
  const url = options.url ?? process.env.DATABASE_URL;
  let db: Db;
  if (url) {
    const { default: pg } = await import("pg");
    db = new Kysely<Tables>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }),
    });
  } else {
    const dir = join(trainyardHome(options.home), "db");
    await mkdir(dir, { recursive: true });
    const { PGlite } = await import("@electric-sql/pglite");
    const lite = await PGlite.create(dir);
    db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: pglitePool(lite) }) });
  }
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return db;
}
