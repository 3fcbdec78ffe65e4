/**
 * Search, pin and archive through the typed client: a sent message is found by a word of it, a
 * pinned chat heads the list, an archived one leaves it and is still found; another person
 * can do none of this to my chats, and finds none of them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import { ChatStore } from '../../server/chats/chat-store.ts';
import { LIMITS } from '../../shared/limits.ts';
import { finalState, follow } from '../faults/support.ts';
import { eventually } from '../support/eventually.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let uma: Person;
let ulf: Person;

beforeAll(async () => {
  server = await startTestServer();
  uma = await signIn(server.url, 'uma@countersign.dev');
  ulf = await signIn(server.url, 'ulf@countersign.dev');
});
afterAll(async () => {
  await uma.client.close();
  await ulf.client.close();
  await server[Symbol.asyncDispose]();
});

/** A chat of Uma's in which she said `text`, once its run is over. */
async function chatSaying(title: string, text: string) {
  const chat = await uma.client.api.chats.create.mutate({ title, enabledServers: [] });
  const { recorder, unsubscribe } = await follow(uma, chat.id);
  await uma.client.api.chats.send.mutate({ chatId: chat.id, text });
  expect((await finalState(recorder)).status).toBe('idle');
  unsubscribe();
  return chat;
}

const searchFor = (person: Person, query: string) => person.client.api.chats.search.query({ query });

