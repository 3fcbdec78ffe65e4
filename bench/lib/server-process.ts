/**
 * Starts server-child.ts in its own process and talks to it over IPC. The child gets a temporary
 * DATA_DIR, loopback only, the embedded development sign-in, and Bun's outgoing-request cap
 * raised at process start (BUN_CONFIG_MAX_HTTP_REQUESTS is read only then), as `npm start` does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildReplies, ChildRequest } from './server-child.ts';
import { within } from './stats.ts';

export interface ServerProcess extends AsyncDisposable {
  readonly url: string;
  readonly dataDir: string;
  readonly pid: number;
  call<T extends ChildRequest['type']>(request: Extract<ChildRequest, { type: T }>, timeoutMs?: number): Promise<ChildReplies[T]>;
  stop(): Promise<void>;
}

const CHILD = join(import.meta.dir, 'server-child.ts');
/** Set to a folder to get a CPU profile (markdown) of each server process, written when it stops. */
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;

export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'countersign-bench-'));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const ready = Promise.withResolvers<string>();
  let nextId = 0;
  const profile = PROFILE_DIR ? ['--cpu-prof-md', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const child = Bun.spawn([process.execPath, ...profile, CHILD], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      SEED_CATALOGUE: 'true',
      BUN_CONFIG_MAX_HTTP_REQUESTS: '4096',
      MAX_HTTP_REQUESTS: '4096',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
    serialization: 'json',
    ipc(message: { ready?: string; id?: number; result?: unknown; error?: string }) {
      if (message.ready) return ready.resolve(message.ready);
      const waiter = pending.get(message.id!);
      pending.delete(message.id!);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    },
  });
  void child.exited.then((code) => {
    ready.reject(new Error(`the server process exited (${code}) before it was ready`));
    for (const waiter of pending.values()) waiter.reject(new Error(`the server process exited (${code})`));
  });
  const url = await within(ready.promise, 60_000, 'server start');

  const call = <T extends ChildRequest['type']>(request: Extract<ChildRequest, { type: T }>, timeoutMs = 120_000) => {
    const id = ++nextId;
    const reply = new Promise<ChildReplies[T]>((resolve, reject) => pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    child.send({ id, request });
    return within(reply, timeoutMs, `server process ${request.type}`);
  };
  const stop = async () => {
    if (child.exitCode === null) {
      await call({ type: 'stop' }, 30_000).catch(() => child.kill('SIGKILL'));
      await within(child.exited, 30_000, 'server process exit').catch(() => child.kill('SIGKILL'));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, pid: child.pid, call, stop, [Symbol.asyncDispose]: stop };
}
