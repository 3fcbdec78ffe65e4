/** The two databases every store test runs against: a temporary SQLite file and a PostgreSQL schema of its own. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type AppDatabase, openDatabase } from '../../db/database.ts';
import { createTestSchema } from '../support/services.ts';
import { tempDir } from '../support/test-server.ts';

export interface Backend {
  readonly name: string;
  /** A freshly migrated, empty database, and how to remove it. */
  open(): Promise<{ db: AppDatabase; dispose(): Promise<void> }>;
}

export const backends: Backend[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = tempDir();
      const db = await openDatabase(join(dir, 'app.db'));
      return {
        db,
        async dispose() {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const schema = await createTestSchema();
      const db = await openDatabase({ url: schema.url, schema: schema.schema });
      return {
        db,
        async dispose() {
          await db.close();
          await schema.drop();
        },
      };
    },
  },
];
