/**
 * The async generator behind `chats.events`: replays what the client missed since `lastEventId`,
 * then follows live events, with no gap and no duplicate between the two (listening starts
 * before the replay, and anything already yielded is skipped by its sequence number).
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

const seqOf = (id: string) => Number(id.split('.')[1]);

export async function* chatEventStream(
  hub: EventHub<ChatEvent>,
  chatId: string,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
) {
  const queue: HubEvent<ChatEvent>[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = hub.subscribe(chatId, (event) => {
    queue.push(event);
    wake?.();
  });
  const aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  try {
    let last = seqOf(hub.cursor(chatId));
    if (lastEventId) {
      const replay = hub.replay(chatId, lastEventId);
      if (replay.ok) {
        last = seqOf(lastEventId);
        for (const event of replay.events) {
          last = seqOf(event.id);
          yield tracked(event.id, event.data as ChatStreamEvent);
        }
      } else {
        const reset: ChatStreamEvent = {
          type: 'reset',
          reason: 'Some events since your last one are no longer available; reload the chat.',
        };
        yield tracked(hub.cursor(chatId), reset);
      }
    }
    while (!signal?.aborted) {
      const event = queue.shift();
      if (!event) {
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
        wake = undefined;
        continue;
      }
      if (seqOf(event.id) <= last) continue;
      last = seqOf(event.id);
      yield tracked(event.id, event.data as ChatStreamEvent);
    }
  } finally {
    unsubscribe();
  }
}
