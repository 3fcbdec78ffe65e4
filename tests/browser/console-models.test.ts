/**
 * The console's Models page in Chromium: Ada adds a model, testing it against an OpenAI-wire
 * fixture before it is saved, sees it in the list, limits it to admins and names groups, makes it the default,
 * is told at the key field that a new address needs the key again, and removes it. A model whose
 * endpoint refuses the key shows why, in plain words.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { accessibilityProblems } from '../support/axe.ts';
import { expectNoProblems, launchBrowser, type OpenPage, openPage, screenshot, signIn } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

setDefaultTimeout(30_000);

let server: TestServer;
let fixture: OpenAIFixture;
let browser: Browser;
let ada: OpenPage;
let page: Page;

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback({ kind: 'text', text: 'OK' });
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  ada = await openPage(browser);
  page = ada.page;
  await signIn(page, server.url, 'Ada Admin', '/admin/models');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

const row = (name: string) => page.getByRole('row', { name });
const result = () => page.getByRole('status', { name: 'Model test' });

test('a new model is tested before it is saved, then listed with what it can do and who may use it', async () => {
  await page.getByRole('heading', { name: 'Models', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Add model' }).click();
  await page.getByRole('heading', { name: 'Add a model' }).waitFor();
  await page.getByLabel('Name (people see it)').fill('Fixture GPT');
  await page.getByLabel('Base URL').fill(fixture.baseURL);
  await page.getByLabel('Model name (empty: gpt-4.1)').fill('fixture-model');
  await page.getByLabel('API key (write-only, optional)').fill('sk-fixture');

  await page.getByRole('button', { name: 'Test model' }).click();
  await result()
    .getByText(/The model answered in \d+ ms:/)
    .waitFor();
  await expect(result().textContent()).resolves.toContain('OK');
  const tested = fixture.requests.at(-1)!;
  expect(tested.body.model).toBe('fixture-model');
  expect(tested.authorization).toBe('Bearer sk-fixture');
  await screenshot(page, 'admin-model-tested', { fullPage: true });
  expect(await accessibilityProblems(page, 'admin-model-form')).toBe('');

  // Nothing was saved by the test.
  await page.getByRole('link', { name: 'Models', exact: true }).first().click();
  await page.getByRole('heading', { name: 'Models', exact: true }).waitFor();
  await expect(row('Fixture GPT').count()).resolves.toBe(0);

  await page.getByRole('link', { name: 'Add model' }).click();
  await page.getByLabel('Name (people see it)').fill('Fixture GPT');
  await page.getByLabel('Base URL').fill(fixture.baseURL);
  await page.getByLabel('Model name (empty: gpt-4.1)').fill('fixture-model');
  await page.getByLabel('API key (write-only, optional)').fill('sk-fixture');
  await page.getByRole('button', { name: 'Add model' }).click();
  await page.getByRole('heading', { name: 'Fixture GPT' }).waitFor();
  // The key is write-only: the form says one is stored, and never shows it.
  await page.getByText('•••• stored', { exact: true }).waitFor();
  await expect(page.content()).resolves.not.toContain('sk-fixture');

  await page.getByRole('link', { name: 'Models', exact: true }).first().click();
  const listed = await row('Fixture GPT').textContent();
  for (const shown of ['fixture-model', 'OpenAI-compatible', 'Enabled', 'Tool calls', 'Everyone']) expect(listed).toContain(shown);
  expect(listed).not.toContain('Images');
  await screenshot(page, 'admin-models', { fullPage: true });
  expect(await accessibilityProblems(page, 'admin-models')).toBe('');
});

test('an edit limits the model to admins and says it accepts images; the list shows both', async () => {
  await row('Fixture GPT').getByRole('link', { name: 'Fixture GPT' }).click();
  await page.getByRole('heading', { name: 'Fixture GPT' }).waitFor();
  await page.getByRole('checkbox', { name: 'Accepts images' }).check();
  await page.getByRole('radio', { name: 'Only people with these roles' }).check();
  await page.getByRole('checkbox', { name: 'Admins' }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

  await page.getByRole('link', { name: 'Models', exact: true }).first().click();
  const listed = await row('Fixture GPT').textContent();
  expect(listed).toContain('Images');
  expect(listed).toContain('Admins');
  expect(listed).not.toContain('Everyone');
});

test('groups named in the form, comma-separated or one per line, are saved without repeats and listed', async () => {
  await row('Fixture GPT').getByRole('link', { name: 'Fixture GPT' }).click();
  await page.getByRole('heading', { name: 'Fixture GPT' }).waitFor();
  const groups = page.getByLabel('Groups (one per line or comma-separated)');
  await expect(groups.getAttribute('aria-describedby')).resolves.toBe('groups-help');
  await page.getByText('Microsoft Entra ID sends group object ids').waitFor();
  await groups.fill('3f2a9c4e-1b7d-4e8a-9c01-5d6e7f8a9b0c, Sales\n\nSales');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await expect(groups.inputValue()).resolves.toBe('3f2a9c4e-1b7d-4e8a-9c01-5d6e7f8a9b0c\nSales');
  await screenshot(page, 'admin-model-groups', { fullPage: true });

  await page.getByRole('link', { name: 'Models', exact: true }).first().click();
  const listed = await row('Fixture GPT').textContent();
  expect(listed).toContain('Admins');
  expect(listed).toContain('Groups: 3f2a9c4e-1b7d-4e8a-9c01-5d6e7f8a9b0c, Sales');
  expect(await accessibilityProblems(page, 'admin-models-groups')).toBe('');
});

test('making it the default takes the default from the model that had it', async () => {
  const before = page.getByRole('row').filter({ has: page.getByText('Default', { exact: true }) });
  await expect(before.count()).resolves.toBe(1);
  await row('Fixture GPT').getByRole('button', { name: 'Make default' }).click();
  await row('Fixture GPT').getByText('Default', { exact: true }).waitFor();
  await expect(
    page
      .getByRole('row')
      .filter({ has: page.getByText('Default', { exact: true }) })
      .count(),
  ).resolves.toBe(1);
  await expect(row('Fixture GPT').getByRole('button', { name: 'Make default' }).count()).resolves.toBe(0);
  // The default cannot be disabled, nor a disabled model made the default: neither is offered.
  await expect(row('Fixture GPT').getByRole('button', { name: 'Disable' }).count()).resolves.toBe(0);
  const demo = row('Offline demo model');
  await demo.getByRole('button', { name: 'Disable' }).click();
  await demo.getByRole('button', { name: 'Enable' }).waitFor();
  await expect(demo.getByRole('button', { name: 'Make default' }).count()).resolves.toBe(0);
  await demo.getByRole('button', { name: 'Enable' }).click();
  await demo.getByRole('button', { name: 'Make default' }).waitFor();
});

test('a new address without the key again is refused at the key field, which said so beforehand', async () => {
  await row('Fixture GPT').getByRole('link', { name: 'Fixture GPT' }).click();
  await page.getByLabel('Base URL').fill(`${fixture.baseURL}/elsewhere`);
  await page.locator('.notice.warn').filter({ hasText: 'A stored key is never sent to a new address' }).waitFor();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page
    .locator('#field-apiKey-problem')
    .getByText(/give the key again/)
    .waitFor();
  await page.getByRole('alert').getByText('The fields marked below need a change.').waitFor();
  await screenshot(page, 'admin-model-key-again', { fullPage: true });
});

test('a test the endpoint refuses shows the reason in plain words', async () => {
  fixture.script({ kind: 'error', status: 401, message: 'Incorrect API key provided' });
  await page.getByLabel('Base URL').fill(fixture.baseURL);
  await page.getByRole('button', { name: 'Replace the API key' }).click();
  await page.getByLabel('API key (write-only, optional)').fill('sk-wrong');
  await page.getByRole('button', { name: 'Test model' }).click();
  await result().getByText('The model did not answer.').waitFor();
  await expect(result().textContent()).resolves.toContain("The language model refused the server's credentials (HTTP 401)");
  expect(fixture.requests.at(-1)!.authorization).toBe('Bearer sk-wrong');
});

test('removing it asks first, then it leaves the list', async () => {
  await page.getByRole('button', { name: 'Remove model…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove Fixture GPT?' });
  await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
  await page.getByRole('heading', { name: 'Models', exact: true }).waitFor();
  await expect(row('Fixture GPT').count()).resolves.toBe(0);
});

test('no page errors', () => {
  expectNoProblems(ada);
});
