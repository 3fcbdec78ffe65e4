/** Which catalogue servers each user connected (mcp_connections), so a handler can reconnect lazily after a restart. */
import { and, eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { mcpConnections } from '../../db/schema.ts';

export type RememberedConnection = typeof mcpConnections.$inferSelect;

export class ConnectionStore {
  constructor(private readonly db: AppDatabase) {}

  async remember(userId: string, serverId: string): Promise<void> {
    await this.db.drizzle
      .insert(mcpConnections)
      .values({ userId, serverId })
      .onConflictDoUpdate({ target: [mcpConnections.userId, mcpConnections.serverId], set: { lastError: null } });
  }

  async forget(userId: string, serverId: string): Promise<void> {
    await this.db.drizzle.delete(mcpConnections).where(and(eq(mcpConnections.userId, userId), eq(mcpConnections.serverId, serverId)));
  }

  /** `null` clears the error after a successful (re)connect. */
  async recordError(userId: string, serverId: string, error: string | null): Promise<void> {
    await this.db.drizzle
      .update(mcpConnections)
      .set({ lastError: error })
      .where(and(eq(mcpConnections.userId, userId), eq(mcpConnections.serverId, serverId)));
  }

  async listForUser(userId: string): Promise<RememberedConnection[]> {
    return this.db.drizzle.select().from(mcpConnections).where(eq(mcpConnections.userId, userId));
  }
}
