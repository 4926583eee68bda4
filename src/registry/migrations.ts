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
  "002_jobs_schedules_notifications": {
    async up(db: Kysely<unknown>) {
      for (const statement of statements(`
        alter table dataset add column ready boolean not null default false;
        alter table dataset add column updated_at timestamptz not null default now();

        -- One background training. The row is the truth for both queue engines; BullMQ only
        -- carries ids and locks.
        create table training_job (
          id text primary key,
          workspace text not null references workspace (name),
          kind text not null default 'train',
          status text not null check (status in ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
          priority integer not null default 0,
          config jsonb not null,
          model_name text,
          dataset_id integer references dataset (id) on delete set null,
          origin jsonb not null default '{}',
          progress real not null default 0,
          stage text,
          message text,
          attempts integer not null default 0,
          max_attempts integer not null default 3,
          timeout_seconds integer,
          cancel_requested boolean not null default false,
          worker_id text,
          heartbeat_at timestamptz,
          run_after timestamptz not null default now(),
          result jsonb,
          error text,
          created_at timestamptz not null default now(),
          started_at timestamptz,
          finished_at timestamptz
        );
        create index training_job_next on training_job (status, priority desc, created_at);
        create index training_job_recent on training_job (workspace, created_at desc);

        create table job_log (
          id integer generated always as identity primary key,
          job_id text not null references training_job (id) on delete cascade,
          attempt integer not null default 0,
          level text not null,
          message text not null,
          at timestamptz not null default now()
        );
        create index job_log_by_job on job_log (job_id, id);

        -- Processes that execute jobs, and when each was last heard from.
        create table worker (
          id text primary key,
          engine text not null,
          host text not null,
          pid integer not null,
          concurrency integer not null default 1,
          state text not null default 'running',
          current_jobs jsonb not null default '[]',
          started_at timestamptz not null default now(),
          heartbeat_at timestamptz not null default now()
        );

        create table schedule (
          id integer generated always as identity primary key,
          workspace text not null references workspace (name),
          name text not null,
          cron text not null,
          timezone text not null default 'UTC',
          enabled boolean not null default true,
          model_name text,
          config jsonb not null,
          conditions jsonb not null default '{}',
          promotion jsonb not null default '{}',
          last_fired_at timestamptz,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          unique (workspace, name)
        );
        -- One row per fired tick: the primary key makes a tick fire once across replicas.
        create table schedule_firing (
          schedule_id integer not null references schedule (id) on delete cascade,
          tick timestamptz not null,
          job_id text,
          decision text not null,
          at timestamptz not null default now(),
          primary key (schedule_id, tick)
        );

        create table training_trigger (
          id integer generated always as identity primary key,
          workspace text not null references workspace (name),
          name text not null,
          model_name text not null,
          dataset_id integer references dataset (id) on delete cascade,
          conditions jsonb not null,
          config jsonb not null,
          promotion jsonb not null default '{}',
          enabled boolean not null default true,
          last_fired_at timestamptz,
          last_job_id text,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          unique (workspace, name)
        );

        -- Champion/challenger: every decision on a retrained model.
        create table validation_event (
          id integer generated always as identity primary key,
          workspace text not null references workspace (name),
          model_name text not null,
          job_id text,
          metric text not null,
          champion_version_id integer references model_version (id) on delete set null,
          challenger_version_id integer references model_version (id) on delete set null,
          champion_score double precision,
          challenger_score double precision,
          margin double precision not null default 0,
          decision text not null check (decision in ('promoted', 'rejected', 'passed', 'no_champion')),
          reason text not null,
          at timestamptz not null default now()
        );
        create index validation_event_recent on validation_event (workspace, model_name, at desc);

        -- Where events are sent: a webhook URL (HMAC-signed) or an e-mail address.
        create table subscription (
          id integer generated always as identity primary key,
          workspace text not null references workspace (name),
          channel text not null check (channel in ('webhook', 'email')),
          target text not null,
          secret text,
          events jsonb not null default '[]',
          enabled boolean not null default true,
          created_at timestamptz not null default now()
        );
        create table delivery (
          id integer generated always as identity primary key,
          subscription_id integer not null references subscription (id) on delete cascade,
          event text not null,
          payload jsonb not null,
          status text not null check (status in ('PENDING', 'DELIVERED', 'FAILED')),
          attempts integer not null default 0,
          last_error text,
          response_status integer,
          next_attempt_at timestamptz not null default now(),
          created_at timestamptz not null default now(),
          delivered_at timestamptz
        );
        create index delivery_due on delivery (status, next_attempt_at);
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
