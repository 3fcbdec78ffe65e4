/** Provider wiring: the openai provider's key, model and API choice; the demo model served by the app itself. */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { loadConfig } from '../../server/config.ts';
import { resolveLlmEndpoint } from '../../server/llm/endpoint.ts';
import { DEMO_MODEL_ID, DEMO_PATH } from '../../server/llm/demo/demo-endpoint.ts';
import { startTestServer } from '../support/test-server.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { collector, createChat, createHarness, USER_ID } from './support.ts';

let fixture: OpenAIFixture;

beforeEach(() => {
  fixture = startOpenAIFixture();
});

afterEach(async () => {
  await fixture.stop();
});

test('openai: base URL, key and model from the settings; chat completions even for a model name ChatOpenAI would send to the Responses API', async () => {
  const config = loadConfig({ NODE_ENV: 'test', LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'gpt-5.6-mini' });
  const h = createHarness({ endpoint: resolveLlmEndpoint(config, () => 'http://unused') });
  const { threadId } = createChat(h.db);

  expect(await h.manager.get(USER_ID).send(threadId, 'hi', collector())).toEqual({ status: 'idle' });

  expect(fixture.requests).toHaveLength(1);
  expect(fixture.requests[0]!.authorization).toBe('Bearer sk-test');
  expect(fixture.requests[0]!.body).toMatchObject({ model: 'gpt-5.6-mini', stream: true });
  h.db.close();
});

test('openai without a key (Ollama, llama.cpp) still sends a placeholder the client insists on', () => {
  const config = loadConfig({ NODE_ENV: 'test', LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL });
  expect(resolveLlmEndpoint(config, () => '')).toMatchObject({ apiKey: 'not-needed', model: 'gpt-4.1' });
});

test('the running app serves the demo model at /demo-llm/v1', async () => {
  await using server = await startTestServer();
  const response = await fetch(`${server.url}${DEMO_PATH}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: DEMO_MODEL_ID, messages: [{ role: 'user', content: 'hello' }] }),
  });
  const body = (await response.json()) as { model: string; choices: { message: { content: string } }[] };
  expect(body.model).toBe(DEMO_MODEL_ID);
  expect(body.choices[0]!.message.content).toContain('offline demo model');
});
