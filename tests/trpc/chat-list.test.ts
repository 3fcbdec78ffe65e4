/** The chat list a sidebar shows: newest first, paged, searchable by title. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let uma: Person;

beforeAll(async () => {
  server = await startTestServer();
  uma = await signIn(server.url, 'uma@countersign.dev');
  for (const title of ['Budget 2027', '50% discount ideas', 'Trip to Lisbon', 'under_score plans', 'Budget review']) {
    const chat = await uma.client.api.chats.create.mutate({ title });
    // The list is newest first to the millisecond: the next chat must be made in a later one.
    await eventually(() => Date.now() > Date.parse(chat.updatedAt), 'the clock to pass the last chat’s time');
  }
});
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
});

describe('chat list', () => {
  test('pages through every chat once, newest first', async () => {
    const api = uma.client.api;
    const first = await api.chats.list.query({ limit: 2 });
    const second = await api.chats.list.query({ limit: 2, cursor: first.nextCursor! });
    const third = await api.chats.list.query({ limit: 2, cursor: second.nextCursor! });
    expect(third.nextCursor).toBeNull();
    expect([...first.items, ...second.items, ...third.items].map((c) => c.title)).toEqual([
      'Budget review',
      'under_score plans',
      'Trip to Lisbon',
      '50% discount ideas',
      'Budget 2027',
    ]);
  });

  test('search matches titles literally: % and _ are not wildcards', async () => {
    const titles = async (search: string) => (await uma.client.api.chats.list.query({ search })).items.map((c) => c.title);
    expect(await titles('budget')).toEqual(['Budget review', 'Budget 2027']);
    expect(await titles('50%')).toEqual(['50% discount ideas']);
    expect(await titles('%')).toEqual(['50% discount ideas']);
    expect(await titles('_')).toEqual(['under_score plans']);
  });

  test('renaming and deleting show in the list; a deleted chat is gone with its history', async () => {
    const api = uma.client.api;
    // A chat of its own, so the chats the other tests list stay as they are.
    const trip = await api.chats.create.mutate({ title: 'Trip to Sintra' });
    await api.chats.rename.mutate({ chatId: trip.id, title: 'Trip to Porto' });
    expect((await api.chats.list.query({})).items[0]?.title).toBe('Trip to Porto');
    await api.chats.delete.mutate({ chatId: trip.id });
    expect((await api.chats.list.query({})).items.map((c) => c.id)).not.toContain(trip.id);
    await expect(api.chats.get.query({ chatId: trip.id })).rejects.toThrow(/No such chat/);
  });
});
