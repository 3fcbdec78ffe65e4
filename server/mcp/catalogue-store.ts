/** Catalogue rows (mcp_servers). Async methods over drizzle, so a PostgreSQL store can replace this one unchanged. */
import { eq, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { mcpServers } from '../../db/schema.ts';

export type CatalogueEntry = typeof mcpServers.$inferSelect;
export type CatalogueFields = Omit<typeof mcpServers.$inferInsert, 'id' | 'pinnedTools' | 'createdAt' | 'updatedAt'>;

export class CatalogueStore {
  constructor(private readonly db: AppDatabase) {}

  async list(): Promise<CatalogueEntry[]> {
    return this.db.drizzle.select().from(mcpServers).orderBy(mcpServers.name);
  }

  async get(id: string): Promise<CatalogueEntry | undefined> {
    const [row] = await this.db.drizzle.select().from(mcpServers).where(eq(mcpServers.id, id));
    return row;
  }

  async insert(id: string, fields: CatalogueFields): Promise<CatalogueEntry> {
    const [row] = await this.db.drizzle
      .insert(mcpServers)
      .values({ ...fields, id })
      .returning();
    return row!;
  }

  async update(id: string, patch: Partial<CatalogueFields>): Promise<CatalogueEntry | undefined> {
    const [row] = await this.db.drizzle
      .update(mcpServers)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(mcpServers.id, id))
      .returning();
    return row;
  }

  /** Forgets every pinned definition, so the next listing pins afresh. */
  async clearPins(id: string): Promise<void> {
    await this.db.drizzle.update(mcpServers).set({ pinnedTools: {} }).where(eq(mcpServers.id, id));
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.drizzle.delete(mcpServers).where(eq(mcpServers.id, id)).returning({ id: mcpServers.id });
    return rows.length > 0;
  }

  /**
   * Stores the first listing's hashes, only while nothing is pinned yet: when many users list
   * a new server at once, the first writer wins and the others compare against it.
   */
  async pinFirstSight(id: string, pins: Record<string, string>): Promise<Record<string, string>> {
    return this.db.drizzle.transaction((tx) => {
      const [row] = tx.select({ pinned: mcpServers.pinnedTools }).from(mcpServers).where(eq(mcpServers.id, id)).all();
      if (!row) return pins;
      if (Object.keys(row.pinned).length > 0) return row.pinned;
      tx.update(mcpServers).set({ pinnedTools: pins }).where(eq(mcpServers.id, id)).run();
      return pins;
    });
  }

  async pin(id: string, toolName: string, hash: string): Promise<Record<string, string> | undefined> {
    // json_set edits one key in place, so approvals of two tools at once cannot overwrite each other.
    const [row] = await this.db.drizzle
      .update(mcpServers)
      .set({ pinnedTools: sql`json_set(${mcpServers.pinnedTools}, ${`$.${JSON.stringify(toolName)}`}, ${hash})` })
      .where(eq(mcpServers.id, id))
      .returning({ pinned: mcpServers.pinnedTools });
    return row?.pinned;
  }
}
