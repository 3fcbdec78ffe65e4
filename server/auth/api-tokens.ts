/**
 * Service API tokens (`Authorization: Bearer cs_…`), with which other services use the typed
 * client as a service account. Issued once in plain text; only the SHA-256 is stored.
 */
import type { ApiTokenStore } from './api-token-store.ts';
import { generateToken, hashToken } from './tokens.ts';

export const API_TOKEN_PREFIX = 'cs_';
const TOKEN_SHAPE = /^cs_[A-Za-z0-9_-]{43}$/;
/** `lastUsedAt` is for humans auditing tokens; a minute's precision spares a write per request. */
const LAST_USED_PRECISION_MS = 60_000;

export interface IssueOptions {
  createdBy?: string | null;
  expiresAt?: Date | null;
}

export class ApiTokens {
  constructor(
    private readonly store: ApiTokenStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the plain token: show it once, it cannot be recovered. */
  async issue(userId: string, label: string, options: IssueOptions = {}): Promise<{ id: string; token: string }> {
    const token = API_TOKEN_PREFIX + generateToken();
    const { id } = await this.store.insert({ tokenHash: hashToken(token), userId, label, ...options });
    return { id, token };
  }

  /** Whose token it was, or undefined when there is no unrevoked token with that id. */
  revoke(id: string): Promise<{ userId: string } | undefined> {
    return this.store.revoke(id, new Date(this.now()));
  }

  /** Whom the token acts as and until when, or null if it is malformed, unknown, revoked or expired. */
  async verify(token: string): Promise<{ userId: string; expiresAt: Date | null } | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const now = new Date(this.now());
    const found = await this.store.findUsable(hashToken(token), now);
    if (!found) return null;
    if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
      await this.store.markUsed(found.id, now);
    }
    return { userId: found.userId, expiresAt: found.expiresAt };
  }
}
