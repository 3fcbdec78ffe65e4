/** Real servers for tests: a temporary data folder, port 0, and a configuration built from a literal. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqliteAppDatabase } from '../../db/database.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger, type Logger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';

export function tempDir(prefix = 'countersign-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'error', ...env, DATA_DIR: env.DATA_DIR ?? tempDir() });
}

export interface TestServer extends RunningServer, AsyncDisposable {
  /** Test servers run embedded, so tests may read the SQLite file directly. */
  readonly db: SqliteAppDatabase;
  /**
   * Stops this server (if it is still running) and starts a new one on the same port and data
   * folder, with `env` added to its settings, as an operator restarts or upgrades one. The new
   * server owns the folder from then on: disposing this one does nothing.
   */
  restart(env?: Record<string, string>): Promise<TestServer>;
}

/** What no environment variable reaches. */
export interface Tuning {
  /** Milliseconds a person's handlers may stay idle before they are closed (HANDLER_IDLE_MINUTES says whole minutes). */
  handlerIdleMs?: number;
  /** A logger to read: debug lines count work done. */
  log?: Logger;
}

/**
 * Starts a whole server; `await using` (or calling `[Symbol.asyncDispose]` in an afterAll) stops
 * it and removes its data folder, a DATA_DIR given in `env` too.
 */
export async function startTestServer(env: Record<string, string> = {}, tuning: Tuning = {}): Promise<TestServer> {
  const base = testConfig(env);
  const config: Config = { ...base, mcp: { ...base.mcp, handlerIdleMs: tuning.handlerIdleMs ?? base.mcp.handlerIdleMs } };
  const server = await startServer(config, tuning.log ?? createLogger(config.logLevel));
  const { db } = server;
  if (db.kind !== 'sqlite') {
    await server.stop();
    throw new Error('startTestServer runs embedded (SQLite); start cluster instances as processes');
  }
  let handedOn = false;
  return {
    ...server,
    db,
    async restart(more = {}) {
      await server.stop();
      handedOn = true;
      return startTestServer({ ...env, ...more, DATA_DIR: config.dataDir, PORT: new URL(server.url).port }, tuning);
    },
    async [Symbol.asyncDispose]() {
      if (handedOn) return;
      await server.stop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
