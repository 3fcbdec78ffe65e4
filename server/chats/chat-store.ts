/** Chat rows, on SQLite or PostgreSQL. */
import { and, count, desc, eq, isNotNull, isNull, lt, ne, or, Param, sql } from 'drizzle-orm';
import type { AppDatabase, Tables } from '../../db/database.ts';
import type { WaitingApproval } from '../../db/schema.ts';
import { DEFAULT_CHAT_TITLE } from '../../shared/chat-title.ts';
import { containsText, jsonArrayHas, jsonArrayWithout, jsonObjectWithList } from '../../db/dialect.ts';

export type ChatRow = Tables['chats']['$inferSelect'];

export interface ChatPage {
  items: ChatRow[];
  nextCursor: string | null;
}

/** Cursor = `<updatedAt ms>:<id>` of the last row of the previous page (newest first). */
function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const match = /^(\d{1,16}):([\w-]{1,64})$/.exec(cursor);
  return match ? { at: new Date(Number(match[1])), id: match[2]! } : null;
}

export class ChatStore {
  // Every send looks its chat up and every finished run touches it: prepared once, because
  // drizzle's query building and SQLite's prepare were most of their cost (bench/db-calls.ts).
  readonly #get;
  readonly #touch;

  constructor(private readonly db: AppDatabase) {
    const { chats } = db.tables;
    this.#get = db.drizzle
      .select()
      .from(chats)
      .where(and(eq(chats.id, sql.placeholder('chatId')), eq(chats.ownerId, sql.placeholder('ownerId')), isNull(chats.deletedAt)))
      .prepare();
    this.#touch = db.drizzle
      .update(chats)
      // A bare placeholder is not typed for `set`; wrapped with its column, the value is encoded as the column stores it.
      .set({ updatedAt: sql`${new Param(sql.placeholder('at'), chats.updatedAt)}` })
      .where(and(eq(chats.id, sql.placeholder('chatId')), isNull(chats.deletedAt)))
      .returning()
      .prepare();
  }

  async create(ownerId: string, init: { title?: string; enabledServers?: string[]; modelId?: string | null }): Promise<ChatRow> {
    const { chats } = this.db.tables;
    const [row] = await this.db.drizzle
      .insert(chats)
      .values({
        id: crypto.randomUUID(),
        ownerId,
        threadId: crypto.randomUUID(),
        title: init.title ?? DEFAULT_CHAT_TITLE,
        enabledServers: init.enabledServers ?? [],
        modelId: init.modelId ?? null,
      })
      .returning();
    return row!;
  }

  /** A chat of this owner, or undefined: another user's chat is indistinguishable from none. */
  async get(ownerId: string, chatId: string): Promise<ChatRow | undefined> {
    const [row] = await this.#get.execute({ chatId, ownerId });
    return row;
  }

  /**
   * A page of the owner's chats, newest activity first. Without `archived`, the archived ones are
   * left out and the pinned ones come first, all of them, above the first page only (most recently
   * pinned first): a person pins few (LIMITS.pinnedChats), and so the cursor pages the rest alone,
   * never showing a pinned chat twice nor skipping one. With `archived`, only the archived ones
   * (never pinned: archiving unpins).
   */
  async list(ownerId: string, opts: { limit: number; cursor?: string; search?: string; archived?: boolean }): Promise<ChatPage | null> {
    const after = opts.cursor ? decodeCursor(opts.cursor) : undefined;
    if (after === null) return null;
    const { chats } = this.db.tables;
    const where = [
      eq(chats.ownerId, ownerId),
      isNull(chats.deletedAt),
      opts.archived ? isNotNull(chats.archivedAt) : isNull(chats.archivedAt),
    ];
    if (opts.search) where.push(containsText(this.db.kind, chats.title, opts.search));
    const pinned =
      opts.archived || after
        ? []
        : await this.db.drizzle
            .select()
            .from(chats)
            .where(and(...where, isNotNull(chats.pinnedAt)))
            .orderBy(desc(chats.pinnedAt), desc(chats.id));
    where.push(isNull(chats.pinnedAt));
    if (after) where.push(or(lt(chats.updatedAt, after.at), and(eq(chats.updatedAt, after.at), lt(chats.id, after.id)))!);
    const rows = await this.db.drizzle
      .select()
      .from(chats)
      .where(and(...where))
      .orderBy(desc(chats.updatedAt), desc(chats.id))
      .limit(opts.limit + 1);
    const items = rows.slice(0, opts.limit);
    const last = items.at(-1);
    return { items: [...pinned, ...items], nextCursor: rows.length > opts.limit && last ? `${last.updatedAt.getTime()}:${last.id}` : null };
  }

  /** How many chats the owner has pinned. */
  async pinnedCount(ownerId: string): Promise<number> {
    const { chats } = this.db.tables;
    const [row] = await this.db.drizzle
      .select({ pinned: count() })
      .from(chats)
      .where(and(eq(chats.ownerId, ownerId), isNull(chats.deletedAt), isNotNull(chats.pinnedAt)));
    return row?.pinned ?? 0;
  }

  /**
   * Pins or unpins the chat without moving it in the order of activity. Pinning an archived chat
   * brings it back to the list: a person pins what they want to see.
   */
  async setPinned(ownerId: string, chatId: string, pinned: boolean): Promise<ChatRow | undefined> {
    return this.#mark(ownerId, chatId, pinned ? { pinnedAt: new Date(), archivedAt: null } : { pinnedAt: null });
  }

