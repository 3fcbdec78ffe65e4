/**
 * The async generator behind `chats.events` and `chats.changes`: replays what the client missed
 * since `lastEventId`, then follows live events from the last one replayed, so there is no gap and
 * no duplicate between the two. When the hub cannot vouch for what was missed, the client gets
 * `reset` and events from the stream's newest on.
 */
import { tracked } from '@trpc/server';
import type { ChatEvent } from '../../shared/chat-events.ts';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import type { EventHub, EventMerge, HubEvent } from './event-hub.ts';

/**
 * Token deltas of one message published within one tick become one token event carrying their
 * concatenation; a client appends a delta to the message's text either way, so the text is the same.
 */
export const mergeTokenDeltas: EventMerge<ChatEvent> = {
  holds: (event) => event.type === 'token',
  combine: (pending, next) =>
    pending.type === 'token' && next.type === 'token' && pending.messageId === next.messageId && pending.threadId === next.threadId
      ? { ...pending, delta: pending.delta + next.delta }
      : undefined,
};

const RESET: ChatStreamEvent = {
  type: 'reset',
  reason: 'Some events since your last one are no longer available; reload the chat.',
};
const LOST = 'lost';

export function chatEventStream(
  hub: EventHub<ChatEvent>,
  chatId: string,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
) {
  return eventStream<ChatEvent, typeof RESET>(hub, chatId, RESET, lastEventId, signal);
}

/** One stream of a hub (`key`: a chat's id, or a person's), with `reset` as the event telling the client to reload. */
export async function* eventStream<T, R>(
  hub: EventHub<T>,
  key: string,
  reset: R,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
) {
  const queue: (HubEvent<T> | typeof LOST)[] = [];
  let wake: (() => void) | undefined;
  const push = (item: HubEvent<T> | typeof LOST) => {
    queue.push(item);
    wake?.();
  };
  let unsubscribe = () => {};
  const follow = (after: string) => {
    unsubscribe = hub.subscribe(key, push, { after, lost: () => push(LOST) });
  };
  const resetToNewest = async () => {
    const cursor = await hub.cursor(key);
    follow(cursor);
    return tracked<T | R>(cursor, reset);
  };
  const aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  try {
    if (!lastEventId) follow(await hub.cursor(key));
    else {
      const replay = await hub.replay(key, lastEventId);
      if (replay.ok) {
        follow(replay.events.at(-1)?.id ?? lastEventId);
        for (const event of replay.events) yield tracked<T | R>(event.id, event.data);
      } else yield await resetToNewest();
    }
    while (!signal?.aborted) {
      const item = queue.shift();
      if (!item) {
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
        wake = undefined;
      } else if (item === LOST) {
        unsubscribe();
        yield await resetToNewest();
      } else yield tracked<T | R>(item.id, item.data);
    }
  } finally {
    unsubscribe();
  }
}
