/**
 * The approval flow and the conversation for a person on a keyboard or a screen reader (issue
 * 19): a whole message copied as Markdown, choices on a multi-call approval kept over a reload,
 * the focus taken by a new card (but not from someone writing) and never dropped on <body>, and
 * one polite live region saying when an answer is finished and when an approval waits. The model
 * is the scripted OpenAI fixture proposing calls to the built-in MCP server's tools.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Locator, Page } from 'playwright-core';
import type { Reply } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, openPage, screenshot, signIn, type OpenPage } from '../support/browser.ts';
import { answerTo, approvalCard, sendMessage } from './chat-actions.ts';
import { type ScriptedChat, startScriptedChat } from './scripted-chat.ts';

setDefaultTimeout(30_000);

const CREATE_NOTE = 'countersign__notes_create';
const turns: Reply[] = [];
let chat: ScriptedChat;
let uma: OpenPage;
let page: Page;

beforeAll(async () => {
  chat = await startScriptedChat({ title: 'Notes chat', turns, connect: 'Countersign' });
  ({ person: uma, page } = chat);
}, 90_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
});

const hasFocus = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);
const announcements = (person: Page) => person.getByRole('status', { name: 'Announcements' }).locator('p').allTextContents();
/** Waits until the chat's live region has said `line`. */
const announced = (person: Page, line: string) =>
  person.getByRole('status', { name: 'Announcements' }).getByText(line, { exact: true }).waitFor({ state: 'attached' });
const twoNotes = (): Reply => ({
  kind: 'tool_calls',
  calls: [
    { name: CREATE_NOTE, arguments: { title: 'First', body: 'one' } },
    { name: CREATE_NOTE, arguments: { title: 'Second', body: 'two' } },
  ],
});

describe('approval flow, for keyboard and screen reader', () => {
  test('Copy message puts a message’s Markdown source on the clipboard and says "Copied"; a finished answer is announced', async () => {
    await uma.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: chat.server.url });
    const source = 'Here is **bold**, `code` and a list:\n\n- one\n- two';
    turns.push({ kind: 'text', text: source });
    await answerTo(page, () => sendMessage(page, 'Some *markdown*, please'));

    const answer = page.locator('.message.assistant').last();
    await answer.getByRole('button', { name: 'Copy message' }).click();
    await answer.getByRole('status').getByText('Copied', { exact: true }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(source);

    const question = page.locator('.message.user').last();
    await question.getByRole('button', { name: 'Copy message' }).click();
    await question.getByRole('status').getByText('Copied', { exact: true }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe('Some *markdown*, please');

    // The conversation stays quiet token by token; the live region says once that the answer is there.
    await expect(page.getByRole('log', { name: 'Conversation' }).getAttribute('aria-live')).resolves.toBe('off');
    await expect(announcements(page)).resolves.toEqual(['Countersign answered']);
    await screenshot(page, 'a11y-01-copy-message');
  });

  test('a new approval takes the focus and is announced; Back returns to Reject…; a held choice survives a reload; after sending, the focus is in the composer', async () => {
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    turns.push(twoNotes());
    await sendMessage(page, 'Make two notes');
    const approval = approvalCard(page);
    await approval.getByText('The assistant wants to call 2 tools.').waitFor();
    expect(await hasFocus(approval)).toBe(true);
    await announced(page, 'Approval needed: 2 tool calls');

    const [first, second] = [approval.getByRole('region').nth(0), approval.getByRole('region').nth(1)];
    await first.getByRole('button', { name: 'Reject…' }).click();
    expect(await hasFocus(first.getByRole('textbox', { name: /Reason/ }))).toBe(true);
    await first.getByRole('button', { name: 'Back', exact: true }).click();
    expect(await hasFocus(first.getByRole('button', { name: 'Reject…' }))).toBe(true);

    await first.getByRole('button', { name: 'Approve', exact: true }).click();
    await first.getByText('Will approve', { exact: true }).waitFor();
    expect(await hasFocus(first.getByRole('button', { name: 'Change' }))).toBe(true);

    await page.reload();
    await approval.getByText('1 of 2 decided').waitFor();
    await expect(first.getByText('Will approve', { exact: true }).isVisible()).resolves.toBe(true);
    await second.getByRole('button', { name: 'Reject…' }).click();
    await second.getByRole('textbox', { name: /Reason/ }).fill('one is enough');
    await second.getByRole('button', { name: 'Reject', exact: true }).click();
    await second.getByText('Will reject: one is enough').waitFor();
    await screenshot(page, 'a11y-02-choices-after-reload');

    turns.push({ kind: 'text', text: 'Saved one note, skipped the other.' });
    expect(await answerTo(page, () => approval.getByRole('button', { name: 'Send decisions' }).click())).toBe(
      'Saved one note, skipped the other.',
    );
    const statuses = await page.locator('.tool-card .tool-status').allTextContents();
    expect(statuses.slice(-2)).toEqual(['Done', 'Rejected']);
    expect(await hasFocus(page.getByRole('textbox', { name: 'Message' }))).toBe(true);
    // The sent approval's draft is gone from the tab's storage.
    await expect(page.evaluate(() => Object.keys(sessionStorage).filter((key) => key.includes('approval')))).resolves.toEqual([]);
  });

  test('an approval arriving while the person writes in the composer leaves the focus there and is announced instead', async () => {
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    turns.push({ kind: 'text', text: 'Ready.' });
    await answerTo(page, () => sendMessage(page, 'Hello'));

    // The same person in a second window on the same chat, halfway through a message.
    const other = await openPage(chat.browser);
    try {
      await signIn(other.page, chat.server.url, 'Uma User', new URL(page.url()).pathname);
      const box = other.page.getByRole('textbox', { name: 'Message' });
      await box.fill('half a thought');
      turns.push(twoNotes());
      await sendMessage(page, 'Make two notes');

      await approvalCard(other.page).getByText('The assistant wants to call 2 tools.').waitFor();
      expect(await hasFocus(box)).toBe(true);
      await expect(box.inputValue()).resolves.toBe('half a thought');
      await announced(other.page, 'Approval needed: 2 tool calls');
      expectNoProblems(other);
    } finally {
      await other.close();
    }
    turns.push({ kind: 'text', text: 'Both saved.' });
    expect(await answerTo(page, () => approvalCard(page).getByRole('button', { name: 'Approve all' }).click())).toBe('Both saved.');
  });

  test('no page errors', () => {
    expectNoProblems(uma);
  });
});