  /**
   * Archives or unarchives the chat. As in ChatGPT, archiving takes it off the list, pinned or
   * not, so it unpins it; unarchiving returns it among the others, by its last activity.
   */
  async setArchived(ownerId: string, chatId: string, archived: boolean): Promise<ChatRow | undefined> {
    return this.#mark(ownerId, chatId, archived ? { archivedAt: new Date(), pinnedAt: null } : { archivedAt: null });
  }

  async #mark(ownerId: string, chatId: string, marks: Partial<Pick<ChatRow, 'pinnedAt' | 'archivedAt'>>): Promise<ChatRow | undefined> {
    const { chats } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(chats)
      .set(marks)
      .where(and(eq(chats.id, chatId), eq(chats.ownerId, ownerId), isNull(chats.deletedAt)))
      .returning();
    return row;
  }

  async update(
    ownerId: string,
    chatId: string,
    patch: Partial<Pick<ChatRow, 'title' | 'enabledServers' | 'alwaysAllowed' | 'systemPrompt' | 'modelId'>>,
  ): Promise<ChatRow | undefined> {
    const { chats } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(chats)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(chats.id, chatId), eq(chats.ownerId, ownerId), isNull(chats.deletedAt)))
      .returning();
    return row;
  }

  /** Sets the roots the chat offers one server, in the row itself, so a concurrent choice for another server is kept. */
  async setRoots(ownerId: string, chatId: string, serverId: string, uris: readonly string[]): Promise<ChatRow | undefined> {
    const { chats } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(chats)
      .set({ roots: jsonObjectWithList(this.db.kind, chats.roots, serverId, uris), updatedAt: new Date() })
      .where(and(eq(chats.id, chatId), eq(chats.ownerId, ownerId), isNull(chats.deletedAt)))
      .returning();
    return row;
  }

  /** The roots each of the owner's chats offers, for those that offer any. */
  async rootsOfOwner(ownerId: string): Promise<Record<string, string[]>[]> {
    const { chats } = this.db.tables;
    const rows = await this.db.drizzle
      .select({ roots: chats.roots })
      .from(chats)
      .where(and(eq(chats.ownerId, ownerId), isNull(chats.deletedAt), ne(chats.roots, {})));
    return rows.map((row) => row.roots);
  }

  /** Marks activity so the chat moves to the top of its owner's list; the row as it now is, or none once deleted. */
  async touch(chatId: string): Promise<ChatRow | undefined> {
    const [row] = await this.#touch.execute({ at: new Date(), chatId });
    return row;
  }

  /** Soft delete: the row stays for the audit log; the caller deletes the thread's history. */
  async softDelete(ownerId: string, chatId: string): Promise<ChatRow | undefined> {
    const { chats } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(chats)
      .set({ deletedAt: new Date() })
      .where(and(eq(chats.id, chatId), eq(chats.ownerId, ownerId), isNull(chats.deletedAt)))
      .returning();
    return row;
  }

  /** Records the approval the chat waits for (the inbox's), without moving the chat in its list. */
  async setWaitingApproval(chatId: string, waiting: WaitingApproval): Promise<ChatRow | undefined> {
    const { chats } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(chats)
      .set({ waitingApproval: waiting })
      .where(and(eq(chats.id, chatId), isNull(chats.deletedAt)))
      .returning();
    return row;
  }

  /** Clears the chat's waiting approval; the row only when there was one to clear. */
  async clearWaitingApproval(chatId: string): Promise<ChatRow | undefined> {
    const { chats } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(chats)
      .set({ waitingApproval: null })
      .where(and(eq(chats.id, chatId), isNotNull(chats.waitingApproval)))
      .returning();
    return row;
  }

  /** The owner's chats that wait for an approval, at most `limit` of the most recently active. */
  async waitingApprovals(ownerId: string, limit: number): Promise<ChatRow[]> {
    const { chats } = this.db.tables;
    return this.db.drizzle
      .select()
      .from(chats)
      .where(and(eq(chats.ownerId, ownerId), isNull(chats.deletedAt), isNotNull(chats.waitingApproval)))
      .orderBy(desc(chats.updatedAt))
      .limit(limit);
  }

  /** The owner's chats that use the server, most recently active first. */
  async withServer(ownerId: string, serverId: string, limit: number): Promise<Pick<ChatRow, 'id' | 'threadId'>[]> {
    const { chats } = this.db.tables;
    return this.db.drizzle
      .select({ id: chats.id, threadId: chats.threadId })
      .from(chats)
      .where(and(eq(chats.ownerId, ownerId), isNull(chats.deletedAt), jsonArrayHas(this.db.kind, chats.enabledServers, serverId)))
      .orderBy(desc(chats.updatedAt))
      .limit(limit);
  }

  /** Removes a server from every chat that enabled it (the server left the catalogue). */
  async removeServerEverywhere(serverId: string): Promise<void> {
    const { chats } = this.db.tables;
    await this.db.drizzle
      .update(chats)
      .set({ enabledServers: jsonArrayWithout(this.db.kind, chats.enabledServers, serverId) })
      .where(jsonArrayHas(this.db.kind, chats.enabledServers, serverId));
  }
}
