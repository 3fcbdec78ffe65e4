/** The model catalogue's rows. The API key stays sealed here; model-catalogue.ts seals and opens it. */
import { and, count, eq, ne } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import type { models } from '../../db/schema.ts';

export type ModelRow = typeof models.$inferSelect;
export type ModelRowFields = Omit<ModelRow, 'id' | 'createdAt' | 'updatedAt'>;

export class ModelStore {
  constructor(private readonly db: AppDatabase) {}

  async list(): Promise<ModelRow[]> {
    const { models } = this.db.tables;
    return this.db.drizzle.select().from(models).orderBy(models.name);
  }

  async get(id: string): Promise<ModelRow | undefined> {
    const { models } = this.db.tables;
    const [row] = await this.db.drizzle.select().from(models).where(eq(models.id, id));
    return row;
  }

  async byName(name: string): Promise<ModelRow | undefined> {
    const { models } = this.db.tables;
    const [row] = await this.db.drizzle.select().from(models).where(eq(models.name, name));
    return row;
  }

  async count(): Promise<number> {
    const { models } = this.db.tables;
    const [row] = await this.db.drizzle.select({ n: count() }).from(models);
    return row?.n ?? 0;
  }

  /** False when the id is taken (another instance seeded first). */
  async insert(id: string, fields: ModelRowFields): Promise<boolean> {
    const { models } = this.db.tables;
    const rows = await this.db.drizzle
      .insert(models)
      .values({ ...fields, id })
      .onConflictDoNothing()
      .returning({ id: models.id });
    return rows.length > 0;
  }

  async update(id: string, fields: ModelRowFields): Promise<ModelRow | undefined> {
    const { models } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(models)
      .set({ ...fields, updatedAt: new Date() })
      .where(eq(models.id, id))
      .returning();
    return row;
  }

  /** Makes `id` the only default: every other entry stops being one. */
  async clearOtherDefaults(id: string): Promise<void> {
    const { models } = this.db.tables;
    await this.db.drizzle
      .update(models)
      .set({ isDefault: false, updatedAt: new Date() })
      .where(and(ne(models.id, id), eq(models.isDefault, true)));
  }

  async delete(id: string): Promise<boolean> {
    const { models } = this.db.tables;
    const rows = await this.db.drizzle.delete(models).where(eq(models.id, id)).returning({ id: models.id });
    return rows.length > 0;
  }
}
