import type { PGlite } from "@electric-sql/pglite";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

/**
 * PGlite (one embedded Postgres session) presented as the `pg` pool Kysely's PostgresDialect
 * expects. PGlite has a single session, so a connection is a lock on it: a transaction holds
 * the lock from BEGIN to COMMIT and nothing else interleaves.
 */
export function pglitePool(db: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();
  const client = (release: () => void): PostgresPoolClient =>
    ({
      async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        const r = await db.query<R>(sql, parameters as unknown[]);
        const command = (
          /^\s*(\w+)/.exec(sql)?.[1] ?? "SELECT"
        ).toUpperCase() as PostgresQueryResult<R>["command"];
        const writes =
          command === "INSERT" || command === "UPDATE" || command === "DELETE" || command === "MERGE";
        return { command, rowCount: writes ? (r.affectedRows ?? 0) : r.rows.length, rows: r.rows };
      },
      release,
    }) as PostgresPoolClient;
  return {
    options: {},
    connect() {
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      const acquired = tail.then(() => client(release));
      tail = tail.then(() => held);
      return acquired;
    },
    async end() {
      await tail;
      await db.close();
    },
  };
}
