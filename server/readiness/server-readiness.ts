/**
 * The checks this server's `/readyz` runs, chosen from where its state lives: the app database and
 * the checkpointer's (SQLite files, probed for their write lock, or PostgreSQL), Redis in cluster
 * mode, and the default catalogue model's endpoint.
 */
import { basename } from 'node:path';
import type { Database } from 'bun:sqlite';
import type { AppDatabase } from '../../db/database.ts';
import type { Config } from '../config.ts';
import type { ReadinessCheck } from './check.ts';
import { pingCheck, sqliteCheck } from './database-check.ts';
import { type DefaultModel, modelCheck } from './model-check.ts';
import { CHECK_BOUND_MS, Readiness } from './readiness.ts';
import { redisCheck } from './redis-check.ts';

export interface ReadinessDeps {
  config: Config;
  db: AppDatabase;
  /** The checkpointer's own connection when it keeps its own SQLite file. */
  checkpoints: Database | undefined;
  /** The catalogue's enabled default model (else its first enabled one), as chats start with it. */
  defaultModel: () => Promise<DefaultModel | undefined>;
  draining: () => boolean;
}

export interface ServerReadiness {
  readiness: Readiness;
  /** Closes the probes' own connections (after the stores they watch). */
  close(): void;
}

export function serverReadiness(deps: ReadinessDeps): ServerReadiness {
  const { config, db } = deps;
  const checks: ReadinessCheck[] = [];
  const closers: (() => void)[] = [];
  if (db.kind === 'postgres') {
    checks.push(pingCheck('database', () => db.ping(), `PostgreSQL (schema ${db.schema})`));
  } else if (basename(config.databasePath) === ':memory:') {
    checks.push(pingCheck('database', () => db.ping(), 'the in-memory database'));
  } else {
    const check = sqliteCheck('database', config.databasePath, () => db.ping());
    checks.push(check);
    closers.push(() => check.close());
  }
  const { checkpoints } = deps;
  if (checkpoints) {
    const answers = async () => {
      try {
        return checkpoints.query('SELECT 1').get() !== null;
      } catch {
        return false;
      }
    };
    const check = sqliteCheck('checkpoints', config.checkpointDatabasePath, answers);
    checks.push(check);
    closers.push(() => check.close());
  }
  if (config.cluster) {
    const check = redisCheck(config.cluster.redisUrl, CHECK_BOUND_MS);
    checks.push(check);
    closers.push(() => check.close());
  }
  checks.push(modelCheck(deps.defaultModel, CHECK_BOUND_MS));
  return {
    readiness: new Readiness(checks, deps.draining),
    close: () => {
      for (const close of closers) close();
    },
  };
}
