/**
 * What the chat list shows reaches everyone following the chat as a `chat_updated` event, so the
 * web chat learns a new chat's title without reading the list again: the title given after the
 * first answer, a rename in another tab, and a server added to the chat.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { follow, INTERNAL } from '../faults/support.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let uma: Person;

beforeAll(async () => {
  server = await startTestServer();
  uma = await signIn(server.url, 'uma@countersign.dev');
});
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
});

test('a new chat’s first answer gives it a title, announced to its followers as the list will show it', async () => {
  const api = uma.client.api;
  const chat = await api.chats.create.mutate({ enabledServers: [] });
  const { cursor } = await api.chats.get.query({ chatId: chat.id });
  const { recorder, unsubscribe } = await follow(uma, chat.id, cursor);

  await api.chats.send.mutate({ chatId: chat.id, text: 'Tell me about the weather on the moon.' });
  const updated = await recorder.until((e) => e.type === 'chat_updated');
  unsubscribe();

  expect(updated.type === 'chat_updated' && updated.chat.title).not.toBe('New chat');
  const listed = (await api.chats.list.query({})).items.find((c) => c.id === chat.id);
  expect(updated).toMatchObject({ type: 'chat_updated', threadId: chat.threadId, chat: { id: chat.id, title: listed?.title } });
});

test('a rename and a server added in one tab reach another tab following the chat', async () => {
  const api = uma.client.api;
  const chat = await api.chats.create.mutate({ enabledServers: [] });
  const { cursor } = await api.chats.get.query({ chatId: chat.id });
  const { recorder, unsubscribe } = await follow(uma, chat.id, cursor);

  await api.chats.rename.mutate({ chatId: chat.id, title: 'Moon weather' });
  await api.servers.connect.mutate({ serverId: INTERNAL, chatId: chat.id });
  await recorder.until((e) => e.type === 'chat_updated' && e.chat.enabledServers.includes(INTERNAL));
  unsubscribe();

  const updates = recorder.events.flatMap(({ data }) => (data.type === 'chat_updated' ? [data.chat] : []));
  expect(updates).toEqual([
    expect.objectContaining({ title: 'Moon weather', enabledServers: [] }),
    expect.objectContaining({ title: 'Moon weather', enabledServers: [INTERNAL] }),
  ]);
});
