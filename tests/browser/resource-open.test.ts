/**
 * A resource link in a tool card opens on click: server-everything's get-resource-links answers
 * with links, and "Open" reads each through the person's connection (resources/read), by mouse
 * and by keyboard, showing its text below the link; pressed again, it closes. The model is a
 * scripted fixture.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Page } from 'playwright-core';
import type { Reply } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, type OpenPage, screenshot } from '../support/browser.ts';
import { answerTo, sendMessage } from './chat-actions.ts';
import { type EverythingChat, startEverythingChat } from './everything-chat.ts';

setDefaultTimeout(30_000);

const turns: Reply[] = [
  { kind: 'tool_calls', calls: [{ name: 'everything__get-resource-links', arguments: { count: 2 } }] },
  { kind: 'text', text: 'Here are two resources.' },
];
let chat: EverythingChat;
let page: Page;
let person: OpenPage;

beforeAll(async () => {
  chat = await startEverythingChat({ title: 'Resources', turns });
  ({ page, person } = chat);
}, 90_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
});

test('"Open" on a resource link reads it and shows its text; by keyboard too; pressed again, it closes', async () => {
  expect(await answerTo(page, () => sendMessage(page, 'Give me two resources'))).toBe('Here are two resources.');
  const card = page.locator('.tool-card', { has: page.locator('.tool-name', { hasText: 'Get Resource Links Tool' }) }).last();
  await card.locator('summary').first().click();

  const text = card.locator('figure', { hasText: 'Text Resource 2' });
  const openText = text.getByRole('button', { name: 'Open Text Resource 2' });
  await expect(openText.getAttribute('aria-expanded')).resolves.toBe('false');
  await openText.click();
  await text.locator('pre', { hasText: /^Resource 2: This is a plaintext resource/ }).waitFor();
  const closeText = text.getByRole('button', { name: 'Close Text Resource 2' });
  await expect(closeText.getAttribute('aria-expanded')).resolves.toBe('true');

  // A blob of text/plain, decoded on the server; opened from the keyboard.
  const blob = card.locator('figure', { hasText: 'Blob Resource 1' });
  await blob.getByRole('button', { name: 'Open Blob Resource 1' }).focus();
  await page.keyboard.press('Enter');
  await blob.locator('pre', { hasText: /^Resource 1: This is a base64 blob/ }).waitFor();
  await screenshot(page, '18-resource-open');

  await closeText.click();
  await text.locator('pre').waitFor({ state: 'detached' });
  await expect(text.getByRole('button', { name: 'Open Text Resource 2' }).getAttribute('aria-expanded')).resolves.toBe('false');
});

test('no page errors', () => {
  expectNoProblems(person);
});
