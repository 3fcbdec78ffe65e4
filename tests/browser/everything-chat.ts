/**
 * A person in the web chat with the seeded server-everything connected, its calls running without
 * asking, and the scripted OpenAI fixture as the model: each turn takes the next of `turns` (push
 * more as the test goes), and title requests are answered apart so they take none of them.
 */
import type { Page } from 'playwright-core';
import type { SamplingPolicy } from '../../db/schema.ts';
import { titlePrompt } from '../../server/agent/prompts.ts';
import { EVERYTHING_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { type ChatRequestBody, type OpenAIFixture, type Reply, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { launchBrowser, type OpenPage, openPage, signIn } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { connectServer } from './chat-actions.ts';

export interface EverythingChat extends AsyncDisposable {
  fixture: OpenAIFixture;
  server: TestServer;
  person: OpenPage;
  page: Page;
}

const isTitleRequest = (body: ChatRequestBody) => body.messages.some((m) => m.role === 'system' && m.content === titlePrompt);

export async function startEverythingChat(options: {
  title: string;
  turns: Reply[];
  env?: Record<string, string>;
  /** Set on the catalogue entry before the person connects (what the server offers depends on it). */
  entry?: { samplingPolicy?: SamplingPolicy; samplingMaxTokens?: number };
}): Promise<EverythingChat> {
  const fixture = startOpenAIFixture();
  fixture.fallback((body) =>
    isTitleRequest(body) ? { kind: 'text', text: options.title } : (options.turns.shift() ?? { kind: 'text', text: 'Done.' }),
  );
  const [server, browser] = await Promise.all([
    startTestServer({
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: fixture.baseURL,
      LLM_API_KEY: 'sk-test',
      LLM_MODEL: 'fixture-model',
      ...options.env,
    }),
    launchBrowser(),
  ]);
  // Calls run without asking: approvals are not what these tests are about.
  await server.catalogue.update(EVERYTHING_SERVER_ID, { trusted: true, defaultPolicy: 'auto', ...options.entry });
  const person = await openPage(browser);
  await signIn(person.page, server.url, 'Uma User');
  await connectServer(person.page, 'Everything');
  return {
    fixture,
    server,
    person,
    page: person.page,
    async [Symbol.asyncDispose]() {
      await browser.close();
      await server[Symbol.asyncDispose]();
      await fixture.stop();
    },
  };
}
