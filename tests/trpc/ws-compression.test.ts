/**
 * The tRPC WebSocket compresses (permessage-deflate) for clients that offer it, as browsers and
 * Bun's WebSocket do, and stays plain for clients that do not: either way a streamed answer, its
 * token deltas and the finished message (a frame long enough to be compressed), arrives exactly.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { wsUrl } from '../support/ws.ts';

// Non-ASCII on purpose: the compressed frames must still decode to the same UTF-8 text.
const ANSWER = Array.from({ length: 200 }, (_, i) => `Zeile ${i}: Grüße — `).join('');

interface Frame {
  result?: { type?: string; data?: { data?: ChatStreamEvent } };
}

/** A raw socket signed in as the web chat's page is (cookie, Origin), offering permessage-deflate or not. */
async function openSocket(appUrl: string, cookie: string, perMessageDeflate: boolean): Promise<WebSocket> {
  // Bun's own options argument; a browser always offers permessage-deflate.
  const socket = new WebSocket(wsUrl(appUrl), { headers: { cookie, origin: appUrl }, perMessageDeflate } as unknown as string[]);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onclose = (event) => reject(new Error(`the upgrade was refused (${event.code})`));
  });
  return socket;
}

/** Subscribes to a chat's events over `socket`; resolves with them once the run has settled. */
async function answerOver(socket: WebSocket, person: Person, text: string): Promise<ChatStreamEvent[]> {
  const chat = await person.client.api.chats.create.mutate({ enabledServers: [] });
  const { cursor } = await person.client.api.chats.get.query({ chatId: chat.id });
  const events: ChatStreamEvent[] = [];
  const started = Promise.withResolvers<void>();
  const settled = Promise.withResolvers<void>();
  socket.onmessage = ({ data }) => {
    const frame = JSON.parse(String(data)) as Frame;
    if (frame.result?.type === 'started') return started.resolve();
    const event = frame.result?.data?.data;
    if (!event) return;
    events.push(event);
    if (event.type === 'run_state' && (event.state.status === 'idle' || event.state.status === 'failed')) settled.resolve();
  };
  socket.onclose = (event) => settled.reject(new Error(`the socket closed (${event.code})`));
  socket.send(
    JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chats.events', input: { chatId: chat.id, lastEventId: cursor } } }),
  );
  await started.promise;
  await person.client.api.chats.send.mutate({ chatId: chat.id, text });
  await settled.promise;
  return events;
}

function answerText(events: ChatStreamEvent[]) {
  const message = events.find((e) => e.type === 'assistant_message');
  const deltas = events.flatMap((e) => (e.type === 'token' && e.messageId === message?.message.id ? [e.delta] : []));
  return { streamed: deltas.join(''), finished: message?.message.text, tokenEvents: deltas.length };
}

describe('WebSocket compression', () => {
  let model: OpenAIFixture;
  let server: TestServer;
  let uma: Person;
  beforeAll(async () => {
    model = startOpenAIFixture();
    model.fallback({ kind: 'text', text: ANSWER });
    server = await startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL, LLM_API_KEY: 'test', LLM_MODEL: 'fixture' });
    uma = await signIn(server.url, 'uma@countersign.dev');
  });
  afterAll(async () => {
    await uma.client.close();
    await server[Symbol.asyncDispose]();
    await model.stop();
  });

  test('a client that offers permessage-deflate, as a browser does, gets it, and the answer arrives exactly', async () => {
    const socket = await openSocket(server.url, uma.cookie, true);
    // The server's Sec-WebSocket-Extensions answer to the upgrade.
    expect(socket.extensions).toStartWith('permessage-deflate');
    const answer = answerText(await answerOver(socket, uma, 'Compressed, please.'));
    socket.close();
    expect(answer.tokenEvents).toBeGreaterThan(0);
    expect(answer.streamed).toBe(ANSWER);
    expect(answer.finished).toBe(ANSWER);
  });

  test('a client that does not offer compression gets plain frames and the same answer', async () => {
    const socket = await openSocket(server.url, uma.cookie, false);
    expect(socket.extensions).toBe('');
    const answer = answerText(await answerOver(socket, uma, 'Plain, please.'));
    socket.close();
    expect(answer.tokenEvents).toBeGreaterThan(0);
    expect(answer.streamed).toBe(ANSWER);
    expect(answer.finished).toBe(ANSWER);
  });
});

describe('WEBSOCKET_COMPRESSION, the operator choosing between memory and bytes', () => {
  for (const [mode, negotiated] of [
    ['every-frame', true],
    ['off', false],
  ] as const) {
    test(`${mode}: a browser-like client ${negotiated ? 'gets' : 'does not get'} permessage-deflate, and the answer arrives exactly`, async () => {
      await using model = startOpenAIFixture();
      model.fallback({ kind: 'text', text: ANSWER });
      await using server = await startTestServer({
        LLM_PROVIDER: 'openai',
        LLM_BASE_URL: model.baseURL,
        LLM_API_KEY: 'test',
        LLM_MODEL: 'fixture',
        WEBSOCKET_COMPRESSION: mode,
      });
      const ada = await signIn(server.url, 'ada@countersign.dev');
      const socket = await openSocket(server.url, ada.cookie, true);
      if (negotiated) expect(socket.extensions).toStartWith('permessage-deflate');
      else expect(socket.extensions).toBe('');
      const answer = answerText(await answerOver(socket, ada, `Mode ${mode}, please.`));
      socket.close();
      await ada.client.close();
      expect(answer.streamed).toBe(ANSWER);
      expect(answer.finished).toBe(ANSWER);
    });
  }
});
