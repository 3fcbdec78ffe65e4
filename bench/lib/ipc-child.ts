/**
 * A bench process of its own (the server, the LLM stand-in, a load generator), driven by the bench
 * over Bun's IPC: the parent sends `{ id, request }`, the child answers `{ id, result }` or
 * `{ id, error }`. Each part of a measurement runs in its own process so each one's CPU and event
 * loop are its own. Structured-clone serialisation, so typed arrays and maps cross as they are.
 */
import { within } from './stats.ts';

interface Reply {
  ready?: unknown;
  id?: number;
  result?: unknown;
  error?: string;
}

export interface IpcChild<Request extends { type: string }, Replies extends { [K in Request['type']]: unknown }> {
  readonly pid: number;
  call<T extends Request['type']>(request: Extract<Request, { type: T }>, timeoutMs?: number): Promise<Replies[T]>;
  /** Asks the child to stop (its `stop` request), and kills it if it has not exited within 30 s. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** For error messages: "the server process", … */
  what: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Bun flags before the script, e.g. a CPU profile. */
  bunFlags?: string[];
  readyTimeoutMs?: number;
}

export async function spawnIpcChild<Request extends { type: string }, Replies extends { [K in Request['type']]: unknown }, Ready>(
  script: string,
  options: SpawnOptions,
): Promise<IpcChild<Request, Replies> & { ready: Ready }> {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const ready = Promise.withResolvers<Ready>();
  let nextId = 0;
  const child = Bun.spawn([process.execPath, ...(options.bunFlags ?? []), script, ...(options.args ?? [])], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit'],
    serialization: 'advanced',
    ipc(message: Reply) {
      if ('ready' in message) return ready.resolve(message.ready as Ready);
      const waiter = pending.get(message.id!);
      pending.delete(message.id!);
      if (message.error !== undefined) waiter?.reject(new Error(`${options.what}: ${message.error}`));
      else waiter?.resolve(message.result);
    },
  });
  void child.exited.then((code) => {
    ready.reject(new Error(`${options.what} exited (${code}) before it was ready`));
    for (const waiter of pending.values()) waiter.reject(new Error(`${options.what} exited (${code})`));
    pending.clear();
  });
  const readyValue = await within(ready.promise, options.readyTimeoutMs ?? 60_000, `${options.what} start`).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  const call = <T extends Request['type']>(request: Extract<Request, { type: T }>, timeoutMs = 120_000) => {
    const id = ++nextId;
    const reply = new Promise<Replies[T]>((resolve, reject) => pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    child.send({ id, request });
    return within(reply, timeoutMs, `${options.what} ${request.type}`);
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    await call({ type: 'stop' } as Extract<Request, { type: 'stop' }>, 30_000).catch(() => child.kill('SIGKILL'));
    await within(child.exited, 30_000, `${options.what} exit`).catch(() => child.kill('SIGKILL'));
  };
  return { pid: child.pid, ready: readyValue, call, stop };
}

/**
 * The child's side: answers each request with `answer`, then tells the parent it is ready with
 * `ready`. A `stop` request is answered first and the process exits just after.
 */
export function serveParent<Request extends { type: string }>(answer: (request: Request) => unknown, ready: unknown): void {
  process.on('message', (message: { id: number; request: Request }) => {
    Promise.resolve()
      .then(() => answer(message.request))
      .then(
        (result) => process.send!({ id: message.id, result }),
        (error: unknown) => process.send!({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
      )
      .then(() => {
        if (message.request.type === 'stop') setTimeout(() => process.exit(0), 10);
      });
  });
  process.send!({ ready });
}
