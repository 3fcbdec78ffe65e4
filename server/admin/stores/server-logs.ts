/** MCP servers' kept log messages as admins read them: newest first, with the person whose connection received each. */
import { desc, eq } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/database.ts';

export class AdminServerLogStore {
  constructor(private readonly db: AppDatabase) {}

  async recent(serverId: string, limit: number) {
    const { mcpServerLogs, users } = this.db.tables;
    const rows = await this.db.drizzle
      .select({ entry: mcpServerLogs, userEmail: users.email, userName: users.name })
      .from(mcpServerLogs)
      .leftJoin(users, eq(users.id, mcpServerLogs.userId))
      .where(eq(mcpServerLogs.serverId, serverId))
      .orderBy(desc(mcpServerLogs.id))
      .limit(limit);
    return rows.map(({ entry, userEmail, userName }) => ({
      at: entry.createdAt,
      level: entry.level,
      logger: entry.logger,
      data: entry.data,
      user: entry.userId ? { id: entry.userId, email: userEmail, name: userName } : null,
    }));
  }
}
