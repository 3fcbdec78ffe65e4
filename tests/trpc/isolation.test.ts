/** One person never sees, changes or drives another person's chats, approvals or connections. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let uma: Person;
let ulf: Person;
let umasChat: { id: string };

beforeAll(async () => {
  server = await startTestServer();
  uma = await signIn(server.url, 'uma@countersign.dev');
  ulf = await signIn(server.url, 'ulf@countersign.dev');
  await uma.client.api.servers.connect.mutate({ serverId: 'countersign-internal' });
  umasChat = await uma.client.api.chats.create.mutate({ title: 'Uma’s private plans' });
});
afterAll(async () => {
  await uma.client.close();
  await ulf.client.close();
  await server[Symbol.asyncDispose]();
});

describe('isolation between people', () => {
  test('every chat procedure refuses another person’s chat as if it did not exist', async () => {
    const api = ulf.client.api;
    const chatId = umasChat.id;
    const attempts: [string, Promise<unknown>][] = [
      ['get', api.chats.get.query({ chatId })],
      ['rename', api.chats.rename.mutate({ chatId, title: 'mine now' })],
      ['setServers', api.chats.setServers.mutate({ chatId, enabledServers: [] })],
      ['send', api.chats.send.mutate({ chatId, text: 'hello' })],
      ['decide', api.chats.decide.mutate({ chatId, interruptId: 'x', decisions: [{ toolCallId: 'y', action: 'approve' }] })],
      ['stop', api.chats.stop.mutate({ chatId })],
      ['delete', api.chats.delete.mutate({ chatId })],
    ];
    for (const [name, attempt] of attempts) {
      const error = await attempt.then(
        () => new Error(`${name} succeeded on another person's chat`),
        (e: unknown) => e,
      );
      expect({ name, message: (error as Error).message }).toEqual({ name, message: expect.stringContaining('No such chat') });
    }
    const { chat } = await uma.client.api.chats.get.query({ chatId });
    expect(chat.title).toBe('Uma’s private plans');
  });

  test('subscribing to another person’s chat events is refused', async () => {
    const error = await new Promise<Error>((resolve) => {
      const sub = ulf.client.api.chats.events.subscribe(
        { chatId: umasChat.id },
        {
          onError: (e) => {
            sub.unsubscribe();
            resolve(e);
          },
        },
      );
    });
    expect(error.message).toContain('No such chat');
  });

  test('chat lists and connections are per person', async () => {
    const ulfsChats = await ulf.client.api.chats.list.query({});
    expect(ulfsChats.items.map((c) => c.id)).not.toContain(umasChat.id);
    const ulfsServers = await ulf.client.api.servers.list.query();
    expect(ulfsServers.find((s) => s.id === 'countersign-internal')?.connection).toBe('disconnected');
    const umasServers = await uma.client.api.servers.list.query();
    expect(umasServers.find((s) => s.id === 'countersign-internal')?.connection).toBe('connected');
  });
});
