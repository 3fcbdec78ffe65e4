/**
 * Starts server-child.ts in its own process and talks to it over IPC. The child gets a temporary
 * DATA_DIR, loopback only, the embedded development sign-in, and Bun's outgoing-request cap
 * raised at process start (BUN_CONFIG_MAX_HTTP_REQUESTS is read only then), as `npm start` does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnIpcChild } from './ipc-child.ts';
import type { ChildReplies, ChildRequest } from './server-child.ts';

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
  try {
    const child = await spawnIpcChild<ChildRequest, ChildReplies, string>(CHILD, {
      what: 'the server process',
      bunFlags: PROFILE_DIR ? ['--cpu-prof-md', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
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
    });
    const stop = async () => {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
    return { url: child.ready, dataDir, pid: child.pid, call: child.call, stop, [Symbol.asyncDispose]: stop };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