describe('search, pin and archive', () => {
  test('a word of a sent message, and of the answer, is found as the run writes them', async () => {
    const chat = await chatSaying('Instruments', 'Tell me about the xylophonist Lionel Hampton');
    const found = await eventually(async () => (await searchFor(uma, 'xylophon')).find((r) => r.messageId), 'the message to be indexed');
    expect(found).toMatchObject({ chatId: chat.id, chatTitle: 'Instruments', role: 'user', archived: false });
    expect(found.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['xylophonist']);

    const { history } = await uma.client.api.chats.get.query({ chatId: chat.id });
    const answer = history.messages.find((m) => m.role === 'assistant' && m.text.trim() !== '');
    const word = answer?.text.match(/\p{L}{5,}/u)?.[0];
    if (!answer || !word) throw new Error('the demo model answered without a word to look for');
    const hits = await eventually(
      async () => (await searchFor(uma, word)).filter((r) => r.messageId === answer.id),
      'the answer to be indexed',
    );
    expect(hits).toMatchObject([{ chatId: chat.id, role: 'assistant' }]);
  });

  test('pinning heads the list and tells the chat’s watchers; archiving leaves the list, unpins, and stays searchable', async () => {
    const api = uma.client.api;
    const chat = await chatSaying('Marimba practice', 'How long should a marimbist practise daily?');
    const other = await api.chats.create.mutate({ title: 'Newer chat', enabledServers: [] });
    const { recorder, unsubscribe } = await follow(uma, chat.id);

    const pinned = await api.chats.pin.mutate({ chatId: chat.id, pinned: true });
    expect(pinned.pinnedAt).not.toBeNull();
    const told = await recorder.until((e) => e.type === 'chat_updated');
    expect(told).toMatchObject({ chat: { id: chat.id, pinnedAt: pinned.pinnedAt } });
    expect((await api.chats.list.query({})).items.slice(0, 2).map((c) => c.id)).toEqual([chat.id, other.id]);
    unsubscribe();

    const archived = await api.chats.archive.mutate({ chatId: chat.id, archived: true });
    expect(archived).toMatchObject({ pinnedAt: null, archivedAt: expect.any(String) });
    expect((await api.chats.list.query({})).items.map((c) => c.id)).not.toContain(chat.id);
    expect((await api.chats.list.query({ archived: true })).items.map((c) => c.id)).toEqual([chat.id]);
    const found = await eventually(async () => (await searchFor(uma, 'marimbist')).find((r) => r.messageId), 'the message to be indexed');
    expect(found).toMatchObject({ chatId: chat.id, archived: true });

    await api.chats.archive.mutate({ chatId: chat.id, archived: false });
    expect((await api.chats.list.query({})).items.map((c) => c.id)).toContain(chat.id);
    expect((await api.chats.list.query({ archived: true })).items).toEqual([]);
  });

  test('a deleted chat is no longer found', async () => {
    const chat = await chatSaying('Doomed', 'The ocarina is a vessel flute');
    await eventually(async () => (await searchFor(uma, 'ocarina')).some((r) => r.messageId), 'the message to be indexed');
    await uma.client.api.chats.delete.mutate({ chatId: chat.id });
    expect(await searchFor(uma, 'ocarina')).toEqual([]);
  });

  test('another person cannot pin or archive my chat, and never finds it', async () => {
    const chat = await chatSaying('Uma’s theremin', 'My theremin tuning secrets');
    await eventually(async () => (await searchFor(uma, 'theremin')).some((r) => r.messageId), 'the message to be indexed');
    const chatId = chat.id;
    await expect(ulf.client.api.chats.pin.mutate({ chatId, pinned: true })).rejects.toThrow(/No such chat/);
    await expect(ulf.client.api.chats.archive.mutate({ chatId, archived: true })).rejects.toThrow(/No such chat/);
    expect(await searchFor(ulf, 'theremin')).toEqual([]);
    const { chat: unchanged } = await uma.client.api.chats.get.query({ chatId: chat.id });
    expect(unchanged).toMatchObject({ pinnedAt: null, archivedAt: null });
  });

  test(`at most ${LIMITS.pinnedChats} chats are pinned: one more is refused until one is unpinned`, async () => {
    const api = ulf.client.api;
    const last = await api.chats.create.mutate({ title: 'One pin too many', enabledServers: [] });
    // The pins before it are made in the store: creating that many chats through the API would meet its rate limit.
    const { chats } = server.db.tables;
    const [row] = await server.db.drizzle.select({ ownerId: chats.ownerId }).from(chats).where(eq(chats.id, last.id));
    const store = new ChatStore(server.db);
    const pinned = [];
    for (let i = 0; i < LIMITS.pinnedChats; i++) {
      const chat = await store.create(row!.ownerId, { title: `Pinned ${i}` });
      await store.setPinned(row!.ownerId, chat.id, true);
      pinned.push(chat);
    }
    await expect(api.chats.pin.mutate({ chatId: last.id, pinned: true })).rejects.toThrow(
      `At most ${LIMITS.pinnedChats} chats can be pinned; unpin one first.`,
    );
    // Pinning a chat that is pinned already is no new pin.
    await api.chats.pin.mutate({ chatId: pinned[0]!.id, pinned: true });
    await api.chats.pin.mutate({ chatId: pinned[0]!.id, pinned: false });
    expect((await api.chats.pin.mutate({ chatId: last.id, pinned: true })).pinnedAt).not.toBeNull();
    const page = await api.chats.list.query({ limit: 1 });
    // Every pinned chat comes with the first page, whatever its size: then one chat of the rest.
    expect(page.items.length).toBe(LIMITS.pinnedChats + 1);
    expect(page.items.slice(0, LIMITS.pinnedChats).every((chat) => chat.pinnedAt !== null)).toBe(true);
    expect(page.items[0]!.id).toBe(last.id);
  });

  test('bad input is refused saying what was wrong; a query of only punctuation finds nothing', async () => {
    const api = uma.client.api;
    await expect(api.chats.search.query({ query: '   ' })).rejects.toThrow(/The search is empty/);
    await expect(api.chats.search.query({ query: 'x'.repeat(201) })).rejects.toThrow(/The search is 201 characters; the limit is 200/);
    await expect(api.chats.search.query({ query: 'piano', limit: 51 })).rejects.toThrow(/limit/);
    // @ts-expect-error: pinned is required
    await expect(api.chats.pin.mutate({ chatId: crypto.randomUUID() })).rejects.toThrow(/pinned must be true or false/);
    expect(await searchFor(uma, '"*():-')).toEqual([]);
  });
});
