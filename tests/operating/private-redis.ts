/** A Redis of the test's own on a port of its own, so a test can take it away and bring it back. */
import { RedisClient } from 'bun';
import { eventually } from '../support/eventually.ts';
import { LoggedProcess } from '../support/logged-process.ts';
import { freePort } from '../support/ports.ts';

export interface PrivateRedis {
  readonly url: string;
  /** Stops it (SIGKILL: Redis gone at once, as a crash or a network cut looks to its clients). */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers PING. */
  start(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = freePort();
  const url = `redis://127.0.0.1:${port}`;
  let proc: LoggedProcess | undefined;
  const start = async () => {
    proc = new LoggedProcess(
      'redis',
      ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {},
    );
    await eventually(async () => {
      if (!proc?.running) throw new Error(`redis-server exited:\n${proc?.output()}`);
      const client = new RedisClient(url, { autoReconnect: false, connectionTimeout: 1_000 });
      try {
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        client.close();
      }
    }, `redis-server on port ${port}`);
  };
  await start();
  return {
    url,
    start,
    async stop() {
      await proc?.kill('SIGKILL');
    },
  };
}
