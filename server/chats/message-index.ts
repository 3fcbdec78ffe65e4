/**
 * What people and the model wrote in each chat, indexed as the run emits it (FTS5 on SQLite,
 * PostgreSQL's full-text search in cluster mode), and the search over it and over chat titles: a
 * person finds only their own chats', archived ones included (and marked), deleted ones never.
 */
import { and, asc, count, desc, eq, isNull } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { containsText, MATCH_END, MATCH_START, textSearch } from '../../db/dialect.ts';
import type { ChatMessageDto } from '../../shared/chat-events.ts';
import type { ChatSearchResult } from '../../shared/chats.ts';
import { markedSegments, wordSegments } from './snippet.ts';

/** At most this many words of a query are looked for: each narrows the results, and a search box is short. */
const MAX_WORDS = 16;
const MARKERS = new RegExp(`[${MATCH_START}${MATCH_END}]`, 'g');

/** The words of a query: runs of letters, digits and marks; whatever else the person typed separates them. */
export function searchWords(query: string): string[] {
  return (query.match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).slice(0, MAX_WORDS);
}

export class MessageIndex {
  /** Each chat's writes, in the order the run emitted them: an assistant message re-emitted must not be overwritten by its older text. */
  readonly #writes = new Map<string, Promise<void>>();

  constructor(private readonly db: AppDatabase) {}

  /** Indexes a user or assistant message (again, when its text changed); one without text is left out. */
  record(chat: { id: string; ownerId: string }, message: Extract<ChatMessageDto, { role: 'user' | 'assistant' }>): Promise<void> {
    // The snippet markers mean "match" in results, so the text never holds them itself.
    const text = message.text.replace(MARKERS, '').trim();
    if (text === '') return Promise.resolve();
    return this.#inOrder(chat.id, async () => {
      const { messageSearch } = this.db.tables;
      await this.db.drizzle
        .insert(messageSearch)
        .values({ chatId: chat.id, ownerId: chat.ownerId, messageId: message.id, role: message.role, text })
        .onConflictDoUpdate({ target: [messageSearch.chatId, messageSearch.messageId], set: { text } });
    });
  }

  /**
   * Indexes the shown messages of a chat whose index holds fewer rows than it shows messages with
   * text: one written before messages were indexed (an upgrade), or whose writes failed. Rows of
   * other branches count too, so a chat indexed as it was written never qualifies.
   */
  async catchUp(chat: { id: string; ownerId: string }, messages: readonly ChatMessageDto[]): Promise<void> {
    const shown = messages.filter(
      (m): m is Extract<ChatMessageDto, { role: 'user' | 'assistant' }> => m.role !== 'tool' && m.text.trim() !== '',
    );
    if (shown.length === 0) return;
    const { messageSearch } = this.db.tables;
    const [row] = await this.db.drizzle.select({ indexed: count() }).from(messageSearch).where(eq(messageSearch.chatId, chat.id));
    if ((row?.indexed ?? 0) >= shown.length) return;
    for (const message of shown) await this.record(chat, message);
  }

  /** The chat was deleted: what was said in it is no longer searchable (nor kept). */
  forget(chatId: string): Promise<void> {
    return this.#inOrder(chatId, async () => {
      const { messageSearch } = this.db.tables;
      await this.db.drizzle.delete(messageSearch).where(eq(messageSearch.chatId, chatId));
    });
  }

  /**
   * The owner's chats whose titles hold every word of the query (most recently active first),
   * then their messages that do, by prefix (best ranked first, newest first among equals), `limit` in all.
   */
  async search(ownerId: string, query: string, limit: number): Promise<ChatSearchResult[]> {
    const words = searchWords(query);
    if (words.length === 0) return [];
    const titles = await this.#titles(ownerId, words, limit);
    return titles.length < limit ? [...titles, ...(await this.#messages(ownerId, words, limit - titles.length))] : titles;
  }

  async #titles(ownerId: string, words: string[], limit: number): Promise<ChatSearchResult[]> {
    const { chats } = this.db.tables;
    const rows = await this.db.drizzle
      .select({ id: chats.id, title: chats.title, archivedAt: chats.archivedAt, updatedAt: chats.updatedAt })
      .from(chats)
      .where(
        and(eq(chats.ownerId, ownerId), isNull(chats.deletedAt), ...words.map((word) => containsText(this.db.kind, chats.title, word))),
      )
      .orderBy(desc(chats.updatedAt), desc(chats.id))
      .limit(limit);
    return rows.map((row) => ({
      chatId: row.id,
      chatTitle: row.title,
      archived: row.archivedAt !== null,
      messageId: null,
      role: null,
      snippet: wordSegments(row.title, words),
      at: row.updatedAt.toISOString(),
    }));
  }

  async #messages(ownerId: string, words: string[], limit: number): Promise<ChatSearchResult[]> {
    const { chats, messageSearch } = this.db.tables;
    const search = textSearch(this.db.kind, messageSearch, words);
    const query = this.db.drizzle
      .select({
        chatId: messageSearch.chatId,
        chatTitle: chats.title,
        archivedAt: chats.archivedAt,
        messageId: messageSearch.messageId,
        role: messageSearch.role,
        snippet: search.snippet.mapWith(String),
        at: messageSearch.createdAt,
      })
      .from(messageSearch)
      .innerJoin(chats, eq(chats.id, messageSearch.chatId))
      .$dynamic();
    if (search.join) query.innerJoin(search.join.table, search.join.on);
    const rows = await query
      // The owner on both: a row is found only when its chat is the person's too.
      .where(and(search.where, eq(messageSearch.ownerId, ownerId), eq(chats.ownerId, ownerId), isNull(chats.deletedAt)))
      .orderBy(asc(search.rank), desc(messageSearch.createdAt), desc(messageSearch.seq))
      .limit(limit);
    return rows.map((row) => ({
      chatId: row.chatId,
      chatTitle: row.chatTitle,
      archived: row.archivedAt !== null,
      messageId: row.messageId,
      role: row.role,
      snippet: markedSegments(row.snippet),
      at: row.at.toISOString(),
    }));
  }

  #inOrder(chatId: string, write: () => Promise<void>): Promise<void> {
    const done = (this.#writes.get(chatId) ?? Promise.resolve()).then(write);
    const settled = done.catch(() => {});
    this.#writes.set(chatId, settled);
    void settled.then(() => {
      if (this.#writes.get(chatId) === settled) this.#writes.delete(chatId);
    });
    return done;
  }
}
