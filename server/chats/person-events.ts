/**
 * Each person's stream of changes to their chats (`chats.changes`): created, updated, deleted, and
 * their approval inbox. The same hubs as the chats' events, keyed by person id, so every tab of the
 * person, on any instance, hears of a change made in another, and a reconnect replays what it missed.
 */
import type { PersonEvent, PersonStreamEvent } from '../../shared/chats.ts';
import type { EventHub } from './event-hub.ts';
import { eventStream } from './event-stream.ts';

export type PersonEventHub = EventHub<PersonEvent>;

const RESET: PersonStreamEvent = {
  type: 'reset',
  reason: 'Some changes to your chats since your last event are no longer available; reload the list and the inbox.',
};

/** The async generator behind `chats.changes`. */
export function personEventStream(
  hub: PersonEventHub,
  userId: string,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
) {
  return eventStream<PersonEvent, typeof RESET>(hub, userId, RESET, lastEventId, signal);
}
