/**
 * Chat events on Redis Streams (cluster mode): one stream per chat, the stream entry id is the event
 * id, so every instance sees every chat's events in one order and a reconnect to any instance resumes
 * exactly. XADD trims the stream to the replay window and the key expires a little after it, so an
 * idle chat leaves nothing behind.
 *
 * Exactness: each entry names the entry before it (`p`). A follower at position P accepts the next
 * entry only if it names P; anything else means entries after P were trimmed, or the stream was
 * lost and started again (a Redis restart, an expired key): the follower is told it lost track and
 * reloads, never a silent gap. Redis does not record what MINID trimming removed (7.0:
 * max-deleted-entry-id stays 0-0), which is why the chain is kept in the entries.
 *
 * Live delivery: one connection per instance blocks in XREAD on the streams of the chats followed
 * here, from the oldest position among their followers, plus a wake stream of its own that the hub
 * appends to when that set changes. The publishing instance receives its own events the same way.
 */
import type { RedisClient } from 'bun';
import { connectRedis, INSTANCE_ID, type RedisTarget, reconnectDelayMs } from '../cluster/redis.ts';
import type { Logger } from '../log.ts';
import type { EventHub, EventHubOptions, HubEvent, ReplayResult, SubscribeOptions } from './event-hub.ts';
import { TickMerge } from './tick-merge.ts';

/**
 * Appends one entry naming its predecessor, trims to the window and renews the expiry, atomically.
 * Sent whole with EVAL, not through RedisScript's EVALSHA-then-EVAL: a NOSCRIPT retry would go out
 * behind appends pipelined after it, and the order of a chat's events is the point of this file.
 */
const APPEND = `
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[1], '*', 'p', newest and newest[1] or '0-0', ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return id`;

/** Entries read per stream per XREAD: bounds one reply, not what is delivered. */
const BATCH = 1_000;
/** The key outlives the window by this much, so trimming, not expiry, ends an active chat's entries. */
const EXPIRY_MARGIN_MS = 60_000;
const STREAM_ID = /^\d{1,15}-\d{1,15}$/;
const START = '0-0';

type RawEntry = [id: string, fields: string[]];
/** `data` undefined: a marker saying events were lost here (an append that Redis did not take). */
interface Entry<T> {
  id: string;
  prev: string;
  data: T | undefined;
}

interface Follower<T> {
  /** The id of the last event delivered; undefined until the chat's newest id is known. */
  last: string | undefined;
  listener: (event: HubEvent<T>) => void;
  lost?: () => void;
}

interface Followed<T> {
  key: string;
  followers: Set<Follower<T>>;
}

export interface RedisEventHubOptions<T> extends EventHubOptions<T> {
  redis: RedisTarget;
  log: Logger;
}

export class RedisEventHub<T> implements EventHub<T> {
  readonly #writer: RedisClient;
  readonly #reader: RedisClient;
  readonly #merge: TickMerge<T>;
  readonly #now: () => number;
  readonly #wakeKey: string;
  #wakeId = START;
  /** By stream key. */
  readonly #followed = new Map<string, Followed<T>>();
  /** An XREAD is blocked with the current set of streams; `#woken`: the wake is already on its way. */
  #blocked = false;
  #woken = false;
  /** Chats whose loss marker is still to be written. */
  readonly #broken = new Set<string>();
  #closed = false;
  readonly #reading: Promise<void>;

  constructor(private readonly options: RedisEventHubOptions<T>) {
    this.#writer = connectRedis(options.redis);
    this.#reader = connectRedis(options.redis);
    this.#now = options.now ?? Date.now;
    // Its own per hub: a test or bench may run several hubs in one process.
    this.#wakeKey = `${options.redis.keyPrefix}events:wake:${INSTANCE_ID}:${crypto.randomUUID().slice(0, 8)}`;
    this.#merge = new TickMerge(options.merge, (chatId, data) => this.#emit(chatId, data));
    this.#reading = this.#read();
  }

  publish(chatId: string, data: T): void {
    this.#merge.publish(chatId, data);
  }

