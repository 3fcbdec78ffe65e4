/**
 * The console's Usage page in Chromium: answers Uma and Ulf got from a model whose endpoint (the
 * OpenAI-wire fixture) reports its token counts show up by day, person and model, with totals per
 * person and per model, numbers as the page's language writes them. A period with no answers says
 * so, and a period that ends before it starts is refused in words.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, launchBrowser, type OpenPage, openPage, screenshot, signIn } from '../support/browser.ts';
import { eventually } from '../support/eventually.ts';
import { type Person, signIn as signInOverHttp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

setDefaultTimeout(30_000);

let server: TestServer;
let fixture: OpenAIFixture;
let browser: Browser;
let ada: OpenPage;
let page: Page;
const today = new Date().toISOString().slice(0, 10);

/** One answered turn in a new chat of the person's. */
async function answered(person: Person, text: string): Promise<void> {
  const chat = await person.client.api.chats.create.mutate({});
  await person.client.api.chats.send.mutate({ chatId: chat.id, text });
  await eventually(async () => {
    const { history } = await person.client.api.chats.get.query({ chatId: chat.id });
    return history.messages.at(-1)?.role === 'assistant' && history.runState.status === 'idle';
  }, `the answer to "${text}"`);
}

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback({ kind: 'text', text: 'Counted.', usage: { prompt_tokens: 1234, completion_tokens: 56, total_tokens: 1290 } });
  [server, browser] = await Promise.all([
    startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_MODEL: 'fixture-model' }),
    launchBrowser(),
  ]);
  const [uma, ulf] = await Promise.all([
    signInOverHttp(server.url, 'uma@countersign.dev'),
    signInOverHttp(server.url, 'ulf@countersign.dev'),
  ]);
  await answered(uma, 'First question');
  await answered(uma, 'Second question');
  await answered(ulf, 'My question');
  await Promise.all([uma.client.close(), ulf.client.close()]);
  ada = await openPage(browser);
  page = ada.page;
  await signIn(page, server.url, 'Ada Admin', '/admin/usage');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

const cells = (row: ReturnType<Page['getByRole']>) => row.locator('th, td').allTextContents();

test('the last 30 days show each person’s tokens by day and model, with totals per person and per model', async () => {
  await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
  const table = page.getByRole('table', { name: 'Tokens by day, person and model' });
  await table.getByRole('row').nth(2).waitFor();
  const language = await page.evaluate(() => navigator.language);
  const day = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${today}T00:00:00Z`));
  const rows = await Promise.all((await table.getByRole('row').all()).slice(1).map(cells));
  expect(rows).toEqual([
    [day, 'Ulf User', 'fixture-model', '1', '1,234', '56'],
    [day, 'Uma User', 'fixture-model', '2', '2,468', '112'],
  ]);

  const people = page.getByRole('region', { name: 'Totals per person' });
  await expect(cells(people.getByRole('row', { name: 'Uma User' }))).resolves.toEqual(['Uma User', '2', '2,468', '112']);
  await expect(cells(people.getByRole('row', { name: 'Ulf User' }))).resolves.toEqual(['Ulf User', '1', '1,234', '56']);
  const models = page.getByRole('region', { name: 'Totals per model' });
  await expect(cells(models.getByRole('row', { name: 'fixture-model' }))).resolves.toEqual(['fixture-model', '3', '3,702', '168']);
  await screenshot(page, 'admin-usage', { fullPage: true });
});

test('a period without answers says so; one that ends before it starts is refused', async () => {
  await page.getByLabel('From', { exact: true }).fill('2020-01-01');
  await page.getByLabel('To', { exact: true }).fill('2020-01-31');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByText('No answers with reported usage in this period.').waitFor();
  await expect(page.getByRole('region', { name: 'Totals per person' }).count()).resolves.toBe(0);

  await page.getByLabel('From', { exact: true }).fill('2020-02-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('alert').getByText('must not be before from').waitFor();
});

test('no page errors', () => {
  expectNoProblems(ada);
});
