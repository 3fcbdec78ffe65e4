/** Catalogue rows (mcp_servers). */
import { and, eq } from 'drizzle-orm';
import type { AppDatabase, Tables } from '../../db/database.ts';
import { jsonObjectWith } from '../../db/dialect.ts';

type McpServers = Tables['mcpServers'];
export type CatalogueEntry = McpServers['$inferSelect'];
export type CatalogueFields = Omit<McpServers['$inferInsert'], 'id' | 'pinnedTools' | 'createdAt' | 'updatedAt'>;

export class CatalogueStore {
  constructor(private readonly db: AppDatabase) {}

  async list(): Promise<CatalogueEntry[]> {
    const { mcpServers } = this.db.tables;
    return this.db.drizzle.select().from(mcpServers).orderBy(mcpServers.name);
  }

  async get(id: string): Promise<CatalogueEntry | undefined> {
    const { mcpServers } = this.db.tables;
    const [row] = await this.db.drizzle.select().from(mcpServers).where(eq(mcpServers.id, id));
    return row;
  }

  async insert(id: string, fields: CatalogueFields): Promise<CatalogueEntry> {
    const { mcpServers } = this.db.tables;
    const [row] = await this.db.drizzle
      .insert(mcpServers)
      .values({ ...fields, id })
      .returning();
    return row!;
  }

  async update(id: string, patch: Partial<CatalogueFields>): Promise<CatalogueEntry | undefined> {
    const { mcpServers } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(mcpServers)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(mcpServers.id, id))
      .returning();
    return row;
  }

  /** Forgets every pinned definition, so the next listing pins afresh. */
  async clearPins(id: string): Promise<void> {
    const { mcpServers } = this.db.tables;
    await this.db.drizzle.update(mcpServers).set({ pinnedTools: {} }).where(eq(mcpServers.id, id));
  }

  async delete(id: string): Promise<boolean> {
    const { mcpServers } = this.db.tables;
    const rows = await this.db.drizzle.delete(mcpServers).where(eq(mcpServers.id, id)).returning({ id: mcpServers.id });
    return rows.length > 0;
  }

  /**
   * Stores the first listing's hashes, only while nothing is pinned yet: when many users list
   * a new server at once, the first writer wins and the others compare against it.
   */
  async pinFirstSight(id: string, pins: Record<string, string>): Promise<Record<string, string>> {
    const { mcpServers } = this.db.tables;
    // One conditional update, so exactly one of the concurrent first listings writes its pins.
    const [written] = await this.db.drizzle
      .update(mcpServers)
      .set({ pinnedTools: pins })
      .where(and(eq(mcpServers.id, id), eq(mcpServers.pinnedTools, {})))
      .returning({ pinned: mcpServers.pinnedTools });
    if (written) return written.pinned;
    const [row] = await this.db.drizzle.select({ pinned: mcpServers.pinnedTools }).from(mcpServers).where(eq(mcpServers.id, id));
    return row?.pinned ?? pins;
  }

  async pin(id: string, toolName: string, hash: string): Promise<Record<string, string> | undefined> {
    const { mcpServers } = this.db.tables;
    // Edits one key in place, so approvals of two tools at once cannot overwrite each other.
    const [row] = await this.db.drizzle
      .update(mcpServers)
      .set({ pinnedTools: jsonObjectWith(this.db.kind, mcpServers.pinnedTools, toolName, hash) })
      .where(eq(mcpServers.id, id))
      .returning({ pinned: mcpServers.pinnedTools });
    return row?.pinned;
  }
}
