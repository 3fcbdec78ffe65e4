/**
 * Chat events as two servers of one deployment see them: published on one instance's hub, followed
 * on another's (Redis), and the same behaviours of the in-process hub, where both are one hub.
 * Every follower gets every event in order exactly once, token deltas of one tick merged; a
 * reconnect gets exactly the rest or, when that is gone, reset.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { RedisClient } from 'bun';
import type { EventHub, HubEvent } from '../../server/chats/event-hub.ts';
import { chatEventStream, mergeTokenDeltas } from '../../server/chats/event-stream.ts';
import { LocalEventHub } from '../../server/chats/local-event-hub.ts';
import { RedisEventHub } from '../../server/chats/redis-event-hub.ts';
import { createLogger } from '../../server/log.ts';
import type { ChatEvent } from '../../shared/chat-events.ts';
import { eventually } from '../support/eventually.ts';
import { createTestRedis, type TestRedis } from '../support/services.ts';

const RETENTION_MS = 60_000;
const THREAD = 'thread-1';
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const token = (delta: string, messageId = 'm1'): ChatEvent => ({ type: 'token', threadId: THREAD, messageId, delta });
const progress = (n: number): ChatEvent => ({ type: 'tool_progress', threadId: THREAD, toolCallId: 't1', progress: n });
const idle: ChatEvent = { type: 'run_state', threadId: THREAD, at: '2026-01-01T00:00:01.000Z', state: { status: 'idle' } };
const newChat = () => `chat-${crypto.randomUUID()}`;

/** The hub one server publishes on and the hub another server's subscriber follows; a clock the test moves. */
interface Deployment {
  publisher: EventHub<ChatEvent>;
  follower: EventHub<ChatEvent>;
  clock: { skewMs: number };
  close(): Promise<void>;
}

let redis: TestRedis;
let admin: RedisClient;
beforeAll(async () => {
  redis = await createTestRedis();
  admin = new RedisClient(redis.url);
});
afterAll(async () => {
  admin.close();
  await redis.clear();
});

function redisHub(clock: { skewMs: number }) {
  return new RedisEventHub<ChatEvent>({
    redis: { url: redis.url, keyPrefix: redis.prefix },
    retentionMs: RETENTION_MS,
    merge: mergeTokenDeltas,
    now: () => Date.now() + clock.skewMs,
    log: createLogger('error'),
  });
}

const deployments: { name: string; open(): Deployment }[] = [
  {
    name: 'the in-process hub',
    open() {
      const clock = { skewMs: 0 };
      const hub = new LocalEventHub<ChatEvent>({
        retentionMs: RETENTION_MS,
        maxEvents: 100_000,
        merge: mergeTokenDeltas,
        now: () => Date.now() + clock.skewMs,
      });
      return { publisher: hub, follower: hub, clock, close: () => hub.close() };
    },
  },
  {
    name: 'Redis hubs of two instances',
    open() {
      const clock = { skewMs: 0 };
      const publisher = redisHub(clock);
      const follower = redisHub(clock);
      return { publisher, follower, clock, close: async () => void (await Promise.all([publisher.close(), follower.close()])) };
    },
  },
];

function record(hub: EventHub<ChatEvent>, chatId: string, after: string) {
  const seen: HubEvent<ChatEvent>[] = [];
  const stop = hub.subscribe(chatId, (event) => seen.push(event), { after });
  return { seen, stop, until: (n: number) => eventually(() => seen.length >= n, `${n} events`) };
}

/** What chats.events yields, until `until` matches. */
async function take(stream: AsyncGenerator<unknown>, until: (data: ChatEvent | { type: 'reset' }) => boolean) {
  const out: { id: string; data: ChatEvent | { type: 'reset' } }[] = [];
  for await (const item of stream) {
    const [id, data] = item as [string, ChatEvent];
    out.push({ id, data });
    if (until(data)) break;
  }
  return out;
}

/** The event of one step of chats.events (a tracked [id, data]). */
const eventOf = (step: IteratorResult<unknown>) => (step.value as [string, ChatEvent | { type: 'reset' }])[1];

