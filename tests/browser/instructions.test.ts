/**
 * Custom instructions and a chat's instructions in a real browser, with the scripted OpenAI
 * fixture as the model. Uma writes her own instructions under Settings in the account footer and
 * this chat's under "Instructions" in the chat header; each dialog shows what is set, after a
 * reload too; and her next message reaches the model with both, after Countersign's own text.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { startOpenAIFixture, type ChatRequestBody, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { expectNoProblems, launchBrowser, openPage, screenshot, signIn, type OpenPage } from '../support/browser.ts';
import { answerTo, sendMessage } from './chat-actions.ts';
import { isTitleRequest } from '../support/title-requests.ts';

setDefaultTimeout(30_000);

let fixture: OpenAIFixture;
let server: TestServer;
let browser: Browser;
let uma: OpenPage;
let page: Page;

const lastText = (body: ChatRequestBody) => String(body.messages.at(-1)?.content ?? '');

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback((body) => ({ kind: 'text', text: isTitleRequest(body) ? 'Nursing questions' : `Answer to ${lastText(body)}` }));
  [server, browser] = await Promise.all([
    startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fixture-model' }),
    launchBrowser(),
  ]);
  uma = await openPage(browser);
  page = uma.page;
  await signIn(page, server.url, 'Uma User');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

/** The system message of the model request that answered `text`. */
function systemMessageFor(text: string): string {
  const request = fixture.requests.find((r) => !isTitleRequest(r.body) && lastText(r.body) === text);
  if (!request) throw new Error(`the model was never asked about “${text}”`);
  const [system] = request.body.messages;
  expect(system!.role).toBe('system');
  return system!.content as string;
}

/** Opens a dialog with `open`, checks its box shows `shown`, types `text` in its place, and saves. */
async function editInstructions(open: () => Promise<void>, dialogName: string, boxName: string, shown: string, text: string) {
  await open();
  const dialog = page.getByRole('dialog', { name: dialogName });
  const box = dialog.getByRole('textbox', { name: boxName });
  await expect(box.inputValue()).resolves.toBe(shown);
  await box.fill(text);
  await dialog.getByText(`${text.length} of 8,000 characters.`).waitFor();
  await screenshot(page, `instructions-${dialogName.toLowerCase().replace(' ', '-')}`);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Opens a dialog with `open` and returns what its box shows, then closes it with Cancel. */
async function shownIn(open: () => Promise<void>, dialogName: string, boxName: string): Promise<string> {
  await open();
  const dialog = page.getByRole('dialog', { name: dialogName });
  const shown = await dialog.getByRole('textbox', { name: boxName }).inputValue();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  return shown;
}

const openSettings = () => page.getByRole('button', { name: 'Settings' }).click();
const openChatInstructions = () => page.getByRole('button', { name: /^Chat instructions/ }).click();

// A long walk (two dialogs, two turns, a reload), about 20 s even on an idle machine: more than the file's default budget.
test('Uma sets her own and a chat’s instructions; both are shown as set, after a reload too, and reach the model', async () => {
  await editInstructions(openSettings, 'Settings', 'Custom instructions', '', 'I am a nurse; answer in plain words.');
  // Closing the dialog gives focus back to the button that opened it.
  await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe('Settings');

  await page.getByRole('heading', { name: 'What can I help with?' }).waitFor();
  await answerTo(page, () => sendMessage(page, 'Hello'));
  await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
  await page.getByRole('button', { name: 'Chat instructions, none' }).waitFor();
  await editInstructions(openChatInstructions, 'Chat instructions', 'What the model should follow in this chat', '', 'Reply in French.');
  await page.getByRole('button', { name: 'Chat instructions, set' }).waitFor();
  await screenshot(page, 'instructions-header-set');

  await page.reload();
  await page.getByRole('button', { name: 'Chat instructions, set' }).waitFor();
  await expect(shownIn(openSettings, 'Settings', 'Custom instructions')).resolves.toBe('I am a nurse; answer in plain words.');
  await expect(shownIn(openChatInstructions, 'Chat instructions', 'What the model should follow in this chat')).resolves.toBe(
    'Reply in French.',
  );

  expect(await answerTo(page, () => sendMessage(page, 'What is a fever?'))).toBe('Answer to What is a fever?');
  const before = systemMessageFor('Hello');
  expect(before).toStartWith('You are the assistant in Countersign');
  expect(before).toContain("The person's instructions:\nI am a nurse; answer in plain words.");
  expect(before).not.toContain("This chat's instructions:");
  expect(systemMessageFor('What is a fever?')).toBe(`${before}\n\nThis chat's instructions:\nReply in French.`);
}, 90_000);

test('no console errors along the way', () => {
  expectNoProblems(uma);
});
