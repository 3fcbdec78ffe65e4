/**
 * The two checkpointers the agent runs on, each opened again on the same storage as a restarted
 * server opens it: a SQLite file in a test directory, and a PostgreSQL schema of its own.
 */
import { join } from 'node:path';
import { SQL } from 'bun';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { BunPostgresSaver } from '../../db/checkpointer/postgres-saver.ts';
import { BunSqliteSaver } from '../../db/checkpointer/bun-sqlite-saver.ts';
import { createTestSchema } from '../support/services.ts';

export interface CheckpointStore {
  /** A new saver on the store: every call is a "restart". */
  open(): Promise<BaseCheckpointSaver>;
  dispose(): Promise<void>;
}

export const checkpointStores: { name: string; create(dir: string): Promise<CheckpointStore> }[] = [
  {
    name: 'SQLite',
    async create(dir) {
      const opened: BunSqliteSaver[] = [];
      return {
        async open() {
          const saver = new BunSqliteSaver(join(dir, 'checkpoints.db'));
          opened.push(saver);
          return saver;
        },
        async dispose() {
          for (const saver of opened) saver.close();
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async create() {
      const schema = await createTestSchema();
      const connections: SQL[] = [];
      return {
        async open() {
          const sql = new SQL({ url: schema.url, max: 2, connection: { search_path: schema.schema } });
          connections.push(sql);
          return BunPostgresSaver.open(sql);
        },
        async dispose() {
          await Promise.all(connections.map((sql) => sql.close()));
          await schema.drop();
        },
      };
    },
  },
];
