/**
 * With a merge, events a chat publishes within one event-loop tick that the merge can combine (token
 * deltas of one message) become one event, passed on at the end of the tick (onNextTurn): one id,
 * one stored entry, one frame per watcher instead of one per token. Any other event for the chat
 * passes the pending one on first, so order is kept. Both hubs put this in front of their emit, so
 * ids are given at emission and replay sees exactly what watchers saw.
 */
import type { EventMerge } from './event-hub.ts';
import { onNextTurn } from '../next-turn.ts';

export class TickMerge<T> {
  /** Per chat, an event held until the end of the tick, so later ones in the same tick can merge into it. */
  readonly #pending = new Map<string, T>();
  #flushScheduled = false;

  constructor(
    private readonly merge: EventMerge<T> | undefined,
    private readonly emit: (chatId: string, data: T) => void,
  ) {}

  publish(chatId: string, data: T): void {
    const pending = this.#pending.get(chatId);
    if (pending !== undefined) {
      const combined = this.merge?.combine(pending, data);
      if (combined !== undefined) {
        this.#pending.set(chatId, combined);
        return;
      }
      this.#emitPending(chatId, pending);
    }
    if (this.merge?.holds(data)) {
      this.#pending.set(chatId, data);
      this.#scheduleFlush();
      return;
    }
    this.emit(chatId, data);
  }

  /** Passes every held event on now (also what the end of the tick does). */
  flush(): void {
    this.#flushScheduled = false;
    // Read afresh per chat: a listener called by an emit may publish, and so emit, another chat's pending event.
    for (const chatId of [...this.#pending.keys()]) {
      const data = this.#pending.get(chatId);
      if (data !== undefined) this.#emitPending(chatId, data);
    }
  }

  /** Forgets what a chat holds (deleted). */
  drop(chatId: string): void {
    this.#pending.delete(chatId);
  }

  #emitPending(chatId: string, data: T): void {
    this.#pending.delete(chatId);
    this.emit(chatId, data);
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    onNextTurn(() => this.flush());
  }
}
