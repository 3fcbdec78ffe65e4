/**
 * The theme choice in a real browser. Uma chooses Dark under Settings: the page turns dark at
 * once, stays dark after a reload, is dark before the app's script has even run (no light flash),
 * and is dark on another device she signs in on, because her account keeps it. "As the system"
 * follows the browser's colour scheme again both ways, and Light wins over a dark system. Ada's
 * choice in the chat carries over to the admin console on the same device.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { expectNoProblems, launchBrowser, type OpenPage, openPage, screenshot, signIn } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

setDefaultTimeout(30_000);

/** shared/styles/tokens.css's --bg in each palette, as the browser reports the page's background. */
const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(30, 31, 34)';
/** Its --bg-soft, the admin console's page. */
const CONSOLE_DARK = 'rgb(23, 24, 26)';

let server: TestServer;
let browser: Browser;
let uma: OpenPage;
let laptop: OpenPage;
let ada: OpenPage;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  uma = await openPage(browser, { colorScheme: 'light' });
  await signIn(uma.page, server.url, 'Uma User');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
});

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** Waits for the page to show `colour`, which follows a save or a load by the app. */
const turns = (page: Page, colour: string) =>
  page.waitForFunction((expected) => getComputedStyle(document.body).backgroundColor === expected, colour);

async function chooseTheme(page: Page, theme: string) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('combobox', { name: 'Theme' }).selectOption({ label: theme });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
}

test('Dark turns the page dark, after a reload too, before the app runs, and on another device', async () => {
  const page = uma.page;
  expect(await background(page)).toBe(LIGHT);
  await chooseTheme(page, 'Dark');
  await turns(page, DARK);
  await screenshot(page, 'theme-dark');

  await page.reload();
  await page.getByRole('heading', { name: 'What can I help with?' }).waitFor();
  expect(await background(page)).toBe(DARK);
  // The settings dialog shows what is chosen.
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  expect(await dialog.getByRole('combobox', { name: 'Theme' }).inputValue()).toBe('dark');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // With the app's scripts refused, only the tiny script in the page's head runs: the page is dark already.
  const bare = await uma.context.newPage();
  await bare.route(/\/assets\/.*\.js$/, (route) => route.abort());
  await bare.goto(server.url);
  expect(await bare.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  expect(await background(bare)).toBe(DARK);
  await bare.close();

  // A fresh profile has nothing remembered: the account's choice arrives once the app loads it.
  laptop = await openPage(browser, { colorScheme: 'light' });
  await signIn(laptop.page, server.url, 'Uma User');
  await turns(laptop.page, DARK);
  await laptop.close();
}, 60_000);

test('As the system follows the browser’s colour scheme both ways; Light stays light on a dark system', async () => {
  const page = uma.page;
  await chooseTheme(page, 'As the system');
  await turns(page, LIGHT);
  expect(await page.evaluate(() => document.documentElement.hasAttribute('data-theme'))).toBe(false);

  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background(page)).toBe(DARK);
  await screenshot(page, 'theme-system-dark');

  await chooseTheme(page, 'Light');
  await turns(page, LIGHT);
  await page.reload();
  await page.getByRole('heading', { name: 'What can I help with?' }).waitFor();
  expect(await background(page)).toBe(LIGHT);
  await page.emulateMedia({ colorScheme: 'light' });
});

test('Ada’s Dark in the chat is the admin console’s too', async () => {
  ada = await openPage(browser, { colorScheme: 'light' });
  await signIn(ada.page, server.url, 'Ada Admin');
  await chooseTheme(ada.page, 'Dark');
  await turns(ada.page, DARK);
  await ada.page.getByRole('link', { name: 'Admin console' }).click();
  await ada.page.getByRole('heading', { name: 'MCP server catalogue' }).waitFor();
  expect(await background(ada.page)).toBe(CONSOLE_DARK);
  await screenshot(ada.page, 'theme-admin-dark');
});

test('no console errors along the way', () => {
  expectNoProblems(uma);
  expectNoProblems(laptop);
  expectNoProblems(ada);
});
