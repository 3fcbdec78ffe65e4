/**
 * Countersign as operators run it (`bun server/main.ts`) on a data folder of the test's, so a test
 * can signal it (SIGTERM: a graceful stop) and probe it meanwhile.
 */
import { join } from 'node:path';
import { eventually } from '../support/eventually.ts';
import { LoggedProcess } from '../support/logged-process.ts';
import { freePort } from '../support/ports.ts';

const MAIN = join(import.meta.dir, '..', '..', 'server', 'main.ts');

export interface ServerProcess {
  readonly url: string;
  readonly process: LoggedProcess;
}

export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = new LoggedProcess('countersign', [process.execPath, MAIN], {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    // Set at spawn, so main.ts does not start itself a second time and a signal reaches the server itself.
    BUN_CONFIG_MAX_HTTP_REQUESTS: '4096',
    ...env,
  });
  await eventually(
    async () => {
      if (!proc.running) throw new Error(`server/main.ts exited before it answered:\n${proc.output()}`);
      return (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200;
    },
    'the server to answer /healthz',
    60_000,
  );
  return { url, process: proc };
}
