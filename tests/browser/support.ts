/**
 * The browser tests' harness: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), the web chat built once, a real server with the development sign-in and the demo
 * model, and helpers that act the way a person does: by role and label.
 */
import { expect } from 'bun:test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, pageProblems } from '../support/chromium.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';

const SCREENSHOTS = resolve(import.meta.dir, '../../test-output/screenshots');

export async function launchBrowser(): Promise<Browser> {
  await ensureWebBuilt();
  return launchChromium();
}

export interface ChatPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions (a CSP violation is one): a test ends with none. */
  problems: string[];
}

/** A fresh browser profile (own cookies) with one page; `colorScheme` picks the theme. */
export async function openPage(browser: Browser, options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<ChatPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { page, context, problems: pageProblems(page) };
}

/**
 * Opens the app signed out, lands on the development sign-in page, picks the account by its
 * name, and waits until the web chat shows that person.
 */
export async function signIn(page: Page, appUrl: string, name: string, path = '/'): Promise<void> {
  await page.goto(`${appUrl}${path}`);
  await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.waitForURL((url) => url.origin === appUrl && url.pathname === path);
  // Attached, not visible: on a narrow screen the sidebar with the name is closed.
  await page.getByText(name, { exact: true }).waitFor({ state: 'attached' });
}

/** From the tools panel: connects the named catalogue server and closes the panel. */
export async function connectServer(page: Page, serverName: string): Promise<void> {
  await page.getByRole('button', { name: /^Tools/ }).click();
  const card = page.getByRole('listitem', { name: serverName });
  await card.getByRole('button', { name: 'Connect' }).click();
  await card.getByText('Connected', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Close tools' }).click();
}

/** Types into the composer and presses Enter, as a person sends a message. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** The approval card, once it is there. */
export function approvalCard(page: Page) {
  return page.getByRole('region', { name: 'Approval needed' });
}

/**
 * Does `action` (send, approve…) and returns the text of the assistant message it led to, once
 * the run is over: a new message with text, and the conversation no longer busy.
 */
export async function answerTo(page: Page, action: () => Promise<void>): Promise<string> {
  const answers = page.locator('.message.assistant .markdown');
  const before = await answers.count();
  await action();
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll('.message.assistant .markdown').length > count &&
      document.querySelector('[role="log"]')?.getAttribute('aria-busy') === 'false',
    before,
  );
  return (await answers.last().innerText()).trim();
}

/**
 * Records every text the newest assistant message shows from now on, as it changes (streaming, a
 * replay after a reconnect); `answerStates` reads them. Every change is seen, not samples of them.
 */
export async function recordAnswerStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const states: string[] = [];
    (window as unknown as { answerStates: string[] }).answerStates = states;
    new MutationObserver(() => {
      const text = [...document.querySelectorAll('.message.assistant .markdown')].at(-1)?.textContent ?? '';
      if (text && states.at(-1) !== text) states.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

export function answerStates(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { answerStates: string[] }).answerStates);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

export function expectNoProblems(chat: ChatPage): void {
  expect(chat.problems).toEqual([]);
}
