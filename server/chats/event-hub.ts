/**
 * Per-chat event streams with replay. Every event gets an id `<epoch>.<seq>`; the epoch changes
 * with each process, so an id from before a restart is recognised as unknown rather than
 * misread. A subscriber that reconnects with `lastEventId` gets exactly what it missed while
 * that is still buffered; otherwise it is told to reload the chat state.
 *
 * With `merge`, events a chat publishes within one event-loop tick that `merge` can combine (token
 * deltas of one message) become one event, published at the end of the tick (setImmediate): one
 * id, one buffered entry, one frame per watcher instead of one per token. Any other event for the
 * chat publishes the pending one first, so order is kept, and ids are given at publication, so
 * they stay consecutive and replay sees exactly what watchers saw.
 */
export interface HubEvent<T> {
  id: string;
  data: T;
}

export type ReplayResult<T> = { ok: true; events: HubEvent<T>[] } | { ok: false };

interface Stream<T> {
  seq: number;
  buffer: { seq: number; at: number; data: T }[];
  listeners: Set<(event: HubEvent<T>) => void>;
  /** An event held until the end of the tick, so later ones in the same tick can merge into it. */
  pending?: T;
}

/** Which events may wait for the end of the tick, and how two combine (see the top). */
export interface EventMerge<T> {
  holds: (data: T) => boolean;
  combine: (pending: T, next: T) => T | undefined;
}

export interface EventHubOptions<T> {
  /** How long missed events stay replayable. */
  retentionMs: number;
  /** Upper bound of buffered events per chat, whatever their age. */
  maxEvents: number;
  now?: () => number;
  /**
   * Combines an event held this tick with the next one for the same chat (their concatenation),
   * or returns undefined when they do not combine. Events `merge` may hold are those for which
   * `merge.holds` is true. Without it every event is published at once.
   */
  merge?: EventMerge<T>;
}

export class EventHub<T> {
  readonly epoch = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  #streams = new Map<string, Stream<T>>();
  #now: () => number;
  /** Chats with an event held until the end of the tick. */
  #held = new Set<string>();
  #flushScheduled = false;

  constructor(private readonly options: EventHubOptions<T>) {
    this.#now = options.now ?? Date.now;
  }

  /** Publishes at once, or at the end of the tick when `merge` holds it (see the top). */
  publish(chatId: string, data: T): void {
    const stream = this.#stream(chatId);
    const merge = this.options.merge;
    if (stream.pending !== undefined) {
      const combined = merge?.combine(stream.pending, data);
      if (combined !== undefined) {
        stream.pending = combined;
        return;
      }
      this.#flush(chatId, stream);
    }
    if (merge?.holds(data)) {
      stream.pending = data;
      this.#held.add(chatId);
      this.#scheduleFlush();
      return;
    }
    this.#emit(stream, data);
  }

  /** Publishes every held event now (also what the end of the tick does). */
  flush(): void {
    this.#flushScheduled = false;
    const held = [...this.#held];
    this.#held.clear();
    for (const chatId of held) {
      const stream = this.#streams.get(chatId);
      if (stream) this.#flush(chatId, stream);
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.flush());
  }

  #flush(chatId: string, stream: Stream<T>): void {
    const data = stream.pending;
    if (data === undefined) return;
    stream.pending = undefined;
    this.#held.delete(chatId);
    this.#emit(stream, data);
  }

  #emit(stream: Stream<T>, data: T): void {
    const seq = ++stream.seq;
    stream.buffer.push({ seq, at: this.#now(), data });
    this.#trim(stream);
    const event = { id: `${this.epoch}.${seq}`, data };
    for (const listener of stream.listeners) listener(event);
  }

  /** The id of the newest event, which a client that just loaded the chat state can resume from. */
  cursor(chatId: string): string {
    return `${this.epoch}.${this.#streams.get(chatId)?.seq ?? 0}`;
  }

  /** Events after `lastEventId`, or `ok: false` when some of them are no longer buffered. */
  replay(chatId: string, lastEventId: string): ReplayResult<T> {
    const [epoch, seqText] = lastEventId.split('.');
    const after = Number(seqText);
    if (epoch !== this.epoch || !Number.isSafeInteger(after) || after < 0) return { ok: false };
    const stream = this.#stream(chatId);
    this.#trim(stream);
    if (after > stream.seq) return { ok: false };
    const oldest = stream.buffer[0]?.seq ?? stream.seq + 1;
    if (after + 1 < oldest) return { ok: false };
    return {
      ok: true,
      events: stream.buffer.filter((e) => e.seq > after).map((e) => ({ id: `${this.epoch}.${e.seq}`, data: e.data })),
    };
  }

  subscribe(chatId: string, listener: (event: HubEvent<T>) => void): () => void {
    const stream = this.#stream(chatId);
    stream.listeners.add(listener);
    return () => stream.listeners.delete(listener);
  }

  /** Forgets a chat (deleted). */
  drop(chatId: string): void {
    this.#streams.delete(chatId);
    this.#held.delete(chatId);
  }

  #stream(chatId: string): Stream<T> {
    let stream = this.#streams.get(chatId);
    if (!stream) {
      stream = { seq: 0, buffer: [], listeners: new Set() };
      this.#streams.set(chatId, stream);
    }
    return stream;
  }

  #trim(stream: Stream<T>): void {
    const cutoff = this.#now() - this.options.retentionMs;
    let drop = 0;
    while (drop < stream.buffer.length && (stream.buffer.length - drop > this.options.maxEvents || stream.buffer[drop]!.at < cutoff))
      drop++;
    if (drop) stream.buffer.splice(0, drop);
  }
}