/** 100 rounds of a progress event and three deltas of one tick (which merge), a tick every 10 rounds. */
async function publishRun(hub: EventHub<ChatEvent>, chatId: string): Promise<ChatEvent[]> {
  const expected: ChatEvent[] = [];
  for (let i = 0; i < 100; i++) {
    hub.publish(chatId, progress(i));
    for (const part of ['a', 'b', 'c']) hub.publish(chatId, token(`${part}${i} `));
    expected.push(progress(i), token(`a${i} b${i} c${i} `));
    if (i % 10 === 9) await tick();
  }
  hub.publish(chatId, idle);
  expected.push(idle);
  return expected;
}

for (const kind of deployments) {
  describe(kind.name, () => {
    let d: Deployment;
    beforeAll(() => {
      d = kind.open();
    });
    afterAll(async () => {
      await d.close();
    });

    test('a follower gets every event published elsewhere, in order, exactly once, deltas of a tick merged', async () => {
      const chatId = newChat();
      const follower = record(d.follower, chatId, await d.follower.cursor(chatId));
      const expected = await publishRun(d.publisher, chatId);
      await follower.until(expected.length);
      await tick();
      expect(follower.seen.map((e) => e.data)).toEqual(expected);
      expect(new Set(follower.seen.map((e) => e.id)).size).toBe(expected.length);
      expect(await d.publisher.cursor(chatId)).toBe(follower.seen.at(-1)!.id);
      follower.stop();
    });

    test('a reconnect with an id from the middle gets exactly the rest, then live events', async () => {
      const chatId = newChat();
      const all = record(d.publisher, chatId, await d.publisher.cursor(chatId));
      const expected = await publishRun(d.publisher, chatId);
      await all.until(expected.length);
      const middle = all.seen[77]!;

      const replay = await d.follower.replay(chatId, middle.id);
      expect(replay).toEqual({ ok: true, events: all.seen.slice(78) });

      const later: ChatEvent = { ...idle, at: 'later' };
      const reading = take(
        chatEventStream(d.follower, chatId, middle.id, undefined),
        (data) => data.type === 'reset' || Bun.deepEquals(data, later),
      );
      d.publisher.publish(chatId, later);
      const resumed = await reading;
      expect(resumed.map((e) => e.data)).toEqual([...expected.slice(78), later]);
      all.stop();
    });

    test('deltas of one tick become one stored event', async () => {
      const chatId = newChat();
      const cursor = await d.follower.cursor(chatId);
      const follower = record(d.follower, chatId, cursor);
      for (let i = 0; i < 50; i++) d.publisher.publish(chatId, token(`w${i} `));
      await follower.until(1);
      const text = Array.from({ length: 50 }, (_, i) => `w${i} `).join('');
      expect(follower.seen.map((e) => e.data)).toEqual([token(text)]);
      expect(await d.follower.replay(chatId, cursor)).toEqual({ ok: true, events: follower.seen });
      follower.stop();
    });

    test('an id this deployment never gave gets reset', async () => {
      const chatId = newChat();
      d.publisher.publish(chatId, progress(1));
      for (const id of ['nonsense', 'abc.1', '1-0', '99999999999999-0']) expect(await d.follower.replay(chatId, id)).toEqual({ ok: false });
      const [first] = await take(chatEventStream(d.follower, chatId, 'nonsense', undefined), () => true);
      expect(first!.data.type).toBe('reset');
    });

    test('a reconnect from before what the window trimmed gets reset; one from after it gets the rest', async () => {
      const chatId = newChat();
      const all = record(d.publisher, chatId, await d.publisher.cursor(chatId));
      // More than one Redis stream node (100 entries), so that approximate trimming removes some.
      for (let i = 0; i < 250; i++) d.publisher.publish(chatId, progress(i));
      await all.until(250);
      // The window's start moves to the next millisecond: all 250 are older than it, the next event is not.
      const stored = Date.now();
      await eventually(() => Date.now() > stored, 'the clock to pass the stored events');
      d.clock.skewMs = RETENTION_MS;
      try {
        d.publisher.publish(chatId, idle);
        await all.until(251);
      } finally {
        d.clock.skewMs = 0;
      }
      expect(await d.follower.replay(chatId, all.seen[0]!.id)).toEqual({ ok: false });
      expect(await d.follower.replay(chatId, all.seen[249]!.id)).toEqual({ ok: true, events: [all.seen[250]!] });
      const [first] = await take(chatEventStream(d.follower, chatId, all.seen[0]!.id, undefined), () => true);
      expect(first).toEqual({ id: all.seen[250]!.id, data: expect.objectContaining({ type: 'reset' }) });
      all.stop();
    });

    test('a deleted chat leaves no events: its cursor starts again and old ids get reset', async () => {
      const chatId = newChat();
      const start = await d.publisher.cursor(chatId);
      const all = record(d.publisher, chatId, start);
      d.publisher.publish(chatId, progress(1));
      await all.until(1);
      all.stop();
      await d.publisher.drop(chatId);
      expect(await d.follower.cursor(chatId)).toBe(start);
      expect(await d.follower.replay(chatId, all.seen[0]!.id)).toEqual({ ok: false });
    });
  });
}

