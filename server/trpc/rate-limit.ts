/**
 * Per-user token buckets. Keyed by the signed-in user's id, never by an address a client
 * could choose (X-Forwarded-For), so one person cannot spend another's allowance.
 */
import { TRPCError } from '@trpc/server';

export interface RateLimitRule {
  /** Requests allowed in a burst. */
  burst: number;
  /** Sustained requests per minute. */
  perMinute: number;
}

export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rule: RateLimitRule,
    private readonly what: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for this user or throws TOO_MANY_REQUESTS saying when to retry. */
  take(userId: string): void {
    const now = this.now();
    const refillPerMs = this.rule.perMinute / 60_000;
    const bucket = this.#buckets.get(userId) ?? { tokens: this.rule.burst, at: now };
    bucket.tokens = Math.min(this.rule.burst, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    this.#buckets.set(userId, bucket);
    if (bucket.tokens < 1) {
      const waitS = Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `Too many ${this.what}: wait ${waitS} s and try again.`,
      });
    }
    bucket.tokens -= 1;
    if (this.#buckets.size > 10_000) this.#forgetFull(now, refillPerMs);
  }

  /** Buckets that have refilled completely carry no information: drop them to bound memory. */
  #forgetFull(now: number, refillPerMs: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * refillPerMs >= this.rule.burst) this.#buckets.delete(key);
    }
  }
}
