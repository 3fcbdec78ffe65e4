/**
 * Rate limits and the per-person socket cap in cluster mode: two limiter (or counter) objects on
 * one Redis key prefix stand for two instances. A flood spread over them is refused after the same
 * count as on one instance, with the same message; sockets count across instances, and a crashed
 * instance's sockets stop counting once its entry lapses.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { RedisClient } from 'bun';
import { redisRateLimiters } from '../../server/cluster/redis-rate-limit.ts';
import { RedisSocketCount } from '../../server/cluster/redis-socket-cap.ts';
import { InProcessRateLimiter, type RateLimit } from '../../server/trpc/rate-limit.ts';
import { eventually } from '../support/eventually.ts';
import { createTestRedis, type TestRedis } from '../support/services.ts';

let redis: TestRedis;
const clients: RedisClient[] = [];

/** A connection of an instance of its own. */
function connection(): RedisClient {
  const client = new RedisClient(redis.url);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  redis = await createTestRedis();
});
afterAll(async () => {
  for (const client of clients) client.close();
  await redis.clear();
});

const sends: RateLimit = { name: 'sends', what: 'messages', burst: 10, perMinute: 30 };

/** Takes `count` times, round robin over the limiters; the refusals' messages, by position. */
async function flood(limiters: { take(userId: string): void | Promise<void> }[], userId: string, count: number) {
  const outcomes: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    try {
      await limiters[i % limiters.length]!.take(userId);
      outcomes.push(null);
    } catch (error) {
      outcomes.push((error as Error).message);
    }
  }
  return outcomes;
}

describe('rate limits shared through Redis', () => {
  test('a flood spread over two instances is refused after the same count as on one, with the same message', async () => {
    const oneInstance = await flood([new InProcessRateLimiter(sends)], 'uma', 14);
    const [a, b] = [redisRateLimiters(connection(), redis.prefix), redisRateLimiters(connection(), redis.prefix)];
    const spread = await flood([a(sends), b(sends)], 'uma', 14);

    expect(spread.filter((o) => o === null).length).toBe(sends.burst);
    expect(spread.map((o) => o === null)).toEqual(oneInstance.map((o) => o === null));
    // A token comes back every 2 s at 30 a minute: the refusal says so in the same words.
    expect(spread.at(-1)).toBe('Too many messages: wait 2 s and try again.');
    expect(spread.at(-1)).toBe(oneInstance.at(-1)!);
  });

  test('people and limits keep separate buckets', async () => {
    const limiters = redisRateLimiters(connection(), redis.prefix);
    const decides: RateLimit = { name: 'decides', what: 'decisions', burst: 2, perMinute: 60 };
    expect(await flood([limiters(decides)], 'ada', 3)).toEqual([null, null, 'Too many decisions: wait 1 s and try again.']);
    expect(await flood([limiters(decides)], 'bob', 1)).toEqual([null]);
    expect(await flood([limiters({ ...decides, name: 'creates', what: 'new chats' })], 'ada', 1)).toEqual([null]);
  });
});

describe('the socket cap counted across instances', () => {
  const noError = (error: unknown) => {
    throw error;
  };

  test('sockets opened on two instances add up, and closing them counts down on both', async () => {
    const a = new RedisSocketCount({ client: connection(), keyPrefix: redis.prefix, instanceId: 'a', onError: noError });
    const b = new RedisSocketCount({ client: connection(), keyPrefix: redis.prefix, instanceId: 'b', onError: noError });
    await Promise.all([a.opened('uma'), a.opened('uma'), a.opened('uma'), b.opened('uma'), b.opened('ulf')]);
    expect([await a.countFor('uma'), await b.countFor('uma'), await a.countFor('ulf')]).toEqual([4, 4, 1]);

    await Promise.all([a.closed('uma'), b.closed('uma')]);
    expect([await a.countFor('uma'), await b.countFor('uma')]).toEqual([2, 2]);

    // An instance shutting down takes its sockets out of the count (they are closed by then).
    await a.close();
    expect(await b.countFor('uma')).toBe(0);
    await b.close();
  });

  test("a crashed instance's sockets stop counting once its entry lapses", async () => {
    const crashing = connection();
    const errors: unknown[] = [];
    const a = new RedisSocketCount({
      client: crashing,
      keyPrefix: redis.prefix,
      instanceId: 'crashing',
      ttlMs: 600,
      onError: (e) => errors.push(e),
    });
    const b = new RedisSocketCount({ client: connection(), keyPrefix: redis.prefix, instanceId: 'alive', ttlMs: 600, onError: noError });
    await Promise.all([a.opened('pat'), b.opened('pat')]);
    expect(await b.countFor('pat')).toBe(2);

    // A's connection dies with it; nothing refreshes its entry any more, while B keeps its own.
    crashing.close();
    await eventually(async () => (await b.countFor('pat')) === 1, "the crashed instance's socket to stop counting");
    await b.opened('pat');
    expect(await b.countFor('pat')).toBe(2);
    await Promise.all([a.close().catch(() => {}), b.close()]);
  });
});
