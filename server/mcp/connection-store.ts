/** Which catalogue servers each user connected (mcp_connections), so a handler can reconnect lazily after a restart. */
import { and, eq } from 'drizzle-orm';
import type { AppDatabase, Tables } from '../../db/database.ts';

export type RememberedConnection = Tables['mcpConnections']['$inferSelect'];

export class ConnectionStore {
  constructor(private readonly db: AppDatabase) {}

  async remember(userId: string, serverId: string): Promise<void> {
    const { mcpConnections } = this.db.tables;
    await this.db.drizzle
      .insert(mcpConnections)
      .values({ userId, serverId })
      .onConflictDoUpdate({ target: [mcpConnections.userId, mcpConnections.serverId], set: { lastError: null } });
  }

  async forget(userId: string, serverId: string): Promise<void> {
    const { mcpConnections } = this.db.tables;
    await this.db.drizzle.delete(mcpConnections).where(and(eq(mcpConnections.userId, userId), eq(mcpConnections.serverId, serverId)));
  }

  /** `null` clears the error after a successful (re)connect. */
  async recordError(userId: string, serverId: string, error: string | null): Promise<void> {
    const { mcpConnections } = this.db.tables;
    await this.db.drizzle
      .update(mcpConnections)
      .set({ lastError: error })
      .where(and(eq(mcpConnections.userId, userId), eq(mcpConnections.serverId, serverId)));
  }

  async listForUser(userId: string): Promise<RememberedConnection[]> {
    const { mcpConnections } = this.db.tables;
    return this.db.drizzle.select().from(mcpConnections).where(eq(mcpConnections.userId, userId));
  }
}
