/**
 * The console's browser harness: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), the console built once, sign-in through the development provider's page, and
 * screenshots under test-output/screenshots/admin-*.png for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ensureAdminBuilt } from '../../scripts/build-admin.ts';

const SCREENSHOTS = resolve(import.meta.dir, '../../test-output/screenshots');

export async function launchChromium(): Promise<Browser> {
  await ensureAdminBuilt();
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
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
  /** Console errors and uncaught exceptions (a CSP violation is one): tests end with none. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh profile (its own cookies) with one page. */
export async function openPage(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { page, problems, close: () => context.close() };
}

/** Opens `path` signed out, picks the account on the development sign-in page, and comes back to `path`. */
export async function signInAt(page: Page, appUrl: string, path: string, accountName: string): Promise<void> {
  await page.goto(`${appUrl}${path}`);
  await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
  await page.getByRole('button', { name: new RegExp(accountName) }).click();
  await page.waitForURL((url) => url.origin === appUrl && url.pathname === path);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `admin-${name}.png`), fullPage: true });
}
