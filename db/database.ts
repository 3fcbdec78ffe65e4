/**
 * Opens the application database. Callers get an `AppDatabase` and reach tables only through
 * the stores in db/stores/, whose methods are async: a PostgreSQL backend can implement the
 * same stores later without touching any caller.
 */
import { Database } from 'bun:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { drizzle, type BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite';
import { migrate } from 'drizzle-orm/bun-sqlite/migrator';
import * as schema from './schema.ts';

export type Drizzle = BunSQLiteDatabase<typeof schema>;

export interface AppDatabase {
  readonly kind: 'sqlite';
  readonly drizzle: Drizzle;
  /** The raw handle, for the checkpointer sharing this file and for health checks. */
  readonly sqlite: Database;
  /** True when the database answers a trivial query. */
  ping(): boolean;
  close(): void;
  readonly closed: boolean;
}

const migrationsFolder = join(import.meta.dir, 'migrations');

/** Opens (creating if needed) the database file and applies pending migrations. */
export function openDatabase(path: string): AppDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { create: true, strict: true });
  // WAL lets readers run beside the writer; NORMAL is durable across process crashes in WAL mode.
  sqlite.run('PRAGMA journal_mode = WAL');
  sqlite.run('PRAGMA synchronous = NORMAL');
  // bun:sqlite is synchronous: a long wait blocks the event loop, so keep the timeout short of "hang".
  sqlite.run('PRAGMA busy_timeout = 5000');
  sqlite.run('PRAGMA foreign_keys = ON');
  const db = drizzle({ client: sqlite, schema });
  migrate(db, { migrationsFolder });
  let closed = false;
  return {
    kind: 'sqlite',
    drizzle: db,
    sqlite,
    ping() {
      if (closed) return false;
      try {
        return sqlite.query('SELECT 1 AS ok').get() !== null;
      } catch {
        return false;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      sqlite.close();
    },
    get closed() {
      return closed;
    },
  };
}
