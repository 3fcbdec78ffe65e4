/**
 * Rich tool results in the web chat: server-everything's tiny image shown in its tool card (decoded
 * by the browser, so the page's CSP lets the data: URL through) and a tool's structured content as
 * formatted JSON, live and again after a reload (from the history). The model is a scripted fixture.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { titlePrompt } from '../../server/agent/prompts.ts';
import { EVERYTHING_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { type ChatRequestBody, type OpenAIFixture, type Reply, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, launchBrowser, type OpenPage, openPage, screenshot, signIn } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { answerTo, connectServer, sendMessage } from './chat-actions.ts';

setDefaultTimeout(30_000);

let fixture: OpenAIFixture;
let server: TestServer;
let browser: Browser;
let person: OpenPage;
let page: Page;
const turns: Reply[] = [];

const isTitleRequest = (body: ChatRequestBody) => body.messages.some((m) => m.role === 'system' && m.content === titlePrompt);

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback((body) =>
    isTitleRequest(body) ? { kind: 'text', text: 'Pictures' } : (turns.shift() ?? { kind: 'text', text: 'Done.' }),
  );
  [server, browser] = await Promise.all([
    startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fixture-model' }),
    launchBrowser(),
  ]);
  // The seeded server-everything, its calls run without asking: approvals are not what this test is about.
  await server.catalogue.update(EVERYTHING_SERVER_ID, { trusted: true, defaultPolicy: 'auto' });
  person = await openPage(browser);
  page = person.page;
  await signIn(page, server.url, 'Uma User');
  await connectServer(page, 'Everything');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

/** The tool card of `title`, opened. */
async function openCard(title: string): Promise<Locator> {
  const card = page.locator('.tool-card', { has: page.locator('.tool-name', { hasText: title }) }).last();
  await card.locator('summary').first().click();
  return card;
}

async function expectRichCards(): Promise<void> {
  const imageCard = await openCard('Get Tiny Image Tool');
  const image = imageCard.getByRole('img', { name: 'Result of Get Tiny Image Tool' });
  await image.waitFor();
  // Decoded, not a broken image: the CSP allowed the data: URL and the data is the PNG.
  await expect(image.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth])).resolves.toEqual([true, 20]);
  await expect(image.getAttribute('src')).resolves.toStartWith('data:image/png;base64,iVBORw0KGgo');

  const weatherCard = await openCard('Get Structured Content Tool');
  await weatherCard.getByText('Structured content', { exact: true }).click();
  const json = JSON.parse((await weatherCard.locator('.tool-structured pre').textContent()) ?? '');
  expect(json).toMatchObject({ temperature: expect.any(Number), conditions: expect.any(String), humidity: expect.any(Number) });
}

test('an image result is shown in its tool card, structured content as JSON; both again after a reload', async () => {
  turns.push(
    {
      kind: 'tool_calls',
      calls: [
        { name: 'everything__get-tiny-image', arguments: {} },
        { name: 'everything__get-structured-content', arguments: { location: 'Chicago' } },
      ],
    },
    { kind: 'text', text: 'Here is the logo and the weather.' },
  );
  expect(await answerTo(page, () => sendMessage(page, 'Show me the logo and the weather'))).toBe('Here is the logo and the weather.');
  await expectRichCards();
  await screenshot(page, '18-rich-results');

  await page.reload();
  await page.getByText('Here is the logo and the weather.').waitFor();
  await expectRichCards();
});

test('no page errors (a refused data: URL would be one)', () => {
  expectNoProblems(person);
});
