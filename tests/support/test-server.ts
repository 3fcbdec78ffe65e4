/** Real servers for tests: a temporary data folder, port 0, and a configuration built from a literal. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';

export function tempDir(prefix = 'countersign-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: tempDir(), LOG_LEVEL: 'error', ...env });
}

export interface TestServer extends RunningServer, AsyncDisposable {}

/** Starts a whole server; `await using` stops it and removes its data folder. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = testConfig(env);
  const server = await startServer(config, createLogger(config.logLevel));
  return {
    ...server,
    async [Symbol.asyncDispose]() {
      await server.stop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
