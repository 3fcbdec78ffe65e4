/**
 * The language choice in a real browser. Uma chooses Deutsch under Settings: the parts of the web
 * chat converted to the catalogue so far (the sidebar, the new-chat page, the settings dialog)
 * speak German at once, <html lang> says so, and it holds after a reload and on another device;
 * "Wie der Browser" brings back English, word for word as before. This is not the walk of every
 * page for leftover English: that test comes once the whole web chat reads from the catalogue.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { expectNoProblems, launchBrowser, type OpenPage, openPage, screenshot, signIn } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

setDefaultTimeout(30_000);

let server: TestServer;
let browser: Browser;
let uma: OpenPage;
let phone: OpenPage;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  uma = await openPage(browser);
  await signIn(uma.page, server.url, 'Uma User');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
});

async function chooseLanguage(page: Page, settings: string, language: string, label: string, save: string) {
  await page.getByRole('button', { name: settings }).click();
  const dialog = page.getByRole('dialog', { name: settings });
  await dialog.getByRole('combobox', { name: label }).selectOption({ label: language });
  await dialog.getByRole('button', { name: save }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** What a German-speaking Uma sees where English said "What can I help with?" and the rest. */
async function expectGerman(page: Page) {
  await page.getByRole('heading', { name: 'Wobei kann ich helfen?' }).waitFor();
  // Attached, not visible: on a narrow screen the sidebar is closed.
  await page.getByRole('button', { name: 'Neuer Chat', includeHidden: true }).waitFor({ state: 'attached' });
  await page.getByRole('searchbox', { name: 'Chats und Nachrichten durchsuchen', includeHidden: true }).waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Einstellungen', includeHidden: true }).waitFor({ state: 'attached' });
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
  await expect(page.getByText('What can I help with?').count()).resolves.toBe(0);
}

test('Deutsch turns the converted parts German, after a reload and on another device; as the browser is English again', async () => {
  const page = uma.page;
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  await chooseLanguage(page, 'Settings', 'Deutsch', 'Language', 'Save');
  await expectGerman(page);
  await screenshot(page, 'i18n-german');

  // The dialog itself is German now, and shows the choice.
  await page.getByRole('button', { name: 'Einstellungen' }).click();
  const dialog = page.getByRole('dialog', { name: 'Einstellungen' });
  expect(await dialog.getByRole('combobox', { name: 'Sprache' }).inputValue()).toBe('de');
  await dialog.getByRole('combobox', { name: 'Erscheinungsbild' }).waitFor();
  await dialog.getByText('0 von 8.000 Zeichen.').waitFor();
  await screenshot(page, 'i18n-german-settings');
  await dialog.getByRole('button', { name: 'Abbrechen' }).click();
  await dialog.waitFor({ state: 'detached' });

  await page.reload();
  await expectGerman(page);

  phone = await openPage(browser, { width: 400, height: 800 });
  await signIn(phone.page, server.url, 'Uma User');
  await expectGerman(phone.page);
  await phone.close();

  await chooseLanguage(page, 'Einstellungen', 'Wie der Browser', 'Sprache', 'Speichern');
  await page.getByRole('heading', { name: 'What can I help with?' }).waitFor();
  await page.getByRole('button', { name: 'New chat' }).waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
}, 60_000);

test('no console errors along the way', () => {
  expectNoProblems(uma);
  expectNoProblems(phone);
});
