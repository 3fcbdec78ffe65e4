/**
 * Export in the web chat: a chat with an image result (run without asking), an approved call and a
 * rejected one, saved from the header's Export menu as JSON and as Markdown; the downloaded files
 * are read back: named after the chat, every decision with who and why, and the image's data said
 * to be left out.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Page } from 'playwright-core';
import type { ChatExport } from '../../shared/chat-export.ts';
import type { Reply } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, type OpenPage, screenshot } from '../support/browser.ts';
import { answerTo, approvalCard, connectServer, sendMessage } from './chat-actions.ts';
import { type EverythingChat, startEverythingChat } from './everything-chat.ts';

setDefaultTimeout(30_000);

const TITLE = 'Logo and notes';
const CREATE_NOTE = 'countersign__notes_create';
const turns: Reply[] = [];
let chat: EverythingChat;
let page: Page;
let person: OpenPage;

beforeAll(async () => {
  chat = await startEverythingChat({ title: TITLE, turns });
  ({ page, person } = chat);
  await connectServer(page, 'Countersign');
}, 90_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
});

/** Chooses a format in the Export menu and returns the file the browser downloaded. */
async function exported(label: string): Promise<{ name: string; text: string }> {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const option = page.getByRole('group', { name: 'Export this chat as' }).getByRole('button', { name: label });
  const [download] = await Promise.all([page.waitForEvent('download'), option.click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await Bun.file(path).text() };
}

test('Export saves the chat as JSON and as Markdown, with every decision and what was left out', async () => {
  turns.push(
    { kind: 'tool_calls', calls: [{ name: 'everything__get-tiny-image', arguments: {} }] },
    { kind: 'text', text: 'Here is the logo.' },
  );
  expect(await answerTo(page, () => sendMessage(page, 'Show me the logo'))).toBe('Here is the logo.');

  turns.push({ kind: 'tool_calls', calls: [{ name: CREATE_NOTE, arguments: { title: 'Logo', body: 'tiny and grey' } }] });
  await sendMessage(page, 'Note that down');
  turns.push({ kind: 'text', text: 'Noted.' });
  expect(await answerTo(page, () => approvalCard(page).getByRole('button', { name: 'Approve', exact: true }).click())).toBe('Noted.');

  turns.push({ kind: 'tool_calls', calls: [{ name: CREATE_NOTE, arguments: { title: 'Spam', body: 'buy now' } }] });
  await sendMessage(page, 'Save this advert too');
  const approval = approvalCard(page);
  await approval.getByRole('button', { name: 'Reject…' }).click();
  await approval.getByRole('textbox', { name: /Reason/ }).fill('no adverts in my notes');
  turns.push({ kind: 'text', text: 'I left it out.' });
  expect(await answerTo(page, () => approval.getByRole('button', { name: 'Reject', exact: true }).click())).toBe('I left it out.');
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();

  const json = await exported('JSON (.json)');
  expect(json.name).toBe(`${TITLE}.json`);
  const doc = JSON.parse(json.text) as ChatExport;
  expect(doc).toMatchObject({ format: 'countersign-chat', version: 1, chat: { title: TITLE } });
  const cards = doc.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : []));
  const uma = { kind: 'person', name: 'Uma User' };
  expect(cards.map((c) => [c.tool.name, c.decision, c.decidedBy])).toEqual([
    ['get-tiny-image', 'auto', { kind: 'policy' }],
    ['notes_create', 'approved', expect.objectContaining(uma)],
    ['notes_create', 'rejected', expect.objectContaining(uma)],
  ]);
  expect(cards[0]?.media).toEqual([{ kind: 'image', mimeType: 'image/png', bytes: expect.any(Number) }]);
  expect(cards[2]?.reason).toBe('no adverts in my notes');
  expect(doc.leftOut).toEqual([expect.stringContaining('1 image')]);
  // The menu closed once the file was saved.
  await expect(page.getByRole('group', { name: 'Export this chat as' }).isVisible()).resolves.toBe(false);

  const markdown = await exported('Markdown (.md)');
  expect(markdown.name).toBe(`${TITLE}.md`);
  expect(markdown.text).toStartWith(`# ${TITLE}\n`);
  expect(markdown.text).toContain('**Ran without asking: policy**');
  expect(markdown.text).toContain('**Approved by Uma User**');
  expect(markdown.text).toMatch(/\*\*Rejected by Uma User\*\* \([^)]*\) — reason: no adverts in my notes/);
  expect(markdown.text).toContain('```json\n{\n  "title": "Logo",\n  "body": "tiny and grey"\n}\n```');
  expect(markdown.text).toContain('Left out of this export:\n- The data of 1 image');

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await screenshot(page, 'export-menu');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Export', exact: true }).evaluate((b) => b === document.activeElement)).resolves.toBe(true);
});

test('no page errors', () => {
  expectNoProblems(person);
});
