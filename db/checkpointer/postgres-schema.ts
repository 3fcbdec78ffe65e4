/**
 * Tables of the LangGraph checkpointer on PostgreSQL, created by the saver itself in the schema
 * its connection's search_path names. They may live beside the application's tables, so every
 * name starts with `checkpoint_`, and none is a name the official PostgresSaver uses: its tables
 * have other columns, and its migration ledger would pass for ours.
 * Text keys are compared byte by byte (COLLATE "C"): checkpoint ids are ordered as strings (uuid6
 * sorts by time), which a locale's collation need not keep.
 */
import type { SQL } from 'bun';

/** Applied in order, each exactly once; append new steps, never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS checkpoint_checkpoints (
    thread_id text COLLATE "C" NOT NULL,
    checkpoint_ns text COLLATE "C" NOT NULL DEFAULT '',
    checkpoint_id text COLLATE "C" NOT NULL,
    parent_checkpoint_id text COLLATE "C",
    -- The checkpoint without channel_values, as serialized by the saver's serde.
    type text NOT NULL,
    checkpoint bytea NOT NULL,
    metadata jsonb NOT NULL,
    -- Each channel's version as the very string that keys checkpoint_values.version, so that a
    -- read finds a checkpoint's stored values in SQL.
    channel_versions jsonb NOT NULL,
    -- Also the index behind "latest checkpoint of a thread": a seek, whatever the thread's length.
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
  );
  -- One row per channel value per version: a put writes only the channels whose version changed.
  CREATE TABLE IF NOT EXISTS checkpoint_values (
    thread_id text COLLATE "C" NOT NULL,
    checkpoint_ns text COLLATE "C" NOT NULL DEFAULT '',
    channel text COLLATE "C" NOT NULL,
    version text COLLATE "C" NOT NULL,
    type text NOT NULL,
    blob bytea NOT NULL,
    -- The version whose list this blob's items extend (append-only.ts); NULL: the blob is the whole value.
    base_version text COLLATE "C",
    PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
  );
  CREATE TABLE IF NOT EXISTS checkpoint_pending_writes (
    thread_id text COLLATE "C" NOT NULL,
    checkpoint_ns text COLLATE "C" NOT NULL DEFAULT '',
    checkpoint_id text COLLATE "C" NOT NULL,
    task_id text COLLATE "C" NOT NULL,
    idx integer NOT NULL,
    channel text NOT NULL,
    type text NOT NULL,
    blob bytea NOT NULL,
    -- Part of the order in which LangGraph replays a superstep's writes (writesSortKey).
    task_path text NOT NULL DEFAULT '',
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
  );
  `,
];

/**
 * Brings the checkpointer tables of the connection's schema up to date. Instances starting
 * together queue on a transaction-scoped advisory lock (one per schema), so each step runs once.
 */
export async function migratePostgresCheckpointTables(sql: SQL): Promise<void> {
  await sql.begin(async (tx) => {
    const [{ schema, path }] = (await tx.unsafe('SELECT current_schema() AS schema, current_setting($1) AS path', ['search_path'])) as [
      { schema: string | null; path: string },
    ];
    if (schema === null) {
      throw new Error(`the checkpointer's connection names no existing schema (search_path is "${path}"): create the schema first`);
    }
    await tx.unsafe("SELECT pg_advisory_xact_lock(hashtextextended('countersign checkpoint tables ' || $1, 0))", [schema]);
    await tx.unsafe('CREATE TABLE IF NOT EXISTS checkpoint_schema_steps (v integer PRIMARY KEY)');
    const [{ n }] = (await tx.unsafe('SELECT count(*)::int AS n FROM checkpoint_schema_steps')) as [{ n: number }];
    for (let v = n; v < MIGRATIONS.length; v += 1) {
      await tx.unsafe(MIGRATIONS[v] as string);
      await tx.unsafe('INSERT INTO checkpoint_schema_steps (v) VALUES ($1)', [v]);
    }
  });
}
