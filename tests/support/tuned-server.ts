/**
 * A whole server as startTestServer starts one, for tests that need what no environment variable
 * reaches: a logger to read (debug lines count work done), or an idle time shorter than
 * HANDLER_IDLE_MINUTES can say in whole minutes.
 */
import { rmSync } from 'node:fs';
import type { Config } from '../../server/config.ts';
import { createLogger, type Logger } from '../../server/log.ts';
import { startServer } from '../../server/server.ts';
import { testConfig, type TestServer } from './test-server.ts';

export interface Tuning {
  env?: Record<string, string>;
  /** Milliseconds a person's handlers may stay idle before they are closed. */
  handlerIdleMs?: number;
  log?: Logger;
}

export async function startTunedServer({ env, handlerIdleMs, log }: Tuning): Promise<TestServer> {
  const base = testConfig(env);
  const config: Config = { ...base, mcp: { ...base.mcp, handlerIdleMs: handlerIdleMs ?? base.mcp.handlerIdleMs } };
  const server = await startServer(config, log ?? createLogger(config.logLevel));
  return {
    ...server,
    async [Symbol.asyncDispose]() {
      await server.stop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
