/** Service API tokens as admins see them: who they act as, who issued them, and their state. Never hashes. */
import { alias } from 'drizzle-orm/sqlite-core';
import { desc, eq, isNull } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/database.ts';

export interface ApiTokenRow {
  id: string;
  label: string;
  user: { id: string; email: string | null; name: string | null } | null;
  createdBy: { id: string; email: string | null; name: string | null } | null;
  status: 'active' | 'expired' | 'revoked';
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export class AdminApiTokenStore {
  constructor(
    private readonly db: AppDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  async list(includeRevoked: boolean): Promise<ApiTokenRow[]> {
    return this.#select(includeRevoked ? undefined : isNull(this.db.tables.apiTokens.revokedAt));
  }

  async get(id: string): Promise<ApiTokenRow | undefined> {
    return (await this.#select(eq(this.db.tables.apiTokens.id, id)))[0];
  }

  async #select(where: ReturnType<typeof eq> | undefined): Promise<ApiTokenRow[]> {
    const { apiTokens, users } = this.db.tables;
    // Drizzle's alias proxy is the same for every dialect; the sqlite-core export types it for these tables.
    const issuer = alias(users, 'issuer');
    const rows = await this.db.drizzle
      .select({
        token: {
          id: apiTokens.id,
          label: apiTokens.label,
          createdAt: apiTokens.createdAt,
          lastUsedAt: apiTokens.lastUsedAt,
          expiresAt: apiTokens.expiresAt,
          revokedAt: apiTokens.revokedAt,
        },
        user: { id: users.id, email: users.email, name: users.name },
        createdBy: { id: issuer.id, email: issuer.email, name: issuer.name },
      })
      .from(apiTokens)
      .leftJoin(users, eq(users.id, apiTokens.userId))
      .leftJoin(issuer, eq(issuer.id, apiTokens.createdBy))
      .where(where)
      .orderBy(desc(apiTokens.createdAt), apiTokens.id);
    const now = this.now();
    return rows.map(({ token, user, createdBy }) => ({
      ...token,
      user,
      createdBy,
      status: token.revokedAt ? 'revoked' : token.expiresAt && token.expiresAt.getTime() <= now ? 'expired' : 'active',
    }));
  }
}
