/**
 * Per-chat event streams with replay: what every open tab of a chat follows, and what a client that
 * reconnects with `lastEventId` catches up from. Event ids are opaque to clients and ordered within
 * a chat. A subscriber gets every event after its position, in order, exactly once, or is told it
 * lost track (then it reloads the chat state). Two implementations: LocalEventHub (one process) and
 * RedisEventHub (cluster mode, every instance sees every chat); TickMerge sits in front of both.
 */
export interface HubEvent<T> {
  id: string;
  data: T;
}

export type ReplayResult<T> = { ok: true; events: HubEvent<T>[] } | { ok: false };

export interface SubscribeOptions {
  /** Deliver every event after this id (a cursor or an event id); without it, from the chat's newest event on. */
  after?: string;
  /** Called once when events after the subscriber's position can no longer all be delivered; nothing follows. */
  lost?: () => void;
}

export interface EventHub<T> {
  /** Publishes in order; token deltas of one tick may be merged into one event (TickMerge). */
  publish(chatId: string, data: T): void;
  /** The id of the newest event, which a client that just loaded the chat state can resume from. */
  cursor(chatId: string): Promise<string>;
  /** Events after `lastEventId`, or `ok: false` when some of them are no longer available. */
  replay(chatId: string, lastEventId: string): Promise<ReplayResult<T>>;
  /** Follows a chat's events; returns the function that stops following. */
  subscribe(chatId: string, listener: (event: HubEvent<T>) => void, options?: SubscribeOptions): () => void;
  /** Forgets a chat (deleted) and its events. */
  drop(chatId: string): Promise<void>;
  /** Publishes held events, then releases what the hub holds (connections). */
  close(): Promise<void>;
}

/** Which events may wait for the end of the tick, and how two combine (see TickMerge). */
export interface EventMerge<T> {
  holds: (data: T) => boolean;
  combine: (pending: T, next: T) => T | undefined;
}

export interface EventHubOptions<T> {
  /** How long missed events stay replayable. */
  retentionMs: number;
  now?: () => number;
  /**
   * Combines an event held this tick with the next one for the same chat (their concatenation),
   * or returns undefined when they do not combine. Without it every event is published at once.
   */
  merge?: EventMerge<T>;
}
