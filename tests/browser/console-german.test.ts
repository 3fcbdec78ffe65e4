/**
 * The console in German, for a person whose chosen language is German (and theme dark): every
 * page — the catalogue, a server, the new-server form, users, audit log, tokens, models, a model's
 * form, usage — and its dialogs is walked, and no visible text, aria-label, title or placeholder is
 * an English catalogue text of the console that German words differently. Numbers and dates are
 * written the German way.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { ModelsQuery, ServersQuery } from '../../admin/src/api/operations.ts';
import { consoleDe } from '../../shared/i18n/console-de.ts';
import { consoleEn } from '../../shared/i18n/console-en.ts';
import { type Admin, signInAdmin } from '../admin/support.ts';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, launchBrowser, type OpenPage, openPage, screenshot, signIn } from '../support/browser.ts';
import { accessibilityProblems } from '../support/axe.ts';
import { eventually } from '../support/eventually.ts';
import { signIn as signInOverHttp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

setDefaultTimeout(30_000);

let server: TestServer;
let fixture: OpenAIFixture;
let browser: Browser;
let ada: Admin;
let open: OpenPage;
let page: Page;

/** Each text of the English catalogue with the German text at the same key. */
function pairs(english: unknown, german: unknown): [string, unknown][] {
  if (typeof english === 'string') return [[english, german]];
  if (typeof english !== 'object' || english === null) return [];
  return Object.entries(english).flatMap(([key, value]) => pairs(value, (german as Record<string, unknown>)[key]));
}

/** The console's English texts that German words differently: none of them may be left on a German page. */
const ENGLISH = new Set(pairs(consoleEn, consoleDe).flatMap(([en, de]) => (en !== de ? [en.trim()] : [])));

/** Every visible text and every aria-label, title and placeholder of the page, the document's title too. */
function shownTexts(target: Page): Promise<string[]> {
  return target.evaluate(() => {
    const texts = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent && parent.getClientRects().length > 0) texts.push(node.textContent ?? '');
    }
    for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      for (const name of ['aria-label', 'title', 'placeholder']) {
        const value = element.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    return texts.map((text) => text.trim()).filter(Boolean);
  });
}

async function expectGerman(what: string): Promise<void> {
  const left = (await shownTexts(page)).filter((text) => ENGLISH.has(text));
  expect({ page: what, english: left }).toEqual({ page: what, english: [] });
}

/** Opens a console page and waits for its German heading. */
async function visit(path: string, heading: string): Promise<void> {
  await page.goto(`${server.url}/admin${path}`);
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback({ kind: 'text', text: 'OK', usage: { prompt_tokens: 1234, completion_tokens: 5, total_tokens: 1239 } });
  [server, browser] = await Promise.all([
    startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_MODEL: 'fixture-model' }),
    launchBrowser(),
  ]);
  ada = await signInAdmin(server.url);
  // Ulf has signed in once, so the users page lists someone whose role and access can change.
  await (await signInOverHttp(server.url, 'ulf@countersign.dev')).client.close();
  await ada.client.api.settings.setLocale.mutate({ locale: 'de' });
  await ada.client.api.settings.setTheme.mutate({ theme: 'dark' });
  // One answer, so the usage page has a row to write numbers in.
  const chat = await ada.client.api.chats.create.mutate({});
  await ada.client.api.chats.send.mutate({ chatId: chat.id, text: 'Hallo' });
  await eventually(async () => {
    const { history } = await ada.client.api.chats.get.query({ chatId: chat.id });
    return history.messages.at(-1)?.role === 'assistant' && history.runState.status === 'idle';
  }, 'the answer');
  open = await openPage(browser);
  page = open.page;
  await signIn(page, server.url, 'Ada Admin', '/admin');
}, 90_000);

afterAll(async () => {
  await ada?.client.close();
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

test('the console starts in the person’s language and theme', async () => {
  await page.getByRole('heading', { name: 'Katalog der MCP-Server' }).waitFor();
  expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dataset.theme])).toEqual(['de', 'dark']);
  await expectGerman('catalogue');
  await screenshot(page, 'admin-german-catalogue', { fullPage: true });
});

test('a server’s page and the new-server form, with their choices', async () => {
  const [countersign] = (await ada.admin(ServersQuery)).servers;
  await visit(`/servers/${encodeURIComponent(countersign!.id)}`, countersign!.name);
  await page.getByRole('heading', { name: 'Werkzeugregeln' }).waitFor();
  await page
    .getByRole('table', { name: `Regeln für die Werkzeuge von ${countersign!.name}` })
    .getByRole('row')
    .nth(1)
    .waitFor();
  await expectGerman('server');
  await page.getByRole('button', { name: 'Verbindung testen' }).click();
  await page.getByRole('status', { name: 'Verbindungstest' }).getByText('Verbunden').waitFor();
  await expectGerman('server, tested');
  await page.getByRole('button', { name: 'Server entfernen…' }).click();
  await page.getByRole('button', { name: 'Behalten' }).waitFor();
  await expectGerman('server, asked to remove');

  await visit('/servers/new', 'Server hinzufügen');
  await expectGerman('new server');
  await page.getByRole('radio', { name: 'Jede Person meldet sich an (OAuth)' }).check();
  await page.getByRole('radio', { name: 'Die Person jedes Mal fragen' }).check();
  await page.getByRole('button', { name: 'Ordner hinzufügen' }).click();
  await expectGerman('new server, behind OAuth, with sampling and a folder');
  await page.getByLabel('Transportweg').selectOption('STDIO');
  await page.getByLabel('Befehl').waitFor();
  await expectGerman('new server over stdio');
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Lokal');
  await page.getByRole('button', { name: 'Zum Katalog hinzufügen' }).click();
  await page.getByRole('alert').waitFor();
  await expectGerman('new server, refused');
});

