/** Real servers for tests: a temporary data folder, port 0, and a configuration built from a literal. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger, type Logger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';

export function tempDir(prefix = 'countersign-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: tempDir(), LOG_LEVEL: 'error', ...env });
}

export interface TestServer extends RunningServer, AsyncDisposable {}

/** What no environment variable reaches. */
export interface Tuning {
  /** Milliseconds a person's handlers may stay idle before they are closed (HANDLER_IDLE_MINUTES says whole minutes). */
  handlerIdleMs?: number;
  /** A logger to read: debug lines count work done. */
  log?: Logger;
}

/** Starts a whole server; `await using` stops it and removes its data folder. */
export async function startTestServer(env: Record<string, string> = {}, tuning: Tuning = {}): Promise<TestServer> {
  const base = testConfig(env);
  const config: Config = { ...base, mcp: { ...base.mcp, handlerIdleMs: tuning.handlerIdleMs ?? base.mcp.handlerIdleMs } };
  const server = await startServer(config, tuning.log ?? createLogger(config.logLevel));
  return {
    ...server,
    async [Symbol.asyncDispose]() {
      await server.stop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
