/**
 * The console's browser harness: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), the console built once, sign-in through the development provider's page, and
 * screenshots under test-output/screenshots/admin-*.png for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium as launchDebianChromium, pageProblems } from '../support/chromium.ts';
import { ensureAdminBuilt } from '../../scripts/build-admin.ts';

const SCREENSHOTS = resolve(import.meta.dir, '../../test-output/screenshots');

export async function launchChromium(): Promise<Browser> {
  await ensureAdminBuilt();
  return launchDebianChromium();
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
  return { page, problems: pageProblems(page), close: () => context.close() };
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
