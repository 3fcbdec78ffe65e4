/** Provider wiring: the openai provider's key, model and API choice (the demo model: demo-model.test.ts, demo-model-reach.test.ts). */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { loadConfig } from '../../server/config.ts';
import { resolveLlmEndpoint } from '../../server/llm/endpoint.ts';
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
  const config = loadConfig({
    NODE_ENV: 'test',
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: fixture.baseURL,
    LLM_API_KEY: 'sk-test',
    LLM_MODEL: 'gpt-5.6-mini',
  });
  const h = createHarness({ endpoint: resolveLlmEndpoint(config) });
  const { threadId } = createChat(h.db);

  expect(await h.manager.get(USER_ID).send(threadId, 'hi', collector())).toEqual({ status: 'idle' });

  expect(fixture.requests).toHaveLength(1);
  expect(fixture.requests[0]!.authorization).toBe('Bearer sk-test');
  expect(fixture.requests[0]!.body).toMatchObject({ model: 'gpt-5.6-mini', stream: true });
  h.db.close();
});

test('openai without a key (Ollama, llama.cpp) still sends a placeholder the client insists on', () => {
  const config = loadConfig({ NODE_ENV: 'test', LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL });
  expect(resolveLlmEndpoint(config)).toMatchObject({ apiKey: 'not-needed', model: 'gpt-4.1' });
});

test('Azure OpenAI’s v1 endpoint: the OpenAI protocol as it is, the deployment name as the model, the key as a bearer token', async () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: `${fixture.origin}/openai/v1/`,
    LLM_API_KEY: 'azure-key',
    LLM_MODEL: 'my-gpt-deployment',
  });
  const h = createHarness({ endpoint: resolveLlmEndpoint(config) });
  const { threadId } = createChat(h.db);

  expect(await h.manager.get(USER_ID).send(threadId, 'hi', collector())).toEqual({ status: 'idle' });

  expect(fixture.requests.map(({ path, authorization, body }) => ({ path, authorization, model: body.model }))).toEqual([
    { path: '/openai/v1/chat/completions', authorization: 'Bearer azure-key', model: 'my-gpt-deployment' },
  ]);
  h.db.close();
});

test('Azure OpenAI’s classic deployments endpoint: the api-version kept on every request, the key in api-key', async () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: `${fixture.origin}/openai/deployments/my-gpt-deployment?api-version=2024-10-21`,
    LLM_API_KEY: 'azure-key',
    LLM_MODEL: 'my-gpt-deployment',
  });
  const h = createHarness({ endpoint: resolveLlmEndpoint(config) });
  const { threadId } = createChat(h.db);

  expect(await h.manager.get(USER_ID).send(threadId, 'hi', collector())).toEqual({ status: 'idle' });
  expect(await h.manager.get(USER_ID).send(threadId, 'again', collector())).toEqual({ status: 'idle' });

  expect(fixture.requests.map(({ path, authorization, apiKey }) => ({ path, authorization, apiKey }))).toEqual(
    Array(2).fill({
      path: '/openai/deployments/my-gpt-deployment/chat/completions?api-version=2024-10-21',
      authorization: null,
      apiKey: 'azure-key',
    }),
  );
  h.db.close();
});
