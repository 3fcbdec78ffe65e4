/**
 * How many chats one connection and one person may follow (`chats.events`) at once: the excess is
 * refused with TOO_MANY_REQUESTS naming the cap, following a chat twice on one connection counts
 * once, stopping frees the place at once, and a send reaches only the subscriptions allowed.
 * Subscriptions are served over the WebSocket only.
 */
import { describe, expect, test } from 'bun:test';
import { ChatStore } from '../../server/chats/chat-store.ts';
import { eventually } from '../support/eventually.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { TrpcSocket, type Frame } from '../support/trpc-socket.ts';

const PER_CONNECTION = 100;
const PER_PERSON = 300;
/** Hundreds of subscriptions, or a model turn: generous for a loaded machine. */
const TIMEOUT_MS = 30_000;

/** Chats made straight in the store: creating hundreds through the API would meet its rate limit. */
async function chatsOf(server: TestServer, person: Person, count: number): Promise<string[]> {
  const { id } = await person.client.api.auth.me.query();
  const store = new ChatStore(server.db);
  const chats = await Promise.all(Array.from({ length: count }, (_, i) => store.create(id, { title: `Chat ${i}` })));
  return chats.map((chat) => chat.id);
}

/** Subscribes to each chat with ids from `firstId` on, and returns every first reply. */
async function follow(socket: TrpcSocket, chatIds: string[], firstId: number): Promise<Frame[]> {
  for (const [i, chatId] of chatIds.entries()) socket.subscribe(firstId + i, chatId);
  return Promise.all(chatIds.map((_, i) => socket.reply(firstId + i)));
}

const started = (frame: Frame) => frame.result?.type === 'started';
const runEnded = (id: number) => (frame: Frame) => {
  const event =
    frame.id === id ? (frame.result?.data as { data?: { type?: string; state?: { status?: string } } } | undefined)?.data : undefined;
  return event?.type === 'run_state' && event.state?.status === 'idle';
};

describe('subscription caps', () => {
  test(
    `one connection follows at most ${PER_CONNECTION} chats; a second subscription to a chat counts once, a third is refused`,
    async () => {
      await using server = await startTestServer();
      const uma = await signIn(server.url, 'uma@countersign.dev');
      const chats = await chatsOf(server, uma, PER_CONNECTION + 1);
      const socket = await TrpcSocket.open(server.url, uma.cookie);

      expect((await follow(socket, chats.slice(0, PER_CONNECTION), 1)).every(started)).toBe(true);
      expect(started((await follow(socket, [chats[0]!], 1001))[0]!)).toBe(true);

      const refused = (await follow(socket, [chats[PER_CONNECTION]!], 1002))[0]!;
      expect(refused.error?.data?.code).toBe('TOO_MANY_REQUESTS');
      expect(refused.error?.message).toBe(
        `This connection already follows ${PER_CONNECTION} chats, the most one connection may; stop following one first.`,
      );
      const third = (await follow(socket, [chats[0]!], 1003))[0]!;
      expect(third.error?.data?.code).toBe('TOO_MANY_REQUESTS');
      expect(third.error?.message).toBe(
        'This connection already follows this chat twice, the most it may; stop one of those subscriptions first.',
      );

      // Stopping a subscription frees its place for the very next one.
      socket.stop(2);
      expect(started((await follow(socket, [chats[PER_CONNECTION]!], 1004))[0]!)).toBe(true);
      socket.close();
    },
    TIMEOUT_MS,
  );

  test(
    `one person follows at most ${PER_PERSON} chats across connections; closing a connection frees its places`,
    async () => {
      await using server = await startTestServer();
      const uma = await signIn(server.url, 'uma@countersign.dev');
      const chats = await chatsOf(server, uma, PER_PERSON + 1);
      const sockets = await Promise.all(
        Array.from({ length: PER_PERSON / PER_CONNECTION + 1 }, () => TrpcSocket.open(server.url, uma.cookie)),
      );
      for (const [i, socket] of sockets.slice(0, -1).entries()) {
        expect((await follow(socket, chats.slice(i * PER_CONNECTION, (i + 1) * PER_CONNECTION), 1)).every(started)).toBe(true);
      }
      const last = sockets.at(-1)!;
      const refused = (await follow(last, [chats[PER_PERSON]!], 1))[0]!;
      expect(refused.error?.data?.code).toBe('TOO_MANY_REQUESTS');
      expect(refused.error?.message).toBe(
        `You already follow ${PER_PERSON} chats across your connections, the most one person may; stop following one first.`,
      );

      // Ulf has an allowance of his own.
      const ulf = await signIn(server.url, 'ulf@countersign.dev');
      const ulfSocket = await TrpcSocket.open(server.url, ulf.cookie);
      expect(started((await follow(ulfSocket, await chatsOf(server, ulf, 1), 1))[0]!)).toBe(true);

      sockets[0]!.close();
      await sockets[0]!.closed;
      // The server hears of the close a moment after the client does: ask until it has.
      let nextId = 2;
      await eventually(
        async () => started((await follow(last, [chats[PER_PERSON]!], nextId++))[0]!),
        'a place freed by the closed connection',
      );
      for (const socket of [...sockets.slice(1), ulfSocket]) socket.close();
    },
    TIMEOUT_MS,
  );

  test(
    'a send reaches only the subscriptions that were allowed',
    async () => {
      await using server = await startTestServer();
      const uma = await signIn(server.url, 'uma@countersign.dev');
      const chats = await chatsOf(server, uma, PER_CONNECTION);
      const socket = await TrpcSocket.open(server.url, uma.cookie);
      await follow(socket, chats, 1);
      // Chat 0 followed three times: the second is allowed, the third refused.
      expect((await follow(socket, [chats[0]!, chats[0]!], 1001)).map((f) => f.error?.data?.code ?? f.result?.type)).toEqual([
        'started',
        'TOO_MANY_REQUESTS',
      ]);

      await uma.client.api.chats.send.mutate({ chatId: chats[0]!, text: 'calculate 2+3*4' });
      await Promise.all([socket.next(runEnded(1)), socket.next(runEnded(1001))]);
      const withEvents = new Set(socket.frames.filter((f) => f.result?.type === 'data').map((f) => f.id));
      expect([...withEvents].sort()).toEqual([1, 1001]);
      expect(socket.framesFor(1002)).toHaveLength(1);
      socket.close();
    },
    TIMEOUT_MS,
  );

  test('subscriptions are not served over HTTP (server-sent events): the answer says to use the WebSocket', async () => {
    await using server = await startTestServer();
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const [chatId] = await chatsOf(server, uma, 1);
    const abort = new AbortController();
    const response = await fetch(`${server.url}/trpc/chats.events?input=${encodeURIComponent(JSON.stringify({ chatId }))}`, {
      headers: { cookie: uma.cookie },
      signal: abort.signal,
    });
    const status = response.status;
    const body = status === 200 ? '' : await response.text();
    abort.abort();
    expect(status).toBe(405);
    expect(JSON.parse(body).error).toMatchObject({
      message: 'Subscriptions are served over the WebSocket at /trpc, not over HTTP; the typed client opens it for you.',
      data: { code: 'METHOD_NOT_SUPPORTED' },
    });
  });
});
