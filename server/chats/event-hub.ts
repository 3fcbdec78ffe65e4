/**
 * Per-chat event streams with replay. Every event gets an id `<epoch>.<seq>`; the epoch changes
 * with each process, so an id from before a restart is recognised as unknown rather than
 * misread. A subscriber that reconnects with `lastEventId` gets exactly what it missed while
 * that is still buffered; otherwise it is told to reload the chat state.
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
}

export interface EventHubOptions {
  /** How long missed events stay replayable. */
  retentionMs: number;
  /** Upper bound of buffered events per chat, whatever their age. */
  maxEvents: number;
  now?: () => number;
}

export class EventHub<T> {
  readonly epoch = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  #streams = new Map<string, Stream<T>>();
  #now: () => number;

  constructor(private readonly options: EventHubOptions) {
    this.#now = options.now ?? Date.now;
  }

  publish(chatId: string, data: T): HubEvent<T> {
    const stream = this.#stream(chatId);
    const seq = ++stream.seq;
    stream.buffer.push({ seq, at: this.#now(), data });
    this.#trim(stream);
    const event = { id: `${this.epoch}.${seq}`, data };
    for (const listener of stream.listeners) listener(event);
    return event;
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
