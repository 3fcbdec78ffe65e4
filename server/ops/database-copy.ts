/**
 * What a copy of a Countersign SQLite database holds, read without changing it: whether SQLite
 * finds it intact, how many chats and people it has, and how far its schema has been migrated,
 * beside how far this version migrates (a copy from a newer version must not be opened by this one).
 */
import { Database } from 'bun:sqlite';
import { join } from 'node:path';
import { migrateCheckpointTables } from '../../db/checkpointer/schema.ts';

export interface CopyContents {
  /** `ok`, or SQLite's first complaints. */
  integrity: string;
  /** Undefined where the file has no such table (a checkpoints-only file). */
  chats: number | undefined;
  people: number | undefined;
  /** App migrations applied: how many, and the newest one's time (drizzle's journal `when`). */
  migrations: { applied: number; newest: number } | undefined;
  /** Checkpointer migrations applied, and how many chats have checkpoints. */
  checkpoints: { migrations: number; threads: number } | undefined;
}

export function readCopy(path: string): CopyContents {
  const db = new Database(path, { readonly: true });
  try {
    const tables = new Set(
      db
        .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((t) => t.name),
    );
    const count = (table: string, expression = 'count(*)') =>
      tables.has(table) ? (db.query<{ n: number }, []>(`SELECT ${expression} AS n FROM ${table}`).get()?.n ?? 0) : undefined;
    const checks = db.query<{ integrity_check: string }, []>('PRAGMA integrity_check').all();
    const migrations = tables.has('__drizzle_migrations')
      ? db
          .query<{ applied: number; newest: number | null }, []>(
            'SELECT count(*) AS applied, max(created_at) AS newest FROM __drizzle_migrations',
          )
          .get()
      : undefined;
    return {
      integrity: checks.map((row) => row.integrity_check).join('; '),
      chats: count('chats'),
      people: count('users'),
      migrations: migrations ? { applied: migrations.applied, newest: Number(migrations.newest ?? 0) } : undefined,
      checkpoints: tables.has('checkpoint_migrations')
        ? { migrations: count('checkpoint_migrations') ?? 0, threads: count('checkpoints', 'count(DISTINCT thread_id)') ?? 0 }
        : undefined,
    };
  } finally {
    db.close();
  }
}

/** How far this version migrates each kind of table. */
export async function thisVersion(): Promise<{ migrations: { applied: number; newest: number }; checkpointMigrations: number }> {
  const journal = (await Bun.file(join(import.meta.dir, '..', '..', 'db', 'migrations', 'meta', '_journal.json')).json()) as {
    entries: { when: number }[];
  };
  // The checkpointer keeps its steps to itself: count what it applies to an empty database.
  const scratch = new Database(':memory:');
  migrateCheckpointTables(scratch);
  const checkpointMigrations = scratch.query<{ n: number }, []>('SELECT count(*) AS n FROM checkpoint_migrations').get()?.n ?? 0;
  scratch.close();
  return {
    migrations: { applied: journal.entries.length, newest: Math.max(...journal.entries.map((entry) => entry.when)) },
    checkpointMigrations,
  };
}

/** One line for an operator: what the copy holds. */
export function describeCopy(contents: CopyContents): string {
  const parts: string[] = [];
  if (contents.chats !== undefined) parts.push(`${contents.chats} chats`);
  if (contents.people !== undefined) parts.push(`${contents.people} people`);
  if (contents.migrations) parts.push(`${contents.migrations.applied} schema migrations`);
  if (contents.checkpoints) parts.push(`checkpoints of ${contents.checkpoints.threads} chats`);
  parts.push(`integrity ${contents.integrity}`);
  return parts.join(', ');
}
