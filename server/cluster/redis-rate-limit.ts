/**
 * Rate limits shared by every instance (cluster mode): the same token buckets as the in-process
 * limiter (trpc/rate-limit.ts), kept in Redis and updated by one atomic script, so a flood spread
 * over N instances is refused after the same count as on one. Redis's clock is the only clock, so
 * instances whose clocks disagree still refill a bucket alike. A bucket's key expires once it
 * would be full again: an idle person costs nothing.
 *
 * rate-limiter-flexible was weighed: it speaks ioredis or node-redis (not Bun's client, which
 * costs a quarter of ioredis's CPU here), and its limiters count points per fixed duration rather
 * than a burst refilled continuously; matching today's rule would take two of them. One
 * twenty-line script keeps the rule and the refusal exactly as they are.
 */
import type { RedisClient } from 'bun';
import { type RateLimit, type RateLimiter, type RateLimiters, tooManyRequests } from '../trpc/rate-limit.ts';
import { RedisScript } from './redis-script.ts';

/** KEYS[1]: the bucket. ARGV: burst, refill per ms. Returns 0 when a token was taken, else ms until one is back. */
const TAKE = new RedisScript(`
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
local wait = 0
if tokens < 1 then
  wait = math.ceil((1 - tokens) / perMs)
else
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + 1)
return wait
`);

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly client: RedisClient,
    private readonly keyPrefix: string,
    private readonly limit: RateLimit,
  ) {}

  async take(userId: string): Promise<void> {
    const { burst, perMinute, name } = this.limit;
    const waitMs = Number(await TAKE.run(this.client, [`${this.keyPrefix}rate:${name}:${userId}`], [burst, perMinute / 60_000]));
    if (waitMs > 0) throw tooManyRequests(this.limit, waitMs);
  }
}

/** Limiters whose buckets live under `keyPrefix` on the Redis `client` talks to (a shared, non-blocking connection). */
export function redisRateLimiters(client: RedisClient, keyPrefix: string): RateLimiters {
  return (limit) => new RedisRateLimiter(client, keyPrefix, limit);
}
