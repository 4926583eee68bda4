import { type Kysely, sql } from "kysely";
import { type Migration, Migrator } from "kysely/migration";

/**
 * The registry's schema, as versioned migrations applied in name order at start. Never edit a
 * migration that has shipped: add the next one.
 */
const MIGRATIONS: Record<string, Migration> = {
  "001_initial": {
    async up(db: Kysely<unknown>) {
      for (const statement of statements(`
        create table workspace (
          name text primary key,
          created_at timestamptz not null default now()
        );
        insert into workspace (name) values ('default');

        create table dataset (
          id integer generated always as identity primary key,
          workspace text not null references workspace (name),
          name text not null,
          source text not null,
          fingerprint text not null,
          rows integer not null,
          columns integer not null,
          schema jsonb not null,
          new_rows integer not null default 0,
          created_at timestamptz not null default now(),
          unique (workspace, name)
        );

        create table training_run (
          id integer generated always as identity primary key,
          workspace text not null references workspace (name),
          status text not null check (status in ('RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
          model_name text,
          model_version text,
          model_path text,
          dataset_id integer references dataset (id) on delete set null,
          dataset_path text,
          dataset_fingerprint text,
          dataset_rows integer,
          task text,
          algorithm text,
          params jsonb not null default '{}',
          metrics jsonb not null default '{}',
          per_class jsonb,
          confusion_matrix jsonb,
          curves jsonb,
          importances jsonb,
          features jsonb,
          train_size integer,
          test_size integer,
          durations jsonb,
          trained_by text,
          notes text,
          error text,
          library_version text,
          parent_run_id integer references training_run (id) on delete set null,
          job_id text,
          started_at timestamptz not null default now(),
          finished_at timestamptz
        );
        create index training_run_recent on training_run (workspace, started_at desc);

        create table model (
          id integer generated always as identity primary key,
          workspace text not null references workspace (name),
          name text not null,
          task text not null,
          input_schema jsonb not null default '[]',
          created_at timestamptz not null default now(),
          unique (workspace, name)
        );

        create table model_version (
          id integer generated always as identity primary key,
          model_id integer not null references model (id) on delete cascade,
          version text not null,
          run_id integer references training_run (id) on delete set null,
          artifact_uri text not null,
          checksum text not null,
          size_bytes bigint not null,
          metrics jsonb not null default '{}',
          active boolean not null default false,
          archived boolean not null default false,
          created_at timestamptz not null default now(),
          unique (model_id, version)
        );
        -- Exactly one active version per model is enforced by the database itself.
        create unique index model_version_one_active on model_version (model_id) where active;

        create table model_alias (
          model_id integer not null references model (id) on delete cascade,
          alias text not null,
          version_id integer not null references model_version (id) on delete cascade,
          primary key (model_id, alias)
        );

        create table artifact_blob (
          key text primary key,
          bytes bytea not null,
          checksum text not null,
          created_at timestamptz not null default now()
        );

        create table audit_event (
          id integer generated always as identity primary key,
          workspace text not null references workspace (name),
          actor text not null,
          action text not null,
          target_type text not null,
          target_id text,
          details jsonb not null default '{}',
          at timestamptz not null default now()
        );
        create index audit_event_recent on audit_event (workspace, at desc);
      `))
        await sql.raw(statement).execute(db);
    },
  },
};

/** A migration's SQL split into statements (PGlite runs one statement per query). */
function statements(script: string): string[] {
  return script
    .split(/;\s*\n/)
    .map((s) => s.replace(/--.*$/gm, "").trim())
    .filter((s) => s.length > 0);
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(
      `registry migration ${failed ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
