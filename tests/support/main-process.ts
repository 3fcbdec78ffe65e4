/**
 * Countersign as its own process, started as in production (`bun server/main.ts`), on a port and
 * data folder that outlive it, so a test can kill it without warning (SIGKILL: no graceful
 * shutdown) and start it again on the same data.
 */
import { trackChild } from './child-processes.ts';
import { join } from 'node:path';
import { eventually } from './eventually.ts';

const MAIN = join(import.meta.dir, '..', '..', 'server', 'main.ts');

export interface MainProcess {
  url: string;
  /** Kills the process at once, as a crash or power loss would. */
  crash(): Promise<void>;
}

export async function startMainProcess(options: { port: number; dataDir: string; env?: Record<string, string> }): Promise<MainProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const proc = trackChild(
    Bun.spawn([process.execPath, MAIN], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(options.port),
        DATA_DIR: options.dataDir,
        LOG_LEVEL: 'error',
        // Set at spawn, so main.ts does not start itself a second time and a kill reaches the server itself.
        BUN_CONFIG_MAX_HTTP_REQUESTS: '4096',
        ...options.env,
      },
      stdout: 'ignore',
      stderr: 'ignore',
    }),
  );
  await eventually(
    async () => {
      if (proc.exitCode !== null) throw new Error(`server/main.ts exited with ${proc.exitCode} before it was healthy`);
      return (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200;
    },
    'the server to be healthy',
    30_000,
  );
  return {
    url,
    async crash() {
      proc.kill('SIGKILL');
      await proc.exited;
    },
  };
}
