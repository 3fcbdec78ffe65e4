/**
 * Opens the application database: a SQLite file (embedded mode) or a PostgreSQL schema (cluster
 * mode), migrated on open. Callers reach tables only through the stores, which use `db.tables`
 * and `db.drizzle` and are written once for both: the PostgreSQL tables and drizzle instance are
 * handed out under the SQLite types, which tests/db/schema-types.test.ts proves give the same rows.
 */
import { Database } from 'bun:sqlite';
import { SQL } from 'bun';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { drizzle, type BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite';
import { migrate } from 'drizzle-orm/bun-sqlite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/bun-sql';
import { migrate as migratePg } from 'drizzle-orm/bun-sql/migrator';
import * as schema from './schema.ts';
import * as pgSchema from './schema.pg.ts';
import { type StatementTiming, timedPostgres, timedSqlite } from './statement-timing.ts';

export type Drizzle = BunSQLiteDatabase<typeof schema>;
export type Tables = typeof schema;

interface DatabaseBase {
  readonly drizzle: Drizzle;
  /** Where the time of each statement sent through `drizzle` is reported (statement-timing.ts). */
  readonly statements: StatementTiming;
  /** The tables of this database's dialect. */
  readonly tables: Tables;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  readonly closed: boolean;
}

export interface SqliteAppDatabase extends DatabaseBase {
  readonly kind: 'sqlite';
  /** The raw handle, for the checkpointer sharing this file. */
  readonly sqlite: Database;
}

export interface PostgresAppDatabase extends DatabaseBase {
  readonly kind: 'postgres';
  /** The connection pool, every connection's search_path set to `schema`. */
  readonly sql: SQL;
  readonly schema: string;
}

export type AppDatabase = SqliteAppDatabase | PostgresAppDatabase;

/** A SQLite file path (or `:memory:`), or a PostgreSQL server and the schema holding this deployment's tables. */
export type DatabaseTarget = string | { url: string; schema: string };

export function openDatabase(target: DatabaseTarget): Promise<AppDatabase> {
  return typeof target === 'string' ? Promise.resolve(openSqliteDatabase(target)) : openPostgresDatabase(target);
}

/** Opens (creating if needed) the database file and applies pending migrations. */
export function openSqliteDatabase(path: string): SqliteAppDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { create: true, strict: true });
  // WAL lets readers run beside the writer; NORMAL is durable across process crashes in WAL mode.
  sqlite.run('PRAGMA journal_mode = WAL');
  sqlite.run('PRAGMA synchronous = NORMAL');
  // bun:sqlite is synchronous: a long wait blocks the event loop, so keep the timeout short of "hang".
  sqlite.run('PRAGMA busy_timeout = 5000');
  sqlite.run('PRAGMA foreign_keys = ON');
  const statements: StatementTiming = {};
  const db = drizzle({ client: timedSqlite(sqlite, statements), schema });
  migrate(db, { migrationsFolder: join(import.meta.dir, 'migrations') });
  let closed = false;
  return {
    kind: 'sqlite',
    drizzle: db,
    statements,
    tables: schema,
    sqlite,
    async ping() {
      if (closed) return false;
      try {
        return sqlite.query('SELECT 1 AS ok').get() !== null;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      sqlite.close();
    },
    get closed() {
      return closed;
    },
  };
}

/** A health check must answer even when PostgreSQL does not. */
const PING_TIMEOUT_MS = 2_000;

/**
 * Connects to PostgreSQL, creates the schema if needed and applies pending migrations, then
 * returns a pool whose connections all work in that schema.
 */
export async function openPostgresDatabase(target: { url: string; schema: string }): Promise<PostgresAppDatabase> {
  const sql = new SQL({ url: target.url, connection: { search_path: quoteIdentifier(target.schema) } });
  try {
    await migrateSchema(sql, target.schema);
  } catch (error) {
    await sql.close();
    throw new Error(`could not migrate PostgreSQL schema "${target.schema}": ${(error as Error).message}`, { cause: error });
  }
  let closed = false;
  const statements: StatementTiming = {};
  return {
    kind: 'postgres',
    drizzle: drizzlePg({ client: timedPostgres(sql, statements), schema: pgSchema }) as unknown as Drizzle,
    statements,
    tables: pgSchema as unknown as Tables,
    sql,
    schema: target.schema,
    async ping() {
      if (closed) return false;
      let timer: Timer | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(resolve, PING_TIMEOUT_MS, false);
      });
      const answered = sql`SELECT 1 AS ok`.then(
        (rows: unknown[]) => rows.length === 1,
        () => false,
      );
      try {
        return await Promise.race([answered, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await sql.close({ timeout: 5 });
    },
    get closed() {
      return closed;
    },
  };
}

/**
 * Instances starting together each run this; a session-level advisory lock on one reserved
 * connection lets one migrate while the others wait, then find nothing left to do. Closing that
 * connection ends its session, which frees the lock even when migrating failed half-way. The
 * journal lives in the schema itself, so each deployment (and each test schema) keeps its own.
 */
async function migrateSchema(sql: SQL, schemaName: string): Promise<void> {
  const connection = await sql.reserve();
  try {
    await connection`SELECT pg_advisory_lock(hashtextextended(${`countersign migrations ${schemaName}`}, 0))`;
    await connection.unsafe(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schemaName)}`);
    await migratePg(drizzlePg({ client: connection }), {
      migrationsFolder: join(import.meta.dir, 'migrations-pg'),
      migrationsSchema: schemaName,
    });
  } finally {
    await connection.close();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
