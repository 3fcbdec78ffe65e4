/**
 * The composer's `/` and `@` in the web chat, with server-everything connected and the scripted
 * model: a prompt chosen from `/` with the keyboard, its arguments completed by the server (the
 * second narrowed by the first), inserted as text; a resource found with `@` attached as a chip;
 * both sent, the resource's text reaching the model after the message, and the chat showing the
 * attachment's name; a resource template's variable asked for, and a chip removed.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Page } from 'playwright-core';
import type { Reply } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, type OpenPage, screenshot } from '../support/browser.ts';
import { answerTo, sendMessage } from './chat-actions.ts';
import { type EverythingChat, startEverythingChat } from './everything-chat.ts';

setDefaultTimeout(60_000);

const turns: Reply[] = [];
let chat: EverythingChat;
let page: Page;
let person: OpenPage;

beforeAll(async () => {
  chat = await startEverythingChat({ title: 'Team lead', turns });
  ({ page, person } = chat);
  // The pickers belong to a chat: the first message makes one.
  turns.push({ kind: 'text', text: 'Hello.' });
  expect(await answerTo(page, () => sendMessage(page, 'Hi'))).toBe('Hello.');
}, 120_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
});

const message = () => page.getByRole('textbox', { name: 'Message' });

test('a prompt from `/`, its arguments completed by the server, goes into the message box as text', async () => {
  const box = message();
  await box.pressSequentially('/team');
  const prompts = page.getByRole('listbox', { name: 'Prompts' });
  await prompts.getByRole('option', { name: /Team Management/ }).waitFor();
  await expect(prompts.getByRole('option').count()).resolves.toBe(1);
  await box.press('Enter');

  const form = page.getByRole('group', { name: 'Team Management' });
  const department = form.getByRole('combobox', { name: /department/ });
  await expect(department.evaluate((input) => input === document.activeElement)).resolves.toBe(true);
  await department.pressSequentially('Eng');
  await page.getByRole('listbox', { name: 'Suggestions for department' }).getByRole('option', { name: 'Engineering' }).waitFor();
  await department.press('Enter');
  await expect(department.inputValue()).resolves.toBe('Engineering');

  // The name's suggestions know the department chosen.
  const name = form.getByRole('combobox', { name: /name/ });
  await name.focus();
  const names = page.getByRole('listbox', { name: 'Suggestions for name' });
  await names.getByRole('option', { name: 'Charlie' }).waitFor();
  await expect(names.getByRole('option').allTextContents()).resolves.toEqual(['Alice', 'Bob', 'Charlie']);
  await name.press('ArrowDown');
  await name.press('Enter');
  await expect(name.inputValue()).resolves.toBe('Bob');
  await screenshot(page, '19-composer-prompt-arguments');

  await form.getByRole('button', { name: 'Insert' }).click();
  await form.waitFor({ state: 'detached' });
  await expect(box.inputValue()).resolves.toBe('Please promote Bob to the head of the Engineering team.');
});

test('a resource found with `@` is attached as a chip, and its text reaches the model with the message', async () => {
  const box = message();
  await box.press('End');
  await box.pressSequentially(' @features');
  const resources = page.getByRole('listbox', { name: 'Resources' });
  await resources.getByRole('option', { name: /features\.md/ }).waitFor();
  await box.press('Enter');

  const chips = page.locator('.composer').getByRole('list', { name: 'Attached resources' });
  await chips.getByRole('listitem').filter({ hasText: 'features.md' }).waitFor();
  // The `@word` that found it is gone from the text.
  await expect(box.inputValue()).resolves.toBe('Please promote Bob to the head of the Engineering team. ');
  await screenshot(page, '20-composer-attachment');

  turns.push({ kind: 'text', text: 'Bob leads Engineering now.' });
  const asked = chat.fixture.requests.length;
  expect(await answerTo(page, () => box.press('Enter'))).toBe('Bob leads Engineering now.');

  const said = chat.fixture.requests
    .slice(asked)
    .map((r) => r.body.messages.findLast((m) => m.role === 'user')?.content)
    .find((content) => String(content).startsWith('Please promote Bob'));
  expect(String(said)).toStartWith(
    'Please promote Bob to the head of the Engineering team.\n\n' +
      '--- Attached resource: demo://resource/static/document/features.md (text/markdown) ---\n# Everything Server - Features',
  );
  // The chat shows the message as typed, with the attachment's name; the box is empty again.
  const sent = page.locator('.message.user').last();
  await expect(sent.locator('.bubble').textContent()).resolves.toBe('Please promote Bob to the head of the Engineering team.');
  await sent.getByRole('listitem').filter({ hasText: 'features.md' }).waitFor();
  await expect(box.inputValue()).resolves.toBe('');
  await expect(chips.count()).resolves.toBe(0);
});

test('a resource template asks for its variable before it is attached; a chip can be removed', async () => {
  const box = message();
  await box.pressSequentially('@dynamic');
  await page
    .getByRole('listbox', { name: 'Resources' })
    .getByRole('option', { name: /Dynamic Text Resource/ })
    .click();
  const form = page.getByRole('group', { name: 'Dynamic Text Resource' });
  await form.getByRole('combobox', { name: /resourceId/ }).fill('4');
  await form.getByRole('button', { name: 'Attach' }).click();

  const chips = page.locator('.composer').getByRole('list', { name: 'Attached resources' });
  const chip = chips.getByRole('listitem').filter({ hasText: 'demo://resource/dynamic/text/4' });
  await chip.waitFor();
  await expect(box.inputValue()).resolves.toBe('');
  await chip.getByRole('button', { name: 'Remove demo://resource/dynamic/text/4' }).click();
  await chips.waitFor({ state: 'detached' });
});

test('Escape closes a picker, and the text stays as typed', async () => {
  const box = message();
  await box.pressSequentially('/simple');
  const prompts = page.getByRole('listbox', { name: 'Prompts' });
  await prompts.waitFor();
  await box.press('Escape');
  await prompts.waitFor({ state: 'detached' });
  await expect(box.inputValue()).resolves.toBe('/simple');
  await box.fill('');
});

test('no page errors', () => {
  expectNoProblems(person);
});
