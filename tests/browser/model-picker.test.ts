/**
 * The header's model picker: with a second catalogue model (its own OpenAI-wire fixture), Uma
 * switches a chat to it; her next message goes to that endpoint with the whole history, each answer
 * names the model that wrote it, and another tab opens the chat with the choice made. A new chat
 * starts on her last choice, and she may choose another before sending. With one model there is
 * nothing to choose.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { postGraphQL, signInAdmin } from '../admin/support.ts';
import { type OpenAIFixture, type Reply, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, screenshot } from '../support/browser.ts';
import { answerTo, sendMessage } from './chat-actions.ts';
import { type ScriptedChat, startScriptedChat } from './scripted-chat.ts';

setDefaultTimeout(60_000);

const turns: Reply[] = [];
let chat: ScriptedChat;
let page: Page;
let second: OpenAIFixture;

const picker = () => page.getByRole('combobox', { name: 'Model' });
/** The model each answer of the open chat names, in order. */
const writers = () => page.locator('.message.assistant .message-model').allTextContents();

beforeAll(async () => {
  second = startOpenAIFixture();
  second.fallback({ kind: 'text', text: 'The second model answers.' });
  chat = await startScriptedChat({ title: 'Two models', turns, connect: 'Countersign' });
  page = chat.page;
}, 90_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
  await second?.stop();
});

test('with one model the header names it and offers no choice', async () => {
  turns.push({ kind: 'text', text: 'The first model answers.' });
  await answerTo(page, () => sendMessage(page, 'Hello'));
  await expect(page.locator('.chat-header .model').textContent()).resolves.toBe('fixture-model');
  expect(await picker().count()).toBe(0);
  await expect(writers()).resolves.toEqual(['fixture-model']);
});

test('Uma switches the chat to a second model: it gets the next turn with the whole history, and the choice is kept on the chat', async () => {
  const ada = await signInAdmin(chat.server.url);
  const added = await postGraphQL(chat.server.url, 'mutation($input: ModelInput!) { createModel(input: $input) { id } }', {
    headers: { cookie: ada.cookie },
    variables: { input: { name: 'Second', provider: 'OPENAI', baseUrl: second.baseURL, modelId: 'second-model' } },
  });
  expect(added.body.errors).toBeUndefined();
  // The list is read each time a chat is opened.
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('link', { name: 'Two models' }).click();
  await expect(picker().inputValue()).resolves.not.toBe('');
  await expect(picker().locator('option').allTextContents()).resolves.toEqual(['fixture-model (default)', 'Second']);

  await picker().selectOption({ label: 'Second' });
  await page.waitForFunction(
    () => (document.querySelector('.model-picker') as HTMLSelectElement | null)?.selectedOptions[0]?.text === 'Second',
  );
  await answerTo(page, () => sendMessage(page, 'And now?'));
  await page.getByText('The second model answers.').waitFor();
  await expect(writers()).resolves.toEqual(['fixture-model', 'Second']);
  await expect(page.locator('.message-model').last().getAttribute('title')).resolves.toBe('Written by Second (second-model)');
  const request = second.requests.at(-1)!;
  expect(request.body.model).toBe('second-model');
  expect(request.body.messages.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual([
    'Hello',
    'The first model answers.',
    'And now?',
  ]);

  // Kept on the chat: another tab of hers opens it with the choice made.
  const other = await chat.person.context.newPage();
  await other.goto(page.url());
  await other.getByText('The second model answers.').waitFor();
  await expect(other.getByRole('combobox', { name: 'Model' }).locator('option:checked').textContent()).resolves.toBe('Second');
  await screenshot(other, 'model-picker');
  await other.close();
});

test('a new chat starts on her last choice, and she may choose another for it before sending', async () => {
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByText('What can I help with?').waitFor();
  await page.waitForFunction(
    () => (document.querySelector('.model-picker') as HTMLSelectElement | null)?.selectedOptions[0]?.text === 'Second',
  );

  await picker().selectOption({ label: 'fixture-model (default)' });
  turns.push({ kind: 'text', text: 'The first model again.' });
  const before = second.requests.length;
  await answerTo(page, () => sendMessage(page, 'Which one now?'));
  await page.getByText('The first model again.').waitFor();
  await expect(writers()).resolves.toEqual(['fixture-model']);
  await expect(picker().locator('option:checked').textContent()).resolves.toBe('fixture-model (default)');
  expect(second.requests).toHaveLength(before);
});

test('no page errors', () => {
  expectNoProblems(chat.person);
});
