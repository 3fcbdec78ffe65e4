/** Notes rows. Every method takes the user id first: no query can reach another user's notes. */
import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { notes } from '../../db/schema.ts';

export type Note = typeof notes.$inferSelect;

export class NotesStore {
  constructor(private readonly db: AppDatabase) {}

  async create(userId: string, title: string, body: string): Promise<Note> {
    const [row] = await this.db.drizzle.insert(notes).values({ id: crypto.randomUUID(), userId, title, body }).returning();
    return row!;
  }

  async list(userId: string, limit: number): Promise<Note[]> {
    return this.db.drizzle.select().from(notes).where(eq(notes.userId, userId)).orderBy(desc(notes.createdAt)).limit(limit);
  }

  /** Case-insensitive substring match on title or body (SQLite LIKE folds ASCII case). */
  async search(userId: string, text: string, limit: number): Promise<Note[]> {
    const pattern = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
    return (
      this.db.drizzle
        .select()
        .from(notes)
        // SQLite's LIKE has no escape character unless one is named.
        .where(
          and(
            eq(notes.userId, userId),
            or(sql`${notes.title} LIKE ${pattern} ESCAPE '\\'`, sql`${notes.body} LIKE ${pattern} ESCAPE '\\'`),
          ),
        )
        .orderBy(desc(notes.createdAt))
        .limit(limit)
    );
  }

  /** True when the note existed and belonged to the user. */
  async delete(userId: string, id: string): Promise<boolean> {
    const rows = await this.db.drizzle
      .delete(notes)
      .where(and(eq(notes.id, id), eq(notes.userId, userId)))
      .returning({ id: notes.id });
    return rows.length > 0;
  }
}
