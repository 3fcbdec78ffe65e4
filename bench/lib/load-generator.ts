/**
 * Load generator processes (load-child.ts) holding the bench's people between them: person i lives
 * in process i mod n, so each step of a ramp spreads over all of them. Requests go to every process
 * and their replies come back as one.
 */
import { join } from 'node:path';
import { spawnIpcChild, type IpcChild } from './ipc-child.ts';
import type { LoadReplies, LoadRequest, PersonResult, Placement, Range, TtftPair } from './load-child.ts';
import type { SignedInUser } from './server-child.ts';

export interface LoadGenerator extends AsyncDisposable {
  readonly processes: number;
  follow(range: Range, timeoutMs: number): Promise<number>;
  /** Everyone in `range` sends `<label> <their number>`, all at once. */
  send(range: Range, label: string): Promise<LoadReplies['send']>;
  answered(range: Range, timeoutMs: number): Promise<LoadReplies['answered']>;
  /** Waits (bounded) for the runs in `range` to end and returns each, checked against an answer of `tokens` tokens. */
  collect(range: Range, tokens: number, timeoutMs: number): Promise<PersonResult[]>;
  ttft(request: Omit<Extract<LoadRequest, { type: 'ttft' }>, 'type'>): Promise<TtftPair[]>;
  /** CPU of all the load generator processes together, µs, read at about the same clock() time. */
  cpu(): Promise<{ user: number; system: number; at: number }>;
  stop(): Promise<void>;
}

type Child = IpcChild<LoadRequest, LoadReplies>;

/**
 * Starts `processes` load generators and connects `users` (each then has one chat) to the server at
 * `url`, or to the instances `placement` gives person i.
 */
export async function startLoadGenerator(
  url: string,
  users: readonly SignedInUser[],
  processes: number,
  placement: (index: number) => Placement = () => ({ send: url, follow: url, origin: url }),
): Promise<LoadGenerator> {
  const script = join(import.meta.dir, 'load-child.ts');
  const children: Child[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => child.stop()));
  };
  try {
    for (let i = 0; i < processes; i++) {
      children.push(await spawnIpcChild<LoadRequest, LoadReplies, null>(script, { what: `load generator ${i}` }));
    }
    const timeout = 60_000 + users.length * 200;
    await Promise.all(
      children.map((child, c) =>
        child.call(
          {
            type: 'connect',
            people: users.flatMap((user, index) => (index % processes === c ? [{ index, user, placement: placement(index) }] : [])),
          },
          timeout,
        ),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const each = <T extends LoadRequest['type']>(request: Extract<LoadRequest, { type: T }>, timeoutMs?: number) =>
    Promise.all(children.map((child) => child.call(request, timeoutMs)));
  const sum = <R extends Record<string, unknown>>(replies: R[], key: keyof R) =>
    replies.reduce((total, r) => total + (r[key] as number), 0);
  return {
    processes,
    async follow(range, timeoutMs) {
      return sum(await each({ type: 'follow', ...range, timeoutMs }, 120_000), 'following');
    },
    async send(range, label) {
      const replies = await each({ type: 'send', ...range, label });
      return { sent: sum(replies, 'sent'), refused: replies.flatMap((r) => r.refused) };
    },
    async answered(range, timeoutMs) {
      const replies = await each({ type: 'answered', ...range, timeoutMs }, timeoutMs + 30_000);
      return { answered: sum(replies, 'answered'), endedWithout: sum(replies, 'endedWithout'), waiting: sum(replies, 'waiting') };
    },
    async collect(range, tokens, timeoutMs) {
      return (await each({ type: 'collect', ...range, tokens, timeoutMs }, timeoutMs + 30_000)).flat();
    },
    async ttft(request) {
      return (await each({ type: 'ttft', ...request }, 600_000)).flat();
    },
    async cpu() {
      const readings = await each({ type: 'cpu' });
      return { user: sum(readings, 'user'), system: sum(readings, 'system'), at: sum(readings, 'at') / readings.length };
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
