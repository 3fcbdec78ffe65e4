/**
 * Tables of the LangGraph checkpointer. They may live in the application's own database file,
 * so every name starts with `checkpoint` and the saver keeps its own migration ledger instead of
 * touching drizzle's or `PRAGMA user_version`.
 */
import type { Database } from 'bun:sqlite';

/** Applied in order, each exactly once; append new steps, never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS checkpoints (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    parent_checkpoint_id TEXT,
    -- The checkpoint without channel_values, as serialized by the saver's serde.
    type TEXT NOT NULL,
    checkpoint BLOB NOT NULL,
    -- Plain JSON text, so that list() can filter on it in SQL.
    metadata TEXT NOT NULL,
    -- Also the index behind "latest checkpoint of a thread": a seek, whatever the thread's length.
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
  );
  -- One row per channel value per version: a put writes only the channels whose version changed.
  CREATE TABLE IF NOT EXISTS checkpoint_blobs (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    version TEXT NOT NULL,
    type TEXT NOT NULL,
    blob BLOB NOT NULL,
    PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
  );
  CREATE TABLE IF NOT EXISTS checkpoint_writes (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    channel TEXT NOT NULL,
    type TEXT NOT NULL,
    blob BLOB NOT NULL,
    -- Part of the order in which LangGraph replays a superstep's writes (writesSortKey).
    task_path TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
  );
  `,
  // A list value may be stored as the items it adds to an earlier version of its channel
  // (append-only.ts); NULL, as in every row written before, means the blob is the whole value.
  'ALTER TABLE checkpoint_blobs ADD COLUMN base_version TEXT',
  // The checkpoint's channel versions as a JSON object of the very strings that key
  // checkpoint_blobs.version, so that a read finds a checkpoint's stored values in SQL without
  // deserializing the checkpoint first. NULL in rows written before: those are deserialized.
  'ALTER TABLE checkpoints ADD COLUMN channel_versions TEXT',
];

/**
 * Brings the checkpointer tables up to date. Safe to run from several processes at once: the
 * version is checked again under the write lock. An up-to-date database is only read, so a
 * start-up does not queue behind another connection's write.
 */
export function migrateCheckpointTables(db: Database): void {
  db.run('CREATE TABLE IF NOT EXISTS checkpoint_migrations (v INTEGER PRIMARY KEY)');
  const appliedCount = () => db.query<{ n: number }, []>('SELECT count(*) AS n FROM checkpoint_migrations').get()?.n ?? 0;
  if (appliedCount() >= MIGRATIONS.length) return;
  db.transaction(() => {
    for (let v = appliedCount(); v < MIGRATIONS.length; v += 1) {
      db.run(MIGRATIONS[v] as string);
      db.query('INSERT INTO checkpoint_migrations (v) VALUES (?)').run(v);
    }
  }).immediate();
}
