/**
 * A person (Uma) in the web chat with one catalogue server connected and the scripted OpenAI
 * fixture as the model: each turn takes the next of `turns` (push more as the test goes), and
 * title requests are answered apart so they take none of them.
 */
import type { Browser, Page } from 'playwright-core';
import { type OpenAIFixture, type Reply, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { launchBrowser, type OpenPage, openPage, signIn } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { connectServer } from './chat-actions.ts';
import { isTitleRequest } from '../support/title-requests.ts';

export interface ScriptedChat extends AsyncDisposable {
  fixture: OpenAIFixture;
  server: TestServer;
  /** For a second window or person. */
  browser: Browser;
  person: OpenPage;
  page: Page;
}

export async function startScriptedChat(options: {
  title: string;
  turns: Reply[];
  /** The catalogue server the person connects, by its name in the tools drawer. */
  connect: string;
  env?: Record<string, string>;
  /** Runs before the person connects (a catalogue entry's settings decide what the server offers). */
  prepare?: (server: TestServer) => Promise<unknown>;
}): Promise<ScriptedChat> {
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
  await options.prepare?.(server);
  const person = await openPage(browser);
  await signIn(person.page, server.url, 'Uma User');
  await connectServer(person.page, options.connect);
  return {
    fixture,
    server,
    browser,
    person,
    page: person.page,
    async [Symbol.asyncDispose]() {
      await browser.close();
      await server[Symbol.asyncDispose]();
      await fixture.stop();
    },
  };
}
