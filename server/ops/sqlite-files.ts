/**
 * Which SQLite files a server with this configuration keeps, and where a backup of each goes: the
 * app database at the backup's own path and, when the checkpoints keep a file of their own
 * (CHECKPOINT_DATABASE_PATH), that one beside it with `.checkpoints` added. Both scripts refuse,
 * with what to do instead, when there is no file to copy.
 */
import { basename } from 'node:path';
import { type Config, loadConfig } from '../config.ts';

export interface SqliteFile {
  role: 'app database' | 'checkpoints';
  /** Where the server keeps it. */
  path: string;
  /** Where its backup goes, or comes from. */
  backup: string;
}

/** A sentence saying why there is nothing to do, and what to do instead. */
export class OperationRefused extends Error {
  override name = 'OperationRefused';
}

export const CHECKPOINTS_SUFFIX = '.checkpoints';

/** The settings of the server these files belong to (`env`: its environment), and the files. */
export function sqliteFiles(env: Record<string, string | undefined>, backup: string): { config: Config; files: SqliteFile[] } {
  // Before the rest of the settings are read: cluster mode asks for several more, none of them needed to say this.
  if (env.DATABASE_URL) {
    const schema = env.DATABASE_SCHEMA || 'public';
    throw new OperationRefused(
      `DATABASE_URL is set: in cluster mode everything that lasts is in PostgreSQL (schema ${schema}), which has its own tools: ` +
        `pg_dump --format=custom --schema=${schema} "$DATABASE_URL" > countersign.dump makes a consistent copy while the instances run, ` +
        'pg_restore puts it back, and pg_basebackup copies the whole server for point-in-time recovery. Redis holds nothing that must be kept.',
    );
  }
  const config = loadConfig(env);
  for (const path of [config.databasePath, config.checkpointDatabasePath]) {
    if (basename(path) === ':memory:')
      throw new OperationRefused(
        'the database is kept in memory: nothing on disk outlives the server, so there is nothing to copy. ' +
          'Set DATABASE_PATH to a file (or leave it unset for DATA_DIR/countersign.db) to keep it.',
      );
  }
  const files: SqliteFile[] = [{ role: 'app database', path: config.databasePath, backup }];
  if (config.checkpointDatabasePath !== config.databasePath)
    files.push({ role: 'checkpoints', path: config.checkpointDatabasePath, backup: `${backup}${CHECKPOINTS_SUFFIX}` });
  return { config, files };
}
