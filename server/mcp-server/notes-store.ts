/** Notes rows. Every method takes the user id first: no query can reach another user's notes. */
import { and, desc, eq, or } from 'drizzle-orm';
import type { AppDatabase, Tables } from '../../db/database.ts';
import { containsText } from '../../db/dialect.ts';

export type Note = Tables['notes']['$inferSelect'];

export class NotesStore {
  constructor(private readonly db: AppDatabase) {}

  async create(userId: string, title: string, body: string): Promise<Note> {
    const { notes } = this.db.tables;
    const [row] = await this.db.drizzle.insert(notes).values({ id: crypto.randomUUID(), userId, title, body }).returning();
    return row!;
  }

  async list(userId: string, limit: number): Promise<Note[]> {
    const { notes } = this.db.tables;
    return this.db.drizzle.select().from(notes).where(eq(notes.userId, userId)).orderBy(desc(notes.createdAt)).limit(limit);
  }

  /** The user's note with this id, or undefined when there is none of theirs. */
  async get(userId: string, id: string): Promise<Note | undefined> {
    const { notes } = this.db.tables;
    const [row] = await this.db.drizzle
      .select()
      .from(notes)
      .where(and(eq(notes.id, id), eq(notes.userId, userId)))
      .limit(1);
    return row;
  }

  /** Titles of the user's newest `limit` notes whose title contains `text` (case-insensitive), each once. */
  async titlesContaining(userId: string, text: string, limit: number): Promise<string[]> {
    const { notes } = this.db.tables;
    const rows = await this.db.drizzle
      .select({ title: notes.title })
      .from(notes)
      .where(and(eq(notes.userId, userId), containsText(this.db.kind, notes.title, text)))
      .orderBy(desc(notes.createdAt))
      .limit(limit);
    return [...new Set(rows.map((row) => row.title))];
  }

  /** Case-insensitive substring match on title or body. */
  async search(userId: string, text: string, limit: number): Promise<Note[]> {
    const { notes } = this.db.tables;
    const { kind } = this.db;
    return this.db.drizzle
      .select()
      .from(notes)
      .where(and(eq(notes.userId, userId), or(containsText(kind, notes.title, text), containsText(kind, notes.body, text))))
      .orderBy(desc(notes.createdAt))
      .limit(limit);
  }

  /** True when the note existed and belonged to the user. */
  async delete(userId: string, id: string): Promise<boolean> {
    const { notes } = this.db.tables;
    const rows = await this.db.drizzle
      .delete(notes)
      .where(and(eq(notes.id, id), eq(notes.userId, userId)))
      .returning({ id: notes.id });
    return rows.length > 0;
  }
}
