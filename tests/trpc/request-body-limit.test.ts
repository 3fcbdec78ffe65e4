/**
 * MAX_REQUEST_BODY_BYTES on every route: a larger body gets 413 with a sentence naming the limit,
 * before the server reads it, whether its size is declared (Content-Length) or not (chunked), and
 * a WebSocket frame over the limit closes the socket.
 */
import { describe, expect, test } from 'bun:test';
import { connect } from 'node:net';
import { eventually } from '../support/eventually.ts';
import { signIn } from '../support/people.ts';
import { startTestServer } from '../support/test-server.ts';
import { closed, openSocket, wsUrl } from '../support/ws.ts';

const LIMIT = 64 * 1024;
const REFUSAL = /Request bodies are limited to 64 KiB \(MAX_REQUEST_BODY_BYTES\)/;

interface RawAnswer {
  status: number;
  body: string;
}

/**
 * Sends a request head and some body over a plain TCP socket, and returns the answer as soon as it
 * is complete, without ever finishing the body: only a server that answers before reading the
 * whole body answers at all.
 */
function answerBeforeBodyEnds(url: string, head: string[], bodyParts: string[]): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      for (const part of bodyParts) socket.write(part);
    });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      received += data;
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(received.slice(0, end))?.[1] ?? NaN);
      const body = received.slice(end + 4);
      if (Buffer.byteLength(body) < length) return;
      socket.destroy();
      resolve({ status: Number(received.split(' ', 2)[1]), body });
    });
    socket.on('error', reject);
  });
}

describe('request body limit', () => {
  test('a body over the limit gets 413 with the limit named, on every route', async () => {
    await using server = await startTestServer({ MAX_REQUEST_BODY_BYTES: String(LIMIT) });
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const big = JSON.stringify({ title: 'x'.repeat(LIMIT) });
    const routes = ['/trpc/chats.create', '/graphql', '/mcp', '/auth/logout', '/demo-llm/v1/chat/completions', '/no-such-page'];
    for (const path of routes) {
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { cookie: uma.cookie, origin: server.url, 'content-type': 'application/json' },
        body: big,
      });
      expect({ path, status: response.status }).toEqual({ path, status: 413 });
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(REFUSAL);
    }
    // The typed client shows the sentence; nothing was created, and a body within the limit still works.
    await expect(uma.client.api.chats.create.mutate({ title: 'x'.repeat(LIMIT) })).rejects.toMatchObject({
      message: expect.stringMatching(REFUSAL),
      data: { code: 'PAYLOAD_TOO_LARGE' },
    });
    expect((await uma.client.api.chats.list.query({})).items).toEqual([]);
    expect((await uma.client.api.chats.create.mutate({ title: 'y'.repeat(200) })).title).toHaveLength(200);
  });

  test('a declared Content-Length over the limit is refused before the body arrives', async () => {
    await using server = await startTestServer({ MAX_REQUEST_BODY_BYTES: String(LIMIT) });
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const answer = await answerBeforeBodyEnds(
      server.url,
      [
        'POST /trpc/chats.create HTTP/1.1',
        `Host: ${new URL(server.url).host}`,
        `Cookie: ${uma.cookie}`,
        'Content-Type: application/json',
        `Content-Length: ${50 * 1024 * 1024}`,
      ],
      ['{"title":"', 'x'.repeat(1024)],
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(REFUSAL);
  });

  test('a chunked body is read no further than the limit', async () => {
    await using server = await startTestServer({ MAX_REQUEST_BODY_BYTES: String(LIMIT) });
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const piece = 'x'.repeat(16 * 1024);
    const chunk = `${piece.length.toString(16)}\r\n${piece}\r\n`;
    const answer = await answerBeforeBodyEnds(
      server.url,
      [
        'POST /trpc/chats.create HTTP/1.1',
        `Host: ${new URL(server.url).host}`,
        `Cookie: ${uma.cookie}`,
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
      ],
      // One chunk past the limit, and no terminating chunk: the body never ends.
      Array.from({ length: LIMIT / piece.length + 1 }, () => chunk),
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(REFUSAL);
  });

  test('a chunked body within the limit is served as usual', async () => {
    await using server = await startTestServer({ MAX_REQUEST_BODY_BYTES: String(LIMIT) });
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const body = new TextEncoder().encode(JSON.stringify({ title: 'Sent in pieces' }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body.slice(0, 10));
        controller.enqueue(body.slice(10));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/trpc/chats.create`, {
      method: 'POST',
      headers: { cookie: uma.cookie, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: { data: { title: string } } }).result.data.title).toBe('Sent in pieces');
  });

  test('the default limit takes the largest message a person may send, escaped at its worst', async () => {
    await using server = await startTestServer();
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const chat = await uma.client.api.chats.create.mutate({ title: 'Long message' });
    // A control character is escaped as \u0001 in JSON: six bytes for one character.
    const text = `a${'\u0001'.repeat(31_998)}z`;
    const response = await fetch(`${server.url}/trpc/chats.send`, {
      method: 'POST',
      headers: { cookie: uma.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ chatId: chat.id, text }),
    });
    expect(response.status).toBe(200);
    await eventually(async () => {
      const { history } = await uma.client.api.chats.get.query({ chatId: chat.id });
      return history.runState.status === 'idle';
    }, 'the answer to finish');
  }, 30_000);

  test('a WebSocket frame over the limit closes the socket with 1009 (message too big)', async () => {
    await using server = await startTestServer({ MAX_REQUEST_BODY_BYTES: String(LIMIT) });
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const { opened, socket } = await openSocket(wsUrl(server.url), { cookie: uma.cookie, origin: server.url });
    expect(opened).toBe(true);
    const closing = closed(socket);
    socket.send(JSON.stringify({ id: 1, method: 'mutation', params: { path: 'chats.create', input: { title: 'x'.repeat(LIMIT) } } }));
    expect(await closing).toBe(1009);
    expect((await uma.client.api.chats.list.query({})).items).toEqual([]);
  });
});
