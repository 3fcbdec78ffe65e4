/** Where service API tokens live: callers see only these async methods, never tables. */
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';

export interface NewApiToken {
  tokenHash: string;
  userId: string;
  label: string;
  /** The admin who issued it. */
  createdBy?: string | null;
  /** Null: usable until revoked. */
  expiresAt?: Date | null;
}

export interface ApiTokenStore {
  insert(token: NewApiToken): Promise<{ id: string }>;
  /** The token if it is neither revoked nor expired at `now`. */
  findUsable(
    tokenHash: string,
    now: Date,
  ): Promise<{ id: string; userId: string; lastUsedAt: Date | null; expiresAt: Date | null } | undefined>;
  markUsed(id: string, at: Date): Promise<void>;
  /** Marks a token revoked; returns whose it was, or undefined when no usable token has that id. */
  revoke(id: string, at: Date): Promise<{ userId: string } | undefined>;
}

export class DrizzleApiTokenStore implements ApiTokenStore {
  constructor(private readonly db: AppDatabase) {}

  async insert(token: NewApiToken): Promise<{ id: string }> {
    const id = crypto.randomUUID();
    await this.db.drizzle.insert(this.db.tables.apiTokens).values({ id, ...token });
    return { id };
  }

  async findUsable(tokenHash: string, now: Date) {
    const { apiTokens } = this.db.tables;
    const [row] = await this.db.drizzle
      .select({ id: apiTokens.id, userId: apiTokens.userId, lastUsedAt: apiTokens.lastUsedAt, expiresAt: apiTokens.expiresAt })
      .from(apiTokens)
      .where(
        and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))),
      );
    return row;
  }

  async markUsed(id: string, at: Date): Promise<void> {
    const { apiTokens } = this.db.tables;
    await this.db.drizzle.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
  }

  async revoke(id: string, at: Date): Promise<{ userId: string } | undefined> {
    const { apiTokens } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ userId: apiTokens.userId });
    return row;
  }
}
