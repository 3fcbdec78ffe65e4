/**
 * Tool definitions held back for an admin's review, in the database: whichever instance listed
 * the tool, every instance's admin console shows it, a restart keeps it, and an approval through
 * one instance clears it for all. Rows go with their server (foreign key, on delete cascade).
 */
import { and, eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import type { McpTool } from './types.ts';

export class HeldDefinitionsStore {
  constructor(private readonly db: AppDatabase) {}

  /** Records the tool as held; true when this definition was not the one held already (new, or changed again). */
  async note(tool: McpTool): Promise<boolean> {
    if ((await this.get(tool.serverId, tool.name))?.definitionHash === tool.definitionHash) return false;
    const { heldToolDefinitions: held } = this.db.tables;
    await this.db.drizzle
      .insert(held)
      .values({ serverId: tool.serverId, toolName: tool.name, definition: tool, heldAt: new Date() })
      .onConflictDoUpdate({ target: [held.serverId, held.toolName], set: { definition: tool, heldAt: new Date() } });
    return true;
  }

  async get(serverId: string, toolName: string): Promise<McpTool | undefined> {
    const { heldToolDefinitions: held } = this.db.tables;
    const [row] = await this.db.drizzle
      .select({ definition: held.definition })
      .from(held)
      .where(and(eq(held.serverId, serverId), eq(held.toolName, toolName)));
    return row?.definition;
  }

  async list(serverId: string): Promise<McpTool[]> {
    const { heldToolDefinitions: held } = this.db.tables;
    const rows = await this.db.drizzle
      .select({ definition: held.definition })
      .from(held)
      .where(eq(held.serverId, serverId))
      .orderBy(held.toolName);
    return rows.map((r) => r.definition);
  }

  async remove(serverId: string, toolName: string): Promise<void> {
    const { heldToolDefinitions: held } = this.db.tables;
    await this.db.drizzle.delete(held).where(and(eq(held.serverId, serverId), eq(held.toolName, toolName)));
  }

  async removeAll(serverId: string): Promise<void> {
    const { heldToolDefinitions: held } = this.db.tables;
    await this.db.drizzle.delete(held).where(eq(held.serverId, serverId));
  }
}
