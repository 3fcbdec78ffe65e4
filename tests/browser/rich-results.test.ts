/**
 * Rich tool results in the web chat: server-everything's tiny image shown in its tool card (decoded
 * by the browser, so the page's CSP lets the data: URL through) and a tool's structured content as
 * formatted JSON, live and again after a reload (from the history). The model is a scripted fixture
 * that takes images (LLM_ACCEPTS_IMAGES): it is given the image the card shows.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Locator, Page } from 'playwright-core';
import type { Reply } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, type OpenPage, screenshot } from '../support/browser.ts';
import { answerTo, sendMessage } from './chat-actions.ts';
import { type EverythingChat, startEverythingChat } from './everything-chat.ts';

setDefaultTimeout(30_000);

const turns: Reply[] = [];
let chat: EverythingChat;
let page: Page;
let person: OpenPage;

beforeAll(async () => {
  chat = await startEverythingChat({ title: 'Pictures', turns, env: { LLM_ACCEPTS_IMAGES: 'true' } });
  ({ page, person } = chat);
}, 90_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
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
  // The model was given the very image the card shows, as an image_url part after the tool results.
  const shown = await page.getByRole('img', { name: 'Result of Get Tiny Image Tool' }).getAttribute('src');
  const parts = chat.fixture.requests.flatMap((r) => r.body.messages).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
  expect(parts).toContainEqual({ type: 'image_url', image_url: { url: shown } });

  await page.reload();
  await page.getByText('Here is the logo and the weather.').waitFor();
  await expectRichCards();
});

test('no page errors (a refused data: URL would be one)', () => {
  expectNoProblems(person);
});
