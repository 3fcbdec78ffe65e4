/**
 * Per-user token buckets. Keyed by the signed-in user's id, never by an address a client
 * could choose (X-Forwarded-For), so one person cannot spend another's allowance. The buckets
 * live in this process (embedded mode) or in Redis, shared by every instance (cluster mode:
 * cluster/redis-rate-limit.ts); both follow the same rule and refuse with the same message.
 */
import { TRPCError } from '@trpc/server';

export interface RateLimit {
  /** Names the limit's buckets (part of their Redis keys): keep it stable across releases. */
  readonly name: string;
  /** What is limited, as the refusal says it: "Too many messages". */
  readonly what: string;
  /** Requests allowed in a burst. */
  readonly burst: number;
  /** Sustained requests per minute. */
  readonly perMinute: number;
}

export interface RateLimiter {
  /** Takes one token for this user or throws TOO_MANY_REQUESTS saying when to retry. */
  take(userId: string): void | Promise<void>;
}

/** Builds the limiter of one limit; the composition root picks where buckets live. */
export type RateLimiters = (limit: RateLimit) => RateLimiter;

/** The refusal, `waitMs` being how long until one token is back. */
export function tooManyRequests(limit: RateLimit, waitMs: number): TRPCError {
  return new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `Too many ${limit.what}: wait ${Math.ceil(waitMs / 1000)} s and try again.`,
  });
}

export class InProcessRateLimiter implements RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  take(userId: string): void {
    const now = this.now();
    const refillPerMs = this.limit.perMinute / 60_000;
    const bucket = this.#buckets.get(userId) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    this.#buckets.set(userId, bucket);
    if (bucket.tokens < 1) throw tooManyRequests(this.limit, (1 - bucket.tokens) / refillPerMs);
    bucket.tokens -= 1;
    if (this.#buckets.size > 10_000) this.#forgetFull(now, refillPerMs);
  }

  /** Buckets that have refilled completely carry no information: drop them to bound memory. */
  #forgetFull(now: number, refillPerMs: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * refillPerMs >= this.limit.burst) this.#buckets.delete(key);
    }
  }
}

export const inProcessRateLimiters: RateLimiters = (limit) => new InProcessRateLimiter(limit);

/** The same limiters, telling `refused` of each refusal (operators' count) before it goes to the caller. */
export function countingRefusals(limiters: RateLimiters, refused: (limit: RateLimit) => void): RateLimiters {
  return (limit) => {
    const limiter = limiters(limit);
    const told = (error: unknown): never => {
      if (error instanceof TRPCError && error.code === 'TOO_MANY_REQUESTS') refused(limit);
      throw error;
    };
    return {
      take(userId) {
        try {
          const taken = limiter.take(userId);
          return taken instanceof Promise ? taken.catch(told) : taken;
        } catch (error) {
          return told(error);
        }
      },
    };
  };
}