test('users, with the dialogs that change a person', async () => {
  await visit('/users', 'Personen');
  const ulf = page.getByRole('row', { name: 'Ulf User' });
  await ulf.waitFor();
  await expectGerman('users');
  await ulf.getByRole('button', { name: 'Deaktivieren…' }).click();
  const disable = page.getByRole('dialog', { name: 'Ulf User deaktivieren?' });
  await disable.waitFor();
  await expectGerman('users, disable dialog');
  await disable.getByRole('button', { name: 'Abbrechen' }).click();
  await ulf.getByRole('combobox', { name: 'Rolle von Ulf User' }).selectOption('ADMIN');
  const role = page.getByRole('dialog', { name: 'Ulf User zum Admin machen?' });
  await role.waitFor();
  await expectGerman('users, role dialog');
  await role.getByRole('button', { name: 'Abbrechen' }).click();
});

test('the audit log and service tokens, with a token issued and its revocation asked', async () => {
  await visit('/audit', 'Prüfprotokoll');
  await page.getByText('Keine passenden Werkzeugaufrufe.').waitFor();
  await expectGerman('audit log');

  await visit('/tokens', 'Dienst-Tokens');
  await page.getByLabel('Bezeichnung (wer es nutzt)').fill('Berichte');
  await page.getByLabel('Name des Dienstkontos (wird angelegt, falls neu)').fill('berichte');
  await page.getByRole('button', { name: 'Token ausstellen' }).click();
  await page.getByRole('region', { name: 'Neues Token' }).waitFor();
  await page.getByRole('row', { name: 'Berichte' }).waitFor();
  await expectGerman('tokens, one issued');
  await page.getByRole('row', { name: 'Berichte' }).getByRole('button', { name: 'Widerrufen…' }).click();
  await page.getByRole('dialog', { name: '„Berichte“ widerrufen?' }).waitFor();
  await expectGerman('tokens, revoke dialog');
  await page.getByRole('button', { name: 'Abbrechen' }).click();
});

test('models, a model’s form with its test, and the remove dialog', async () => {
  await visit('/models', 'Modelle');
  await page.getByRole('row', { name: 'fixture-model' }).waitFor();
  await expectGerman('models');

  await visit('/models/new', 'Modell hinzufügen');
  await expectGerman('new model');
  await page.getByLabel('Anbieter').selectOption('AZURE_AD');
  await page.getByRole('radio', { name: 'Nur Personen mit diesen Rollen' }).check();
  await page.getByRole('button', { name: 'Modell testen' }).click();
  await page.getByRole('alert').waitFor();
  await expectGerman('new model on Azure AD, tested without its settings');

  const [model] = (await ada.admin(ModelsQuery)).models;
  await visit(`/models/${encodeURIComponent(model!.id)}`, model!.name);
  await page.getByRole('button', { name: 'Modell testen' }).click();
  await page
    .getByRole('status', { name: 'Modelltest' })
    .getByText(/Das Modell hat in \d+ ms geantwortet:/)
    .waitFor();
  await expectGerman('model, tested');
  await page.getByRole('button', { name: 'Modell entfernen…' }).click();
  await page.getByRole('dialog', { name: `${model!.name} entfernen?` }).waitFor();
  await expectGerman('model, remove dialog');
  await page.getByRole('button', { name: 'Abbrechen' }).click();
  await screenshot(page, 'admin-german-model', { fullPage: true });
});

test('usage, with numbers and days written the German way', async () => {
  await visit('/usage', 'Verbrauch');
  const row = page.getByRole('region', { name: 'Summen pro Person' }).getByRole('row', { name: 'Ada Admin' });
  await expect(row.locator('td').allTextContents()).resolves.toEqual(['Ada Admin', '1', '1.234', '5']);
  const day = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date());
  await page.getByRole('table', { name: 'Tokens nach Tag, Person und Modell' }).getByText(day, { exact: true }).waitFor();
  await expectGerman('usage');
  expect(await accessibilityProblems(page, 'admin-usage, German and dark')).toBe('');
  await screenshot(page, 'admin-german-usage', { fullPage: true });
});

test('a page that does not exist says so in German', async () => {
  await page.goto(`${server.url}/admin/no-such-page`);
  await page.getByText('Diese Seite gibt es in der Verwaltung nicht.').waitFor();
  await expectGerman('no such page');
});

test('no page errors', () => {
  expectNoProblems(open);
});
