/**
 * The official SqliteSaver (@langchain/langgraph-checkpoint-sqlite) on Bun. As shipped it opens
 * its database with better-sqlite3, which Bun cannot load; handed a bun:sqlite Database through
 * this adapter it runs unchanged. The adapter offers the part of better-sqlite3's API the saver
 * uses: `pragma()`, `exec()`, `transaction()`, and statements whose `get()` returns `undefined`
 * (not bun's `null`) when there is no row, which is what the saver tests for.
 */
import { Database, type SQLQueryBindings } from 'bun:sqlite';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';

type Args = SQLQueryBindings[];

function betterSqliteShape(db: Database) {
  return {
    pragma: (statement: string) => db.run(`PRAGMA ${statement}`),
    exec: (sql: string) => db.run(sql),
    transaction: <A extends unknown[]>(work: (...args: A) => void) => db.transaction(work),
    prepare(sql: string) {
      const statement = db.prepare<unknown, Args>(sql);
      return {
        get: (...args: Args) => statement.get(...args) ?? undefined,
        all: (...args: Args) => statement.all(...args),
        run: (...args: Args) => statement.run(...args),
      };
    },
  };
}

/** Same durability settings as BunSqliteSaver (WAL, synchronous=NORMAL), so the comparison is about storage layout. */
export function officialSqliteSaver(path: string): { saver: SqliteSaver; db: Database } {
  const db = new Database(path, { create: true });
  db.run('PRAGMA journal_mode = WAL');
  db.run('PRAGMA synchronous = NORMAL');
  // The saver's types name better-sqlite3's Database; this object has the part of it the saver calls.
  return { saver: new SqliteSaver(betterSqliteShape(db) as unknown as ConstructorParameters<typeof SqliteSaver>[0]), db };
}
