/**
 * Search, pin and archive in a real browser, with the scripted OpenAI fixture as the model. Uma
 * finds a chat by a word that is only in a message she wrote, sees it highlighted, and lands on
 * that message; a pinned chat heads the list under "Pinned", after a reload too; an archived chat
 * leaves the list, is listed under "Archived chats" and still found, and unarchiving brings it back.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, launchBrowser, openPage, screenshot, signIn, type OpenPage } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { answerTo, sendMessage } from './chat-actions.ts';
import { isTitleRequest } from '../support/title-requests.ts';

setDefaultTimeout(30_000);

/** Each chat's first message, and the title the model gives it: no title holds a word of its message. */
const CHATS = [
  { text: 'When do the zanzibarian spice stalls open?', title: 'Market hours' },
  { text: 'How should I tune a theremin?', title: 'Instrument care' },
  { text: 'Ideas for a lemon birthday cake', title: 'Party baking' },
];

let fixture: OpenAIFixture;
let server: TestServer;
let browser: Browser;
let uma: OpenPage;
let page: Page;

/** The first chat's answer: long enough that its question is scrolled out of sight when the chat opens at the bottom. */
const LONG_ANSWER = Array.from({ length: 40 }, (_, i) => `Stall ${i + 1} opens at ${6 + (i % 4)} o’clock.`).join('\n\n');

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback((body) => {
    const asked = JSON.stringify(body.messages);
    const chat = CHATS.find((c) => asked.includes(c.text));
    if (isTitleRequest(body)) return { kind: 'text', text: chat?.title ?? 'Untitled' };
    return { kind: 'text', text: chat === CHATS[0] ? LONG_ANSWER : 'Noted.' };
  });
  [server, browser] = await Promise.all([
    startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fixture-model' }),
    launchBrowser(),
  ]);
  uma = await openPage(browser);
  page = uma.page;
  await signIn(page, server.url, 'Uma User');
  for (const chat of CHATS) {
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('heading', { name: 'What can I help with?' }).waitFor();
    await answerTo(page, () => sendMessage(page, chat.text));
    await sidebarChat(chat.title).waitFor();
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

const chatList = () => page.getByRole('navigation', { name: 'Your chats' });
const sidebarChat = (title: string) => chatList().getByRole('link', { name: title, exact: true });
const searchBox = () => page.getByRole('searchbox', { name: 'Search chats and messages' });
const results = () => page.getByRole('list', { name: 'Search results' });

/** Uses one of the chat's own buttons (shown on hover), as a person does. */
async function chatAction(title: string, action: string): Promise<void> {
  // `has` is looked for inside each item: the chat's own link.
  const item = chatList()
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: title, exact: true }) });
  await item.hover();
  await item.getByRole('button', { name: `${action} “${title}”` }).click();
}

/** The titles of the chats in a list of the sidebar, in order. */
const titlesIn = (name: string) =>
  chatList()
    .getByRole('list', { name })
    .getByRole('link')
    .allInnerTexts()
    .then((titles) => titles.map((t) => t.trim()));

test('a word only in a message body is found, highlighted, and opens the chat at that message', async () => {
  await searchBox().fill('zanzib');
  await page.getByRole('status').filter({ hasText: '1 result found' }).waitFor();
  const result = results().getByRole('link');
  await expect(result.innerText()).resolves.toContain('Market hours');
  await expect(result.locator('mark').allInnerTexts()).resolves.toEqual(['zanzibarian']);
  await screenshot(page, 'search-results');

  // The highlight lasts a moment: every message that shows it is recorded, however briefly.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { highlighted: string[] }).highlighted = seen;
    new MutationObserver(() => {
      for (const anchor of document.querySelectorAll('.message-anchor.highlighted')) seen.push(anchor.textContent ?? '');
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'], childList: true });
  });
  await result.click();
  await page.waitForURL(/\/c\/[0-9a-f-]{36}\?message=/);
  const messageId = new URL(page.url()).searchParams.get('message')!;
  const question = page.locator(`[id="message-${messageId}"]`);
  await expect(question.innerText()).resolves.toContain(CHATS[0]!.text);
  // Opened at the question, though the long answer below it would otherwise keep the view at the bottom.
  await page.waitForFunction((id) => {
    const box = document.getElementById(`message-${id}`)?.getBoundingClientRect();
    const view = document.querySelector('[role="log"]')?.getBoundingClientRect();
    return box && view && box.top >= view.top && box.bottom <= view.bottom;
  }, messageId);
  await page.waitForFunction(
    (text) => (window as unknown as { highlighted: string[] }).highlighted.some((t) => t.includes(text)),
    CHATS[0]!.text,
  );
  await screenshot(page, 'search-opened-message');

  await searchBox().press('Escape');
  await sidebarChat('Market hours').waitFor();
});

test('pinning puts a chat in the Pinned group, which it stays in after a reload', async () => {
  await chatAction('Instrument care', 'Pin');
  await chatList().getByRole('list', { name: 'Pinned' }).waitFor();
  expect(await titlesIn('Pinned')).toEqual(['Instrument care']);
  expect(await titlesIn('Recent')).toEqual(['Party baking', 'Market hours']);

  await page.reload();
  await chatList().getByRole('list', { name: 'Pinned' }).getByRole('link', { name: 'Instrument care' }).waitFor();
  expect(await titlesIn('Recent')).toEqual(['Party baking', 'Market hours']);
  await screenshot(page, 'pinned-chat');

  await chatAction('Instrument care', 'Unpin');
  await chatList().getByRole('list', { name: 'Pinned' }).waitFor({ state: 'detached' });
  await sidebarChat('Instrument care').waitFor();
});

test('archiving takes a chat off the list; it is under Archived chats and still found; unarchiving brings it back', async () => {
  await chatAction('Market hours', 'Archive');
  await sidebarChat('Market hours').waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Archived chats' }).click();
  const archived = page.getByRole('list', { name: 'Archived chats' });
  await archived.getByRole('link', { name: 'Market hours' }).waitFor();
  await screenshot(page, 'archived-chats');

  await searchBox().fill('zanzibarian');
  const found = results().getByRole('link');
  await found.getByText('Archived', { exact: true }).waitFor();
  await expect(found.innerText()).resolves.toContain('Market hours');
  await searchBox().press('Escape');

  // Search results took the list's place; back from them, the archived chats are folded again.
  await page.getByRole('button', { name: 'Archived chats', expanded: false }).click();
  await archived.getByRole('button', { name: 'Unarchive “Market hours”' }).click();
  await archived.getByRole('link', { name: 'Market hours' }).waitFor({ state: 'detached' });
  await sidebarChat('Market hours').waitFor();
});

test('no console errors along the way', () => {
  expectNoProblems(uma);
});
