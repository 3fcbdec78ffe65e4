/** Where sessions live: callers see only these async methods, never tables. */
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';

export interface StoredSession {
  /** SHA-256 of the token, hex: the only form in which a token is stored. */
  tokenHash: string;
  userId: string;
  expiresAt: Date;
  userAgent: string | null;
}

export interface SessionStore {
  insert(session: StoredSession): Promise<void>;
  find(tokenHash: string): Promise<StoredSession | undefined>;
  setExpiry(tokenHash: string, expiresAt: Date): Promise<void>;
  /** True when a session was removed. */
  delete(tokenHash: string): Promise<boolean>;
  /** Removes every session of the user; returns the removed token hashes. */
  deleteAllFor(userId: string): Promise<string[]>;
}

export class DrizzleSessionStore implements SessionStore {
  constructor(private readonly db: AppDatabase) {}

  async insert(session: StoredSession): Promise<void> {
    const { sessions } = this.db.tables;
    await this.db.drizzle.insert(sessions).values(session);
  }

  async find(tokenHash: string): Promise<StoredSession | undefined> {
    const { sessions } = this.db.tables;
    const [row] = await this.db.drizzle
      .select({
        tokenHash: sessions.tokenHash,
        userId: sessions.userId,
        expiresAt: sessions.expiresAt,
        userAgent: sessions.userAgent,
      })
      .from(sessions)
      .where(eq(sessions.tokenHash, tokenHash));
    return row;
  }

  async setExpiry(tokenHash: string, expiresAt: Date): Promise<void> {
    const { sessions } = this.db.tables;
    await this.db.drizzle.update(sessions).set({ expiresAt }).where(eq(sessions.tokenHash, tokenHash));
  }

  async delete(tokenHash: string): Promise<boolean> {
    const { sessions } = this.db.tables;
    const removed = await this.db.drizzle
      .delete(sessions)
      .where(eq(sessions.tokenHash, tokenHash))
      .returning({ tokenHash: sessions.tokenHash });
    return removed.length > 0;
  }

  async deleteAllFor(userId: string): Promise<string[]> {
    const { sessions } = this.db.tables;
    const removed = await this.db.drizzle.delete(sessions).where(eq(sessions.userId, userId)).returning({ tokenHash: sessions.tokenHash });
    return removed.map((r) => r.tokenHash);
  }
}
