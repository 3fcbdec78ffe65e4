/**
 * People using the server as another service would: the typed client (shared/client.ts), everything
 * over its WebSocket, and one chat subscription per turn that records each event with its arrival time.
 */
import { createCountersignClient, type CountersignClient } from '../../shared/client.ts';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import type { SignedInUser } from './server-child.ts';
import { clock, within } from './stats.ts';

export interface BenchUser extends SignedInUser {
  client: CountersignClient;
}

/** `origin`: the app's public origin, when people reach instances directly rather than at it. */
export function connectUser(url: string, user: SignedInUser, origin = url): BenchUser {
  // Origin as a browser on the app's own origin sends it; the server refuses any other.
  const client = createCountersignClient({ url, headers: { cookie: user.cookie, origin }, allOverWebSocket: true });
  return { ...user, client };
}

export interface Arrival {
  id: string | undefined;
  /** clock(), ms: comparable with the stand-in's emission times in its own process. */
  at: number;
  event: ChatStreamEvent;
}

export interface Turn {
  arrivals: Arrival[];
  /** When the send was issued (clock()); NaN until `send`. */
  sentAt: number;
  /** Sends the person's message; the answer's events arrive in `arrivals`. */
  send(text: string): Promise<void>;
  /** Resolves when the run ends (idle or failed) with the final status; bounded by the timeout. */
  finished: Promise<string>;
  /** Resolves when the answer's first token has arrived; not bounded (the caller bounds it). */
  firstToken: Promise<void>;
}

/**
 * Subscribes to the chat's events from its current cursor; `send` then starts the turn, through
 * `sender` (the same person on another instance, in cluster mode) or the same client.
 */
export async function followChat(user: BenchUser, chatId: string, timeoutMs: number, sender: BenchUser = user): Promise<Turn> {
  const api = user.client.api;
  const { cursor } = await api.chats.get.query({ chatId });
  const arrivals: Arrival[] = [];
  const started = Promise.withResolvers<void>();
  const ended = Promise.withResolvers<string>();
  const firstToken = Promise.withResolvers<void>();
  const subscription = api.chats.events.subscribe(
    { chatId, lastEventId: cursor },
    {
      onStarted: () => started.resolve(),
      onData: (tracked) => {
        const event = tracked.data as ChatStreamEvent;
        arrivals.push({ id: tracked.id, at: clock(), event });
        if (event.type === 'token') firstToken.resolve();
        if (event.type === 'run_state' && (event.state.status === 'idle' || event.state.status === 'failed'))
          ended.resolve(event.state.status);
        if (event.type === 'reset') ended.resolve('reset');
      },
      onError: (error) => ended.reject(error),
    },
  );
  try {
    await within(started.promise, timeoutMs, 'subscription start');
  } catch (error) {
    subscription.unsubscribe();
    throw error;
  }
  const turn: Turn = {
    arrivals,
    sentAt: Number.NaN,
    async send(text) {
      turn.sentAt = clock();
      await sender.client.api.chats.send.mutate({ chatId, text });
    },
    finished: within(ended.promise, timeoutMs, `turn of ${user.userId}`).finally(() => subscription.unsubscribe()),
    firstToken: firstToken.promise,
  };
  // Awaited by the caller after `send`; a subscription that errs before then is not an unhandled rejection.
  turn.finished.catch(() => {});
  return turn;
}

/** The token events of a turn, in arrival order. */
export function tokensOf(turn: Pick<Turn, 'arrivals'>): { at: number; delta: string }[] {
  return turn.arrivals.flatMap((a) => (a.event.type === 'token' ? [{ at: a.at, delta: a.event.delta }] : []));
}

export interface StreamCheck {
  lost: number;
  duplicated: number;
  outOfOrder: number;
}

/**
 * An event id as numbers to compare: `<epoch>.<seq>` from the in-process hub, whose sequence has
 * no gaps, or `<ms>-<seq>` from Redis Streams (cluster mode), which only goes up.
 */
function eventPosition(id: string | undefined): { at: number[]; gapless: boolean } {
  if (id?.includes('-')) return { at: id.split('-').map(Number), gapless: false };
  return { at: [Number(id?.split('.')[1])], gapless: true };
}

/**
 * Checks a turn's events against what was sent: event ids must go up (by exactly one where the
 * hub's ids have no gaps: no gap, no repeat), and tokens must be `w0 `, `w1 `, … with none missing
 * or repeated.
 */
export function checkStream(turn: Pick<Turn, 'arrivals'>, expectedTokens: number): StreamCheck {
  const result: StreamCheck = { lost: 0, duplicated: 0, outOfOrder: 0 };
  let previous: number[] | undefined;
  for (const { id } of turn.arrivals) {
    const { at, gapless } = eventPosition(id);
    if (previous !== undefined) {
      const order = at[0]! - previous[0]! || (at[1] ?? 0) - (previous[1] ?? 0);
      if (order === 0) result.duplicated++;
      else if (order < 0) result.outOfOrder++;
      else if (gapless) result.lost += at[0]! - previous[0]! - 1;
    }
    previous = at;
  }
  const seen = new Map<number, number>();
  let last = -1;
  for (const { delta } of tokensOf(turn)) {
    for (const match of delta.matchAll(/w(\d+) /g)) {
      const index = Number(match[1]);
      seen.set(index, (seen.get(index) ?? 0) + 1);
      if (index < last) result.outOfOrder++;
      last = index;
    }
  }
  for (let i = 0; i < expectedTokens; i++) {
    const count = seen.get(i) ?? 0;
    if (count === 0) result.lost++;
    if (count > 1) result.duplicated += count - 1;
  }
  return result;
}
