/**
 * Versions of a conversation in a real browser (issue 19): Uma edits a message she sent and the
 * chat forks there; ‹ 1 / 2 › switches between the versions, the old one with its tool call's
 * result as it was (nothing runs again); the model then reads only the version shown; she
 * regenerates an answer; a reload keeps it all. Nobody else can edit, regenerate or switch in her chat.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Page } from 'playwright-core';
import type { OpenAIFixture, Reply } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, screenshot, type OpenPage } from '../support/browser.ts';
import { signIn as signInToApi } from '../support/people.ts';
import { answerTo, sendMessage } from './chat-actions.ts';
import { type ScriptedChat, startScriptedChat } from './scripted-chat.ts';

setDefaultTimeout(60_000);

const turns: Reply[] = [];
let chat: ScriptedChat;
let uma: OpenPage;
let page: Page;
let fixture: OpenAIFixture;

beforeAll(async () => {
  chat = await startScriptedChat({ title: 'Versions', turns, connect: 'Countersign' });
  ({ person: uma, page, fixture } = chat);
}, 90_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
});

const userMessage = (text: string) => page.locator('.message.user').filter({ has: page.locator('.bubble', { hasText: text }) });
const bubbles = () => page.locator('.message.user .bubble').allInnerTexts();
const answers = () => page.locator('.message.assistant .markdown').allInnerTexts();
/**
 * Does `action` and waits until the answer `text` is shown and the run is over: an edit or a
 * regenerate replaces answers, so their number need not grow (as `answerTo` waits for).
 */
async function answered(text: string, action: () => Promise<void>): Promise<void> {
  await action();
  await page.locator('.message.assistant .markdown').filter({ hasText: text }).waitFor();
  await page.waitForFunction(() => document.querySelector('[role="log"]')?.getAttribute('aria-busy') === 'false');
}

/** What the model was sent last (not a title request), without the system prompt. */
const lastSent = () =>
  fixture.requests
    .map((r) => r.body.messages)
    .filter((messages) => messages.some((m) => m.role === 'user'))
    .at(-1)!
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => `${m.role}: ${typeof m.content === 'string' ? m.content : ''}`);

