/**
 * Countersign as its own process, started as operators run it (`bun server/main.ts`), on a data
 * folder (and port) that outlive it: a test can stop it gracefully (`process.kill('SIGTERM')`),
 * kill it without warning (`crash()`: no graceful shutdown) and start it again on the same data;
 * its output is kept, to be shown when it exits unexpectedly.
 */
import { join } from 'node:path';
import { eventually } from './eventually.ts';
import { LoggedProcess } from './logged-process.ts';
import { freePort } from './ports.ts';

const MAIN = join(import.meta.dir, '..', '..', 'server', 'main.ts');

export interface MainProcess {
  url: string;
  process: LoggedProcess;
  /** Kills the process at once, as a crash or power loss would. */
  crash(): Promise<void>;
}

export async function startMainProcess(options: { dataDir: string; port?: number; env?: Record<string, string> }): Promise<MainProcess> {
  const port = options.port ?? freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = new LoggedProcess('countersign', [process.execPath, MAIN], {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'error',
    // Set at spawn, so main.ts does not start itself a second time and a signal reaches the server itself.
    BUN_CONFIG_MAX_HTTP_REQUESTS: '4096',
    ...options.env,
  });
  await eventually(
    async () => {
      if (!proc.running) throw new Error(`server/main.ts exited before it answered:\n${proc.output()}`);
      return (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200;
    },
    'the server to answer /healthz',
    60_000,
  );
  return {
    url,
    process: proc,
    async crash() {
      await proc.kill('SIGKILL');
    },
  };
}
