/**
 * Calls arriving at once take turns across connections: a connection that sends a thousand calls
 * in one go delays its own calls, not another connection's, and one connection's calls still run
 * in the order it sent them. Both are read from what the calls did (a chat's title), not from when
 * answers arrived: answers to a big batch may queue in the socket behind others that left later.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { TrpcSocket, type Frame } from '../support/trpc-socket.ts';

/** Enough calls that answering them takes many event-loop turns, far more than the other connection's call takes to arrive. */
const MANY = 1000;

let server: TestServer;
let uma: Person;
beforeAll(async () => {
  server = await startTestServer();
  uma = await signIn(server.url, 'uma@countersign.dev');
});
afterAll(async () => {
  await server[Symbol.asyncDispose]();
});

/** Sends calls as one frame, a batch, as a client does with everything it sends in one tick. */
function sendBatch(socket: TrpcSocket, calls: { id: number; method: 'query' | 'mutation'; path: string; input?: unknown }[]): void {
  socket.socket.send(JSON.stringify(calls.map(({ id, method, path, input }) => ({ id, method, params: { path, input } }))));
}

/** The chat title a chats.get answer carries. */
function titleIn(frame: Frame): string | undefined {
  return (frame.result?.data as { chat?: { title?: string } } | undefined)?.chat?.title;
}

/** The email an auth.me answer carries. */
function emailIn(frame: Frame): string | undefined {
  return (frame.result?.data as { email?: string } | undefined)?.email;
}

test(`a connection sending ${MANY} calls at once does not hold up another connection's call`, async () => {
  const chat = await uma.client.api.chats.create.mutate({ title: 'Before' });
  const busy = await TrpcSocket.open(server.url, uma.cookie);
  const other = await TrpcSocket.open(server.url, uma.cookie);

  sendBatch(
    busy,
    Array.from({ length: MANY }, (_, i) => ({
      id: i + 1,
      method: 'mutation' as const,
      path: 'chats.rename',
      input: { chatId: chat.id, title: `Title ${i + 1}` },
    })),
  );
  // Sent once the server is known to be working through the batch.
  await busy.reply(1);
  other.call(1, 'query', 'chats.get', { chatId: chat.id });

  // The other connection was answered while the busy one's renames were still going on: it did not wait behind them all.
  const seen = titleIn(await other.reply(1));
  expect(seen).toMatch(/^Title \d+$/);
  expect(seen).not.toBe(`Title ${MANY}`);
  // And every rename still ran.
  expect((await busy.reply(MANY)).error).toBeUndefined();
  expect((await uma.client.api.chats.get.query({ chatId: chat.id })).chat.title).toBe(`Title ${MANY}`);
  busy.close();
  other.close();
});

test('calls on one connection run in the order it sent them', async () => {
  const chat = await uma.client.api.chats.create.mutate({ title: 'Before' });
  const socket = await TrpcSocket.open(server.url, uma.cookie);
  const renames = 100;
  // Rename, then read back, over and over: each read sees the rename sent just before it.
  sendBatch(
    socket,
    Array.from({ length: renames }, (_, i) => [
      { id: 2 * i + 1, method: 'mutation' as const, path: 'chats.rename', input: { chatId: chat.id, title: `Title ${i}` } },
      { id: 2 * i + 2, method: 'query' as const, path: 'chats.get', input: { chatId: chat.id } },
    ]).flat(),
  );
  const reads: Frame[] = await Promise.all(Array.from({ length: renames }, (_, i) => socket.reply(2 * i + 2)));
  expect(reads.map(titleIn)).toEqual(Array.from({ length: renames }, (_, i) => `Title ${i}`));
  // And the answers came back in the order the calls were sent.
  const ids = socket.frames.map((frame) => frame.id);
  expect(ids).toEqual(Array.from({ length: 2 * renames }, (_, i) => i + 1));
  socket.close();
});

test('calls past what one connection may have waiting are refused as too many, and the others answered', async () => {
  // Frames up to 8 MiB, so that one frame holds more than a connection may have waiting (4 Mi characters).
  await using big = await startTestServer({ MAX_REQUEST_BODY_BYTES: String(8 * 1024 * 1024) });
  const ada = await signIn(big.url, 'ada@countersign.dev');
  const flooding = await TrpcSocket.open(big.url, ada.cookie);
  const calm = await TrpcSocket.open(big.url, ada.cookie);
  const calls = 60;
  const padding = 'x'.repeat(100_000);
  sendBatch(
    flooding,
    Array.from({ length: calls }, (_, i) => ({ id: i + 1, method: 'query' as const, path: 'auth.me', input: padding })),
  );
  calm.call(1, 'query', 'auth.me');

  const replies = await Promise.all(Array.from({ length: calls }, (_, i) => flooding.reply(i + 1)));
  const answered = replies.filter((frame) => frame.result).length;
  expect(answered).toBeGreaterThan(0);
  expect(answered).toBeLessThan(calls);
  // The first calls were answered, the ones past the limit refused, with a reason the client shows.
  expect(replies.slice(0, answered).every((frame) => emailIn(frame) === 'ada@countersign.dev')).toBe(true);
  for (const refused of replies.slice(answered)) {
    expect(refused.error?.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.error?.message).toBe('Too many calls are waiting on this connection: wait for their answers before sending more.');
  }
  expect(emailIn(await calm.reply(1))).toBe('ada@countersign.dev');
  flooding.close();
  calm.close();
});
