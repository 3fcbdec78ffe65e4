/**
 * The two savers' storage, for tests that check the same behaviour on both: a store is one test's
 * database (a SQLite file, or a PostgreSQL schema of its own), on which `open` gives a new saver,
 * as another connection or process would open it, and which the test can inspect.
 */
import { Database } from 'bun:sqlite';
import { SQL } from 'bun';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { BunSqliteSaver } from '../../../db/checkpointer/bun-sqlite-saver.ts';
import { BunPostgresSaver } from '../../../db/checkpointer/postgres-saver.ts';
import { createTestSchema } from '../../support/services.ts';

export type Saver = BaseCheckpointSaver & { close(): void | Promise<void> };

/** The tables of each saver, by what they hold. */
export type Table = 'checkpoints' | 'values' | 'writes';

export interface Store {
  /** A new saver on this store; the store closes it when removed, if the test has not. */
  open(): Promise<Saver>;
  /** What a fixture process needs to open this store: its command-line arguments. */
  readonly args: string[];
  rowsPerThread(table: Table): Promise<Record<string, number>>;
  /** The base version of a stored channel value (null: stored whole); undefined when none is stored. */
  baseVersion(threadId: string, channel: string, version: string): Promise<string | null | undefined>;
  /** Bytes the stored channel values and writes take. */
  storedBytes(): Promise<number>;
  remove(): Promise<void>;
}

export interface Backend {
  name: string;
  createStore(): Promise<Store>;
}

const sqliteTables: Record<Table, string> = { checkpoints: 'checkpoints', values: 'checkpoint_blobs', writes: 'checkpoint_writes' };
const postgresTables: Record<Table, string> = {
  checkpoints: 'checkpoint_checkpoints',
  values: 'checkpoint_values',
  writes: 'checkpoint_pending_writes',
};

const countsOf = (rows: { thread_id: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.thread_id, Number(r.n)]));

export const sqlite: Backend = {
  name: 'BunSqliteSaver',
  async createStore() {
    const dir = mkdtempSync(join(tmpdir(), 'countersign-saver-'));
    const file = join(dir, 'checkpoints.sqlite');
    const opened: Saver[] = [];
    const query = <T>(text: string, ...params: string[]) => {
      const db = new Database(file, { readonly: true });
      try {
        return db.query<T, string[]>(text).all(...params);
      } finally {
        db.close();
      }
    };
    return {
      args: [file],
      async open() {
        const saver = new BunSqliteSaver(file);
        opened.push(saver);
        return saver;
      },
      async rowsPerThread(table) {
        return countsOf(query(`SELECT thread_id, count(*) AS n FROM ${sqliteTables[table]} GROUP BY thread_id`));
      },
      async baseVersion(threadId, channel, version) {
        const [row] = query<{ base_version: string | null }>(
          'SELECT base_version FROM checkpoint_blobs WHERE thread_id = ? AND channel = ? AND version = ?',
          threadId,
          channel,
          version,
        );
        return row?.base_version;
      },
      async storedBytes() {
        const db = new Database(file);
        db.run('PRAGMA wal_checkpoint(TRUNCATE)');
        db.close();
        return statSync(file).size;
      },
      async remove() {
        for (const saver of opened) saver.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgres: Backend = {
  name: 'BunPostgresSaver',
  async createStore() {
    const schema = await createTestSchema();
    const sql = new SQL({ url: schema.url, max: 1, connection: { search_path: schema.schema, jit: 'off' } });
    const opened: BunPostgresSaver[] = [];
    return {
      args: [schema.url, schema.schema],
      async open() {
        const saver = await BunPostgresSaver.open({ url: schema.url, schema: schema.schema, maxConnections: 2 });
        opened.push(saver);
        return saver;
      },
      async rowsPerThread(table) {
        return countsOf(await sql.unsafe(`SELECT thread_id, count(*) AS n FROM ${postgresTables[table]} GROUP BY thread_id`));
      },
      async baseVersion(threadId, channel, version) {
        const [row] = await sql.unsafe(
          'SELECT base_version FROM checkpoint_values WHERE thread_id = $1 AND channel = $2 AND version = $3',
          [threadId, channel, version],
        );
        return row?.base_version;
      },
      async storedBytes() {
        const [{ bytes }] = await sql.unsafe(`SELECT
          (SELECT coalesce(sum(octet_length(blob)), 0) FROM checkpoint_values) +
          (SELECT coalesce(sum(octet_length(blob)), 0) FROM checkpoint_pending_writes) +
          (SELECT coalesce(sum(octet_length(checkpoint)), 0) FROM checkpoint_checkpoints) AS bytes`);
        return Number(bytes);
      },
      async remove() {
        for (const saver of opened) await saver.close();
        await sql.close();
        await schema.drop();
      },
    };
  },
};

export const backends = [sqlite, postgres];

/** Opens a store from a fixture process's arguments (Store.args): a SQLite file, or a PostgreSQL URL and schema. */
export function openFromArgs([first, schema]: string[]): Promise<Saver> {
  if (first === undefined) throw new Error('no store given: a SQLite file, or a PostgreSQL URL and schema');
  if (/^postgres(ql)?:/.test(first)) {
    if (!schema) throw new Error(`a PostgreSQL store needs a schema after ${first}`);
    return BunPostgresSaver.open({ url: first, schema, maxConnections: 1 });
  }
  return Promise.resolve(new BunSqliteSaver(first));
}