describe('on Redis', () => {
  const clock = { skewMs: 0 };
  let a: RedisEventHub<ChatEvent>;
  let b: RedisEventHub<ChatEvent>;
  beforeAll(() => {
    a = redisHub(clock);
    b = redisHub(clock);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });
  const keyOf = (chatId: string) => `${redis.prefix}chat:${chatId}:events`;

  test('a chat is one stream holding one entry per event, expiring a little after the replay window', async () => {
    const chatId = newChat();
    const all = record(b, chatId, await b.cursor(chatId));
    a.publish(chatId, progress(1));
    a.publish(chatId, token('x'));
    a.publish(chatId, token('y'));
    a.publish(chatId, idle);
    await all.until(3);
    expect(await admin.send('XLEN', [keyOf(chatId)])).toBe(3);
    const ttl = (await admin.send('PTTL', [keyOf(chatId)])) as number;
    expect(ttl).toBeGreaterThan(RETENTION_MS);
    expect(ttl).toBeLessThanOrEqual(RETENTION_MS + 60_000);
    await a.drop(chatId);
    expect(await admin.send('EXISTS', [keyOf(chatId)])).toBe(0);
    all.stop();
  });

  test('a follower whose stream was lost (as in a Redis restart) gets reset, then follows again', async () => {
    const chatId = newChat();
    const stream = chatEventStream(b, chatId, await b.cursor(chatId), undefined);
    const first = stream.next();
    a.publish(chatId, progress(1));
    const step = await first;
    expect(eventOf(step)).toEqual(progress(1));
    await admin.send('DEL', [keyOf(chatId)]);
    // A stream started afresh numbers from its millisecond: one later than the lost event, as after a restart.
    const lostAt = Number(String((step.value as unknown[])[0]).split('-')[0]);
    await eventually(() => Date.now() > lostAt, 'the clock to pass the lost event');
    const second = stream.next();
    a.publish(chatId, progress(2));
    expect(eventOf(await second).type).toBe('reset');
    const third = stream.next();
    a.publish(chatId, idle);
    expect(eventOf(await third)).toEqual(idle);
    await stream.return(undefined);
  });

  test('closing an instance removes its own keys', async () => {
    const wakeStreams = async () => ((await admin.send('KEYS', [`${redis.prefix}events:*`])) as string[]).length;
    const before = await wakeStreams();
    const c = redisHub(clock);
    const chatId = newChat();
    const all = record(c, chatId, await c.cursor(chatId));
    a.publish(chatId, progress(1));
    await all.until(1);
    // A second chat followed while the first is read wakes the reader: its wake stream exists.
    const other = record(c, newChat(), '0-0');
    await eventually(async () => (await wakeStreams()) === before + 1, 'the wake stream of the new instance');
    other.stop();
    await c.close();
    expect(await wakeStreams()).toBe(before);
  });
});