describe('editing a message and switching versions', () => {
  test('Uma edits her question, switches back to the first version with its tool result, and the model reads the version shown', async () => {
    turns.push({ kind: 'text', text: 'Hello Uma.' });
    await answerTo(page, () => sendMessage(page, 'hi'));
    turns.push(
      { kind: 'tool_calls', calls: [{ name: 'countersign__time_now', arguments: { timezone: 'Europe/Paris' } }] },
      { kind: 'text', text: 'It is morning in Paris.' },
    );
    await answerTo(page, () => sendMessage(page, 'time in Paris?'));
    const card = page.locator('.tool-card');
    await card.locator('.tool-card-head').filter({ hasText: 'Done' }).waitFor();
    await card.locator('.tool-card-head').click();
    const result = await card.locator('pre').last().innerText();

    // Edit opens in place with the text, focused; Escape cancels and gives the focus back to Edit.
    const asked = userMessage('time in Paris?');
    await asked.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('textbox', { name: 'Edit your message' });
    await expect(editor.inputValue()).resolves.toBe('time in Paris?');
    await expect(editor.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await editor.press('Escape');
    await editor.waitFor({ state: 'detached' });
    await expect(asked.getByRole('button', { name: 'Edit' }).evaluate((element) => element === document.activeElement)).resolves.toBe(true);

    await asked.getByRole('button', { name: 'Edit' }).click();
    await editor.fill('time in Tokyo?');
    await screenshot(page, 'branches-01-editing');
    turns.push({ kind: 'text', text: 'It is evening in Tokyo.' });
    await answered('It is evening in Tokyo.', () => page.getByRole('button', { name: 'Save & send' }).click());
    // Sent, the focus is where it is after any send.
    await expect(page.getByRole('textbox', { name: 'Message' }).evaluate((element) => element === document.activeElement)).resolves.toBe(
      true,
    );
    await expect(bubbles()).resolves.toEqual(['hi', 'time in Tokyo?']);
    await expect(answers()).resolves.toEqual(['Hello Uma.', 'It is evening in Tokyo.']);
    expect(lastSent()).toEqual(['user: hi', 'assistant: Hello Uma.', 'user: time in Tokyo?']);
    const edited = userMessage('time in Tokyo?');
    await edited.getByText('Version 2 of 2').waitFor();
    await expect(edited.getByRole('button', { name: 'Next version' }).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'branches-02-edited');

    // Back to the first version: its answer and its tool call's result, as they were.
    await edited.getByRole('button', { name: 'Previous version' }).click();
    await userMessage('time in Paris?').getByText('Version 1 of 2').waitFor();
    // The navigator of the version now shown keeps the focus (its Previous is disabled at the first version).
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Next version');
    await expect(bubbles()).resolves.toEqual(['hi', 'time in Paris?']);
    await expect(answers()).resolves.toEqual(['Hello Uma.', 'It is morning in Paris.']);
    await card.locator('.tool-card-head').filter({ hasText: 'Done' }).waitFor();
    await card.locator('.tool-card-head').click();
    await expect(card.locator('pre').last().innerText()).resolves.toBe(result);
    await screenshot(page, 'branches-03-switched-back');

    // The next message goes on from the version shown, and only it reaches the model.
    turns.push({ kind: 'text', text: 'You are welcome.' });
    await answerTo(page, () => sendMessage(page, 'thanks'));
    expect(lastSent()).toEqual([
      'user: hi',
      'assistant: Hello Uma.',
      'user: time in Paris?',
      'assistant: ',
      'assistant: It is morning in Paris.',
      'user: thanks',
    ]);
    // The time tool ran once in all this: every request that carries its result carries the same one, of the same call.
    const results = fixture.requests.flatMap((r) => r.body.messages).filter((m) => m.role === 'tool');
    expect(new Set(results.map((m) => `${m.tool_call_id} ${String(m.content)}`)).size).toBe(1);
  });

  test('Uma regenerates the last answer; both answers stay as versions, also after a reload', async () => {
    turns.push({ kind: 'text', text: 'Glad to help!' });
    await answered('Glad to help!', () => page.getByRole('button', { name: 'Regenerate' }).click());
    expect(lastSent().at(-1)).toBe('user: thanks');
    const regenerated = page.locator('.message.assistant').filter({ hasText: 'Glad to help!' });
    await regenerated.getByText('Version 2 of 2').waitFor();

    await page.reload();
    await regenerated.getByText('Version 2 of 2').waitFor();
    await regenerated.getByRole('button', { name: 'Previous version' }).click();
    await page.locator('.message.assistant').filter({ hasText: 'You are welcome.' }).getByText('Version 1 of 2').waitFor();
    await expect(answers()).resolves.toEqual(['Hello Uma.', 'It is morning in Paris.', 'You are welcome.']);
    await screenshot(page, 'branches-04-regenerated');
  });

  test('another person can neither edit, regenerate, continue nor switch versions in her chat', async () => {
    const chatId = new URL(page.url()).pathname.split('/').at(-1)!;
    const ulf = await signInToApi(chat.server.url, 'ulf@countersign.dev');
    const messageId = (await page.locator('.message-anchor').first().getAttribute('id'))!.replace('message-', '');
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'accepted',
        (error: { data?: { code?: string } }) => error.data?.code,
      );
    const { chats } = ulf.client.api;
    await expect(codeOf(chats.edit.mutate({ chatId, messageId, text: 'mine now' }))).resolves.toBe('NOT_FOUND');
    await expect(codeOf(chats.regenerate.mutate({ chatId, messageId }))).resolves.toBe('NOT_FOUND');
    await expect(codeOf(chats.switchBranch.mutate({ chatId, messageId }))).resolves.toBe('NOT_FOUND');
    await expect(codeOf(chats.continue.mutate({ chatId }))).resolves.toBe('NOT_FOUND');
    await ulf.client.close();
    await expect(bubbles()).resolves.toEqual(['hi', 'time in Paris?', 'thanks']);
  });

  test('no console errors along the way', () => {
    expectNoProblems(uma);
  });
});
