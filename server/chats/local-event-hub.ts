/**
 * The event hub of one process (no Redis configured). Every event gets an id `<epoch>.<seq>`; the
 * epoch changes with each process, so an id from before a restart is recognised as unknown rather
 * than misread. Events stay replayable for the retention time, up to `maxEvents` per chat.
 */
import type { EventHub, EventHubOptions, HubEvent, ReplayResult, SubscribeOptions } from './event-hub.ts';
import { TickMerge } from './tick-merge.ts';

interface Stream<T> {
  seq: number;
  buffer: { seq: number; at: number; data: T }[];
  listeners: Set<(event: HubEvent<T>) => void>;
}

export interface LocalEventHubOptions<T> extends EventHubOptions<T> {
  /** Upper bound of buffered events per chat, whatever their age. */
  maxEvents: number;
}

export class LocalEventHub<T> implements EventHub<T> {
  readonly epoch = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  readonly #streams = new Map<string, Stream<T>>();
  readonly #now: () => number;
  readonly #merge: TickMerge<T>;

  constructor(private readonly options: LocalEventHubOptions<T>) {
    this.#now = options.now ?? Date.now;
    this.#merge = new TickMerge(options.merge, (chatId, data) => this.#emit(this.#stream(chatId), data));
  }

  publish(chatId: string, data: T): void {
    this.#merge.publish(chatId, data);
  }

  async cursor(chatId: string): Promise<string> {
    return this.#id(this.#streams.get(chatId)?.seq ?? 0);
  }

  async replay(chatId: string, lastEventId: string): Promise<ReplayResult<T>> {
    return this.#replay(chatId, lastEventId);
  }

  subscribe(chatId: string, listener: (event: HubEvent<T>) => void, options: SubscribeOptions = {}): () => void {
    const stream = this.#stream(chatId);
    if (options.after !== undefined) {
      // Synchronous: nothing can be emitted between the catch-up and joining the listeners.
      const missed = this.#replay(chatId, options.after);
      if (!missed.ok) {
        queueMicrotask(() => options.lost?.());
        return () => {};
      }
      for (const event of missed.events) listener(event);
    }
    stream.listeners.add(listener);
    return () => stream.listeners.delete(listener);
  }

  async drop(chatId: string): Promise<void> {
    this.#streams.delete(chatId);
    this.#merge.drop(chatId);
  }

  async close(): Promise<void> {
    this.#merge.flush();
  }

  #replay(chatId: string, lastEventId: string): ReplayResult<T> {
    const [epoch, seqText] = lastEventId.split('.');
    const after = Number(seqText);
    if (epoch !== this.epoch || !Number.isSafeInteger(after) || after < 0) return { ok: false };
    const stream = this.#stream(chatId);
    this.#trim(stream);
    if (after > stream.seq) return { ok: false };
    const oldest = stream.buffer[0]?.seq ?? stream.seq + 1;
    if (after + 1 < oldest) return { ok: false };
    return { ok: true, events: stream.buffer.filter((e) => e.seq > after).map((e) => ({ id: this.#id(e.seq), data: e.data })) };
  }

  #emit(stream: Stream<T>, data: T): void {
    const seq = ++stream.seq;
    stream.buffer.push({ seq, at: this.#now(), data });
    this.#trim(stream);
    const event = { id: this.#id(seq), data };
    for (const listener of stream.listeners) listener(event);
  }

  #id(seq: number): string {
    return `${this.epoch}.${seq}`;
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
