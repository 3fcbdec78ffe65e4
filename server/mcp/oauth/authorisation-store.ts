/**
 * Each person's OAuth tokens for each catalogue server (mcp_authorisations), sealed with the token
 * cipher and bound to their owner: a row moved onto another person or server does not open. Rows
 * go with the person or the server (foreign keys), and with a revocation.
 */
import { and, eq } from 'drizzle-orm';
import type { OAuthTokens } from '@modelcontextprotocol/client';
import type { AppDatabase } from '../../../db/database.ts';
import type { TokenCipher } from '../../crypto/token-cipher.ts';

export interface StoredAuthorisation {
  issuer: string;
  tokens: OAuthTokens;
  expiresAt: Date | null;
}

/** What a person or an admin sees of an authorisation: never a token. */
export interface AuthorisationSummary {
  userId: string;
  serverId: string;
  issuer: string;
  scope: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const context = (userId: string, serverId: string) => `mcp-authorisation:${userId}:${serverId}`;

export class AuthorisationStore {
  constructor(
    private readonly db: AppDatabase,
    private readonly cipher: TokenCipher,
  ) {}

  async get(userId: string, serverId: string): Promise<StoredAuthorisation | undefined> {
    const { mcpAuthorisations: t } = this.db.tables;
    const [row] = await this.db.drizzle
      .select({ issuer: t.issuer, tokens: t.tokens, expiresAt: t.expiresAt })
      .from(t)
      .where(and(eq(t.userId, userId), eq(t.serverId, serverId)));
    if (!row) return undefined;
    return { issuer: row.issuer, expiresAt: row.expiresAt, tokens: JSON.parse(this.cipher.open(row.tokens, context(userId, serverId))) };
  }

  async has(userId: string, serverId: string): Promise<boolean> {
    const { mcpAuthorisations: t } = this.db.tables;
    const [row] = await this.db.drizzle
      .select({ userId: t.userId })
      .from(t)
      .where(and(eq(t.userId, userId), eq(t.serverId, serverId)));
    return row !== undefined;
  }

  async save(userId: string, serverId: string, issuer: string, tokens: OAuthTokens): Promise<void> {
    const { mcpAuthorisations: t } = this.db.tables;
    const sealed = this.cipher.seal(JSON.stringify(tokens), context(userId, serverId));
    const expiresAt = tokens.expires_in === undefined ? null : new Date(Date.now() + tokens.expires_in * 1000);
    const values = { issuer, tokens: sealed, scope: tokens.scope ?? null, expiresAt, updatedAt: new Date() };
    await this.db.drizzle
      .insert(t)
      .values({ userId, serverId, ...values })
      .onConflictDoUpdate({ target: [t.userId, t.serverId], set: values });
  }

  /** True when there was one to remove. */
  async delete(userId: string, serverId: string): Promise<boolean> {
    const { mcpAuthorisations: t } = this.db.tables;
    const rows = await this.db.drizzle
      .delete(t)
      .where(and(eq(t.userId, userId), eq(t.serverId, serverId)))
      .returning({ userId: t.userId });
    return rows.length > 0;
  }

  async listForUser(userId: string): Promise<AuthorisationSummary[]> {
    const { mcpAuthorisations: t } = this.db.tables;
    return this.db.drizzle.select(this.#summary()).from(t).where(eq(t.userId, userId)).orderBy(t.createdAt);
  }

  async listForServer(serverId: string): Promise<AuthorisationSummary[]> {
    const { mcpAuthorisations: t } = this.db.tables;
    return this.db.drizzle.select(this.#summary()).from(t).where(eq(t.serverId, serverId)).orderBy(t.createdAt);
  }

  /** Forgets everyone's tokens for a server (an admin changed where they would go, or how it authorises). */
  async deleteForServer(serverId: string): Promise<number> {
    const { mcpAuthorisations: t } = this.db.tables;
    const rows = await this.db.drizzle.delete(t).where(eq(t.serverId, serverId)).returning({ userId: t.userId });
    return rows.length;
  }

  #summary() {
    const { mcpAuthorisations: t } = this.db.tables;
    return {
      userId: t.userId,
      serverId: t.serverId,
      issuer: t.issuer,
      scope: t.scope,
      expiresAt: t.expiresAt,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  }
}
