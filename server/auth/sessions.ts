/**
 * Browser sessions as a few explicit steps: create a random token and store only its hash,
 * validate it (with sliding expiry), invalidate one, invalidate all of a user's.
 */
import type { SessionStore } from './session-store.ts';
import { generateToken, hashToken } from './tokens.ts';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface ValidSession {
  tokenHash: string;
  userId: string;
  expiresAt: Date;
}

export class Sessions {
  constructor(
    private readonly store: SessionStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the token: the only time it exists outside the browser. */
  async create(userId: string, userAgent: string | null): Promise<string> {
    const token = generateToken();
    await this.store.insert({
      tokenHash: hashToken(token),
      userId,
      expiresAt: new Date(this.now() + this.ttlMs),
      userAgent: userAgent?.slice(0, 512) ?? null,
    });
    return token;
  }

  /**
   * The session the token opens, or null. An expired session is removed. A session used when
   * less than half its lifetime remains is extended to a full lifetime, so active people stay
   * signed in while the database is written at most a few times per lifetime.
   */
  async validate(token: string): Promise<ValidSession | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const tokenHash = hashToken(token);
    const stored = await this.store.find(tokenHash);
    if (!stored) return null;
    const now = this.now();
    if (stored.expiresAt.getTime() <= now) {
      await this.store.delete(tokenHash);
      return null;
    }
    let expiresAt = stored.expiresAt;
    if (expiresAt.getTime() - now < this.ttlMs / 2) {
      expiresAt = new Date(now + this.ttlMs);
      await this.store.setExpiry(tokenHash, expiresAt);
    }
    return { tokenHash, userId: stored.userId, expiresAt };
  }

  /** True when the session existed. */
  invalidate(tokenHash: string): Promise<boolean> {
    return this.store.delete(tokenHash);
  }

  /** Returns the hashes of the sessions that ended. */
  invalidateAllFor(userId: string): Promise<string[]> {
    return this.store.deleteAllFor(userId);
  }
}
