/**
 * Who can reach the offline demo model: only this server's own model client. It answers a
 * signed-in person's chat, and no HTTP route serves it, signed in or not, whatever the provider.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { finalState, follow, newChat } from '../faults/support.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let uma: Person;

beforeAll(async () => {
  server = await startTestServer();
  uma = await signIn(server.url, 'uma@countersign.dev');
}, 60_000);
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
});

const completionRequest = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'countersign-demo', messages: [{ role: 'user', content: 'hello' }] }),
};

/** What an outsider gets from the paths the demo model was once served at. */
async function outsiderAnswers(url: string, headers: Record<string, string> = {}) {
  const completion = await fetch(`${url}/demo-llm/v1/chat/completions`, {
    ...completionRequest,
    headers: { ...completionRequest.headers, ...headers },
  });
  const models = await fetch(`${url}/demo-llm/v1/models`, { headers });
  return [
    { status: completion.status, text: await completion.text() },
    { status: models.status, text: await models.text() },
  ];
}

test('a person chatting with the demo provider gets the demo model’s answer', async () => {
  const chat = await newChat(uma);
  const { recorder, unsubscribe } = await follow(uma, chat.id);
  await uma.client.api.chats.send.mutate({ chatId: chat.id, text: 'hello there' });
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  const { history } = await uma.client.api.chats.get.query({ chatId: chat.id });
  expect(history.messages.at(-1)).toMatchObject({ role: 'assistant', text: expect.stringContaining('offline demo model') });
}, 30_000);

test('no HTTP route serves the demo model, to a stranger or to a signed-in person', async () => {
  const signedIn: Record<string, string> = { cookie: uma.cookie, origin: server.url };
  for (const headers of [{}, signedIn]) {
    for (const answer of await outsiderAnswers(server.url, headers)) {
      expect(answer.status).toBe(404);
      expect(answer.text).not.toContain('countersign-demo');
    }
  }
});

test('with another provider there is no demo model route either', async () => {
  const model = startOpenAIFixture();
  await using other = await startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL });
  try {
    for (const answer of await outsiderAnswers(other.url)) {
      expect(answer.status).toBe(404);
      expect(answer.text).not.toContain('countersign-demo');
    }
  } finally {
    await model.stop();
  }
}, 60_000);
