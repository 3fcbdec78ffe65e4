/**
 * Search over what was said in chats, and over their titles, on SQLite (FTS5) and PostgreSQL
 * (full-text search): written as messages are emitted, found by word prefix, ranked, safe against
 * query syntax, one person's only, and gone with a deleted chat; a chat from before indexing is
 * caught up when it is opened; pinned and archived chats in the list.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { AppDatabase } from '../../db/database.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { ChatStore } from '../../server/chats/chat-store.ts';
import { MessageIndex } from '../../server/chats/message-index.ts';
import type { ChatSearchResult } from '../../shared/chats.ts';
import { backends } from '../db/backends.ts';
import { eventually } from '../support/eventually.ts';

/** A result as a person reads it: the chat, and the snippet with its highlighted words in [brackets]. */
const shown = (result: ChatSearchResult) => ({
  chat: result.chatTitle,
  text: result.snippet.map((s) => (s.match ? `[${s.text}]` : s.text)).join(''),
});

for (const backend of backends) {
  describe(`message search on ${backend.name}`, () => {
    let db: AppDatabase;
    let dispose: () => Promise<void>;
    let chats: ChatStore;
    let index: MessageIndex;
    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
      chats = new ChatStore(db);
      index = new MessageIndex(db);
    });
    afterAll(() => dispose());

    const person = async (name: string) =>
      (
        await new DrizzleUserStore(db).upsertOnSignIn(
          { issuer: 'https://idp.test', subject: `${name}-${crypto.randomUUID()}`, tenantId: null, email: `${name}@example.test`, name },
          new Date(),
        )
      ).id;
    const say = (chat: { id: string; ownerId: string }, role: 'user' | 'assistant', text: string, id: string = crypto.randomUUID()) =>
      index.record(chat, role === 'user' ? { role, id, text } : { role, id, text, toolCalls: [] });

    test('a word in a message body is found by its prefix, with the match highlighted and the message named', async () => {
      const uma = await person('uma');
      const chat = await chats.create(uma, { title: 'Travel' });
      await say(chat, 'user', 'Which ferry goes from Lisbon to Madeira?', 'm-1');
      const [result, ...rest] = await index.search(uma, 'madei', 10);
      expect(rest).toEqual([]);
      expect(result).toMatchObject({ chatId: chat.id, messageId: 'm-1', role: 'user', archived: false });
      expect(shown(result!).text).toContain('Which ferry goes from Lisbon to [Madeira]');
    });

    test('every word must match; case and punctuation in the query do not matter', async () => {
      const uma = await person('uma');
      const chat = await chats.create(uma, { title: 'Kitchen' });
      await say(chat, 'assistant', 'Sourdough needs a starter, flour, water and salt.');
      await say(chat, 'assistant', 'Rye flour makes a denser loaf.');
      expect((await index.search(uma, 'FLOUR, starter!', 10)).map((r) => shown(r).text)).toEqual([
        expect.stringContaining('Sourdough needs a [starter], [flour], water and salt'),
      ]);
    });

    test('query syntax in the person’s text is taken as words, and a query of only punctuation finds nothing', async () => {
      const uma = await person('uma');
      const chat = await chats.create(uma, { title: 'Syntax' });
      await say(chat, 'user', 'Is NEAR the same as OR in quoted "search" syntax?');
      for (const query of ['"search', 'NEAR(', 'or*', 'syntax near', "search' :* &", 'quoted:search', '(search) -x']) {
        const found = await index.search(uma, query, 10);
        expect({ query, found: found.length }).toEqual({ query, found: query.includes('-x') ? 0 : 1 });
      }
      for (const query of ['"', '*', '()', '&|!:', '…', '---']) expect(await index.search(uma, query, 10)).toEqual([]);
    });

    test('a message mentioning the words more ranks first; among equals the newest does', async () => {
      const uma = await person('uma');
      const chat = await chats.create(uma, { title: 'Ranking' });
      await say(
        chat,
        'user',
        'One mention of tomatoes among many other words in a rather long sentence about gardening and weather.',
        'once',
      );
      await say(chat, 'user', 'Tomatoes, tomatoes, tomatoes.', 'thrice');
      await say(chat, 'user', 'Tomatoes, tomatoes, tomatoes.', 'thrice-later');
      expect((await index.search(uma, 'tomato', 10)).map((r) => r.messageId)).toEqual(['thrice-later', 'thrice', 'once']);
      expect((await index.search(uma, 'tomato', 2)).map((r) => r.messageId)).toEqual(['thrice-later', 'thrice']);
    });

    test('an assistant message emitted again is indexed as last written, once', async () => {
      const uma = await person('uma');
      const chat = await chats.create(uma, { title: 'Drafts' });
      await Promise.all([
        say(chat, 'assistant', 'The answer is pending', 'a-1'),
        say(chat, 'assistant', 'The answer is forty-two', 'a-1'),
        say(chat, 'assistant', '   ', 'empty'),
      ]);
      expect((await index.search(uma, 'answer', 10)).map((r) => [r.messageId, shown(r).text])).toEqual([
        ['a-1', 'The [answer] is forty-two'],
      ]);
      expect(await index.search(uma, 'pending', 10)).toEqual([]);
    });

    test('a chat written before messages were indexed is indexed from its history when it is opened, and only then', async () => {
      const uma = await person('uma');
      const chat = await chats.create(uma, { title: 'From before' });
      const history = [
        { role: 'user' as const, id: 'u-old', text: 'Where is the quarterly pomegranate report?' },
        { role: 'assistant' as const, id: 'a-old', text: 'In the finance folder.', toolCalls: [] },
      ];
      expect(await index.search(uma, 'pomegranate', 10)).toEqual([]);

      await index.catchUp(chat, history);
      expect((await index.search(uma, 'pomegranate', 10)).map((r) => r.messageId)).toEqual(['u-old']);
      expect((await index.search(uma, 'finance', 10)).map((r) => r.messageId)).toEqual(['a-old']);

      // Indexed as written from then on: a message the index already holds is not written again.
      await say(chat, 'user', 'A later question about plums', 'u-new');
      await index.catchUp(chat, [...history, { role: 'user', id: 'u-new', text: 'edited locally, never indexed' }]);
      expect(await index.search(uma, 'edited', 10)).toEqual([]);
    });

    test('titles match too, as results of their own, before messages', async () => {
      const uma = await person('uma');
      const chat = await chats.create(uma, { title: 'Holiday in Crete' });
      await say(chat, 'user', 'Book the Crete ferry', 'm-crete');
      expect((await index.search(uma, 'crete', 10)).map((r) => [r.messageId, r.role, shown(r).text])).toEqual([
        [null, null, 'Holiday in [Crete]'],
        ['m-crete', 'user', 'Book the [Crete] ferry'],
      ]);
    });

    test('another person’s messages and titles are never found', async () => {
      const uma = await person('uma');
      const ulf = await person('ulf');
      const umas = await chats.create(uma, { title: 'Uma’s zanzibar plans' });
      await say(umas, 'user', 'Secret zanzibar itinerary');
      expect(await index.search(ulf, 'zanzibar', 10)).toEqual([]);
      expect((await index.search(uma, 'zanzibar', 10)).length).toBe(2);
    });

    test('an archived chat is still found, and marked archived', async () => {
      const uma = await person('uma');
      const chat = await chats.create(uma, { title: 'Old things' });
      await say(chat, 'user', 'The quokka photos', 'q');
      await chats.setArchived(uma, chat.id, true);
      expect(await index.search(uma, 'quokka', 10)).toMatchObject([{ chatId: chat.id, messageId: 'q', archived: true }]);
    });

    test('a deleted chat’s messages leave the index, and its title is no longer found', async () => {
      const uma = await person('uma');
      const chat = await chats.create(uma, { title: 'Walrus notes' });
      await say(chat, 'user', 'Walrus tusks grow all their lives');
      await chats.softDelete(uma, chat.id);
      await index.forget(chat.id);
      expect(await index.search(uma, 'walrus', 10)).toEqual([]);
      const { messageSearch } = db.tables;
      expect(await db.drizzle.select().from(messageSearch)).not.toContainEqual(expect.objectContaining({ chatId: chat.id }));
    });

    test('the list puts pinned chats first, pages the rest once each, and leaves archived ones to their own list', async () => {
      const uma = await person('uma');
      // The list is newest first to the millisecond, and so are pins: each is made in a later one.
      const later = async <T>(made: T) => {
        const at = Date.now();
        await eventually(() => Date.now() > at, 'the clock to pass');
        return made;
      };
      const made = [];
      for (const title of ['a', 'b', 'c', 'd', 'e']) made.push(await later(await chats.create(uma, { title })));
      const [a, b, , d] = made;
      await later(await chats.setPinned(uma, b!.id, true));
      await chats.setPinned(uma, a!.id, true);
      await chats.setArchived(uma, d!.id, true);
      const titles = (page: { items: { title: string }[] } | null) => page!.items.map((chat) => chat.title);
      const first = await chats.list(uma, { limit: 1 });
      expect(titles(first)).toEqual(['a', 'b', 'e']);
      const second = await chats.list(uma, { limit: 1, cursor: first!.nextCursor! });
      expect(titles(second)).toEqual(['c']);
      expect(second!.nextCursor).toBeNull();
      expect(titles(await chats.list(uma, { limit: 10, archived: true }))).toEqual(['d']);

      // Archiving a pinned chat unpins it; unarchiving returns it among the others, by its activity.
      await chats.setArchived(uma, a!.id, true);
      expect(titles(await chats.list(uma, { limit: 10 }))).toEqual(['b', 'e', 'c']);
      await chats.setArchived(uma, a!.id, false);
      expect(titles(await chats.list(uma, { limit: 10 }))).toEqual(['b', 'e', 'c', 'a']);
      expect((await chats.get(uma, a!.id))?.pinnedAt).toBeNull();
      expect(await chats.pinnedCount(uma)).toBe(1);
    });
  });
}