  async cursor(chatId: string): Promise<string> {
    const newest = (await this.#writer.send('XREVRANGE', [this.#key(chatId), '+', '-', 'COUNT', '1'])) as RawEntry[];
    return newest[0]?.[0] ?? START;
  }

  async replay(chatId: string, lastEventId: string): Promise<ReplayResult<T>> {
    if (!STREAM_ID.test(lastEventId)) return { ok: false };
    // Inclusive of lastEventId: when it is still there, so is everything after it.
    const raw = (await this.#writer.send('XRANGE', [this.#key(chatId), lastEventId, '+'])) as RawEntry[];
    if (raw.length === 0) return lastEventId === START ? { ok: true, events: [] } : { ok: false };
    const events: HubEvent<T>[] = [];
    let last = lastEventId;
    for (const entry of raw.map(parseEntry<T>)) {
      if (entry.id === lastEventId) continue;
      if (entry.prev !== last || entry.data === undefined) return { ok: false };
      events.push({ id: entry.id, data: entry.data });
      last = entry.id;
    }
    return { ok: true, events };
  }

  subscribe(chatId: string, listener: (event: HubEvent<T>) => void, options: SubscribeOptions = {}): () => void {
    const key = this.#key(chatId);
    const followed = this.#followed.get(key) ?? { key, followers: new Set() };
    this.#followed.set(key, followed);
    const follower: Follower<T> = { last: undefined, listener, lost: options.lost };
    followed.followers.add(follower);
    const start = (after: string) => {
      if (!followed.followers.has(follower)) return;
      if (!STREAM_ID.test(after)) return this.#lose(followed, follower);
      follower.last = after;
      this.#wake();
    };
    if (options.after !== undefined) start(options.after);
    else this.cursor(chatId).then(start, () => this.#lose(followed, follower));
    return () => void this.#unfollow(followed, follower);
  }

  async drop(chatId: string): Promise<void> {
    this.#merge.drop(chatId);
    await this.#writer.send('DEL', [this.#key(chatId)]);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#merge.flush();
    this.#closed = true;
    // Commands on one connection run in order: this answers after every append sent before it.
    await this.#writer.send('DEL', [this.#wakeKey]).catch(() => {});
    this.#reader.close();
    this.#writer.close();
    await this.#reading;
  }

  #key(chatId: string): string {
    return `${this.options.redis.keyPrefix}chat:${chatId}:events`;
  }

  #emit(chatId: string, data: T): void {
    // Not awaited: commands on one connection are pipelined and run in the order sent.
    this.#append(chatId, 'd', JSON.stringify(data)).catch((error) => this.#appendFailed(chatId, error));
  }

  #append(chatId: string, field: 'd' | 'g', value: string): Promise<string> {
    const retention = this.options.retentionMs;
    const minId = String(Math.max(0, this.#now() - retention));
    return this.#writer.send('EVAL', [APPEND, '1', this.#key(chatId), minId, field, value, String(retention + EXPIRY_MARGIN_MS)]);
  }

  /** An event Redis did not take is lost: a marker in its place tells every follower, on every instance, to reload. */
  async #appendFailed(chatId: string, error: unknown): Promise<void> {
    this.options.log.error('A chat event was lost: Redis did not take it; followers of the chat will reload', { chatId, error });
    if (this.#broken.has(chatId)) return;
    this.#broken.add(chatId);
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        await this.#append(chatId, 'g', '1');
        break;
      } catch {
        await Bun.sleep(reconnectDelayMs(attempt));
      }
    }
    this.#broken.delete(chatId);
  }

  /** Makes the blocked XREAD return, so the next one reads the current set of streams from their positions. */
  #wake(): void {
    if (!this.#blocked || this.#woken) return;
    this.#woken = true;
    this.#writer.send('XADD', [this.#wakeKey, 'MAXLEN', '1', '*', 'w', '1']).catch(() => {});
    // A process that dies keeps no key forever.
    this.#writer.send('PEXPIRE', [this.#wakeKey, String(24 * 3_600_000)]).catch(() => {});
  }

  async #read(): Promise<void> {
    for (let failures = 0; !this.#closed; ) {
      const reads = [...this.#followed.values()].flatMap((followed) => {
        const from = oldest(followed);
        return from === undefined ? [] : [{ followed, from }];
      });
      let reply: Record<string, RawEntry[]> | null;
      this.#blocked = true;
      this.#woken = false;
      try {
        const keys = reads.map((r) => r.followed.key);
        const ids = reads.map((r) => r.from);
        reply = await this.#reader.send('XREAD', [
          'COUNT',
          String(BATCH),
          'BLOCK',
          '0',
          'STREAMS',
          this.#wakeKey,
          ...keys,
          this.#wakeId,
          ...ids,
        ]);
        failures = 0;
      } catch (error) {
        if (this.#closed) return;
        this.options.log.warn('Reading chat events from Redis failed; retrying', { error, attempt: failures + 1 });
        await Bun.sleep(reconnectDelayMs(failures++));
        continue;
      } finally {
        this.#blocked = false;
      }
      const wake = reply?.[this.#wakeKey];
      if (wake?.length) this.#wakeId = wake.at(-1)![0];
      for (const { followed, from } of reads) {
        const raw = reply?.[followed.key];
        if (raw?.length) this.#deliver(followed, from, raw.map(parseEntry<T>));
      }
    }
  }

  /** Entries read after `from`, to each follower whose position the read covered, from its position on. */
  #deliver(followed: Followed<T>, from: string, entries: Entry<T>[]): void {
    for (const follower of [...followed.followers]) {
      // Joined behind `from` while the read was in flight: the next read starts at its position.
      if (follower.last === undefined || compareIds(follower.last, from) < 0) continue;
      for (const entry of entries) {
        if (!followed.followers.has(follower)) break;
        if (compareIds(entry.id, follower.last) <= 0) continue;
        if (entry.prev !== follower.last || entry.data === undefined) {
          this.#lose(followed, follower);
          break;
        }
        follower.last = entry.id;
        follower.listener({ id: entry.id, data: entry.data });
      }
    }
  }

  #lose(followed: Followed<T>, follower: Follower<T>): void {
    if (this.#unfollow(followed, follower)) queueMicrotask(() => follower.lost?.());
  }

  /** Whether the follower was still following. The XREAD in flight may still name the stream; the next one will not. */
  #unfollow(followed: Followed<T>, follower: Follower<T>): boolean {
    if (!followed.followers.delete(follower)) return false;
    if (followed.followers.size === 0 && this.#followed.get(followed.key) === followed) this.#followed.delete(followed.key);
    return true;
  }
}

function parseEntry<T>([id, fields]: RawEntry): Entry<T> {
  // Fields as APPEND writes them: p <prev> d <json> (an event) or p <prev> g 1 (a loss marker).
  return { id, prev: fields[1]!, data: fields[2] === 'd' ? (JSON.parse(fields[3]!) as T) : undefined };
}

function oldest<T>(followed: Followed<T>): string | undefined {
  let from: string | undefined;
  for (const { last } of followed.followers) if (last !== undefined && (from === undefined || compareIds(last, from) < 0)) from = last;
  return from;
}

function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number) as [number, number];
  const [bMs, bSeq] = b.split('-').map(Number) as [number, number];
  return aMs - bMs || aSeq - bSeq;
}
