/**
 * The one harness for tests in a real browser (the web chat's and the admin console's): Debian's
 * Chromium driven by playwright-core, both front ends built first, a fresh profile per person,
 * sign-in through the development provider's page, the page's console errors collected, and
 * screenshots under test-output/screenshots for a person to look at.
 */
import { expect } from 'bun:test';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureAdminBuilt } from '../../scripts/build-admin.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';

/** Never a downloaded browser: that fails on this machine. */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = resolve(import.meta.dir, '../../test-output/screenshots');

/** Builds the web chat and the console when their sources changed, then starts Chromium. */
export async function launchBrowser(): Promise<Browser> {
  // One after the other: two Vite builds at once would fight over the machine's two cores.
  await ensureWebBuilt();
  await ensureAdminBuilt();
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium), as .ci/run does.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    // Keep Chromium off the network it would otherwise try to reach at every start.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface OpenPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions of the page (a CSP violation is one): a test ends with none. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh browser profile (its own cookies) with one page; `colorScheme` picks the theme. */
export async function openPage(
  browser: Browser,
  options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {},
): Promise<OpenPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { page, context, problems: pageProblems(page), close: () => context.close() };
}

function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

export function expectNoProblems(open: Pick<OpenPage, 'problems'>): void {
  expect(open.problems).toEqual([]);
}

/**
 * Opens `path` signed out, picks the account by its name on the development sign-in page, comes
 * back to `path`, and waits until the page (the web chat or the console) shows that person.
 */
export async function signIn(page: Page, appUrl: string, name: string, path = '/'): Promise<void> {
  await page.goto(`${appUrl}${path}`);
  await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.waitForURL((url) => url.origin === appUrl && url.pathname === path);
  // Attached, not visible: on a narrow screen the chat's sidebar with the name is closed.
  await page.getByText(name, { exact: true }).first().waitFor({ state: 'attached' });
}

/** Saves test-output/screenshots/<name>.png; `fullPage` for pages longer than the window. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? false });
}
