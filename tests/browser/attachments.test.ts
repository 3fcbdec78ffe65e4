/**
 * Files in the web chat (issue 20): Uma picks an image and a text file with the paperclip in a new
 * chat, and they are uploaded once the chat exists, shown in her message (the image as a thumbnail
 * from its own address) and given to the model; in the open chat she drops a file on the
 * conversation and pastes one into the box, and removes a chip; one attached while the message
 * before it is on its way stays for the next; files the chat cannot take (a .exe, one over the
 * size limit, a PNG that is not one) say why on their chip and are not sent; a model that cannot
 * read images is named on the image's chip before anything is sent.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { postGraphQL, signInAdmin } from '../admin/support.ts';
import type { Reply } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, screenshot } from '../support/browser.ts';
import { answerTo, holdSendAnswers, sendMessage } from './chat-actions.ts';
import { isTitleRequest } from '../support/title-requests.ts';
import { type ScriptedChat, startScriptedChat } from './scripted-chat.ts';

setDefaultTimeout(60_000);

const PIXEL_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PIXEL = Buffer.from(PIXEL_BASE64, 'base64');
const NOTES = '# Notes\n\nThe launch code is 4711.\n';

const turns: Reply[] = [];
let chat: ScriptedChat;
let page: Page;

beforeAll(async () => {
  chat = await startScriptedChat({
    title: 'Files',
    turns,
    connect: 'Countersign',
    // A small size limit, so a file over it is cheap to make.
    env: { LLM_ACCEPTS_IMAGES: 'true', FILE_MAX_BYTES: '2048' },
  });
  page = chat.page;
}, 90_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
});

const filePicker = () => page.locator('.composer input[type="file"]');
const chips = () => page.getByRole('list', { name: 'Attached files' }).getByRole('listitem');
const chip = (name: string) => chips().filter({ hasText: name });
const lastUserMessage = () => page.locator('.message.user').last();
const sendButton = () => page.getByRole('button', { name: 'Send message' });
const uploadsDone = () => page.waitForFunction(() => !document.querySelector('.file-chip[aria-busy="true"]'));

/** What the model was sent with the person's message that has `text` (title requests aside). */
function modelSaw(text: string): string {
  const body = chat.fixture.requests
    .map((r) => r.body)
    .findLast((b) => !isTitleRequest(b) && JSON.stringify(b.messages.at(-1)).includes(text));
  if (!body) throw new Error(`no request to the model has "${text}"`);
  return JSON.stringify(body.messages.at(-1)?.content);
}

/** Dispatches `type` with a DataTransfer holding one text file, on `selector`, as a drag from the desktop or a paste does. */
async function transferFile(selector: string, type: 'dragenter' | 'drop' | 'paste', name: string, content: string): Promise<void> {
  await page.evaluate(
    ({ selector, type, name, content }) => {
      const data = new DataTransfer();
      data.items.add(new File([content], name, { type: 'text/plain' }));
      const init = { bubbles: true, cancelable: true };
      const event =
        type === 'paste'
          ? new ClipboardEvent(type, { ...init, clipboardData: data })
          : new DragEvent(type, { ...init, dataTransfer: data });
      document.querySelector(selector)!.dispatchEvent(event);
    },
    { selector, type, name, content },
  );
}

test('in a new chat, an image and a text file picked with the paperclip are uploaded once the chat exists, shown in the message, and given to the model', async () => {
  await page.getByRole('button', { name: 'Attach files' }).waitFor();
  await filePicker().setInputFiles([
    { name: 'dot.png', mimeType: 'image/png', buffer: PIXEL },
    { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from(NOTES) },
  ]);
  await chip('notes.md').getByText('34 bytes').waitFor();
  // Its thumbnail is made in the browser: the chat has no address for it yet.
  await chip('dot.png').locator('img[src^="data:image/png"]').waitFor();
  await page.getByRole('button', { name: 'Remove dot.png' }).waitFor();
  await screenshot(page, 'attachments-new-chat');

  turns.push({ kind: 'text', text: 'A dot and your notes.' });
  await expect(answerTo(page, () => sendMessage(page, 'What did I attach?'))).resolves.toBe('A dot and your notes.');

  const image = lastUserMessage().getByRole('link', { name: 'dot.png' });
  const imageUrl = await image.getAttribute('href');
  expect(imageUrl).toMatch(/^\/files\/[\w-]+$/);
  expect(await image.getAttribute('target')).toBe('_blank');
  // The thumbnail is the file itself, loaded from its address.
  await page.waitForFunction(() => {
    const thumbnail = document.querySelector<HTMLImageElement>('.message.user .message-image img');
    return thumbnail?.complete && thumbnail.naturalWidth === 1;
  });
  expect(
    await lastUserMessage()
      .getByRole('link', { name: /notes\.md/ })
      .getAttribute('href'),
  ).toMatch(/^\/files\/[\w-]+$/);
  expect(await chips().count()).toBe(0);

  const served = await page.request.get(`${chat.server.url}${imageUrl}`);
  expect(served.headers()['content-type']).toBe('image/png');

  const seen = modelSaw('What did I attach?');
  expect(seen).toContain(`data:image/png;base64,${PIXEL_BASE64}`);
  expect(seen).toContain('notes.md');
  expect(seen).toContain('The launch code is 4711.');
  await screenshot(page, 'attachments-sent');
});

test('in the open chat, a file dropped on the conversation and one pasted into the box become chips; the removed one is not sent', async () => {
  await transferFile('[role="log"]', 'dragenter', 'dropped.txt', 'Dropped: the meeting is at noon.');
  await page.getByText('Drop files here to attach them').waitFor();
  await screenshot(page, 'attachments-drop-zone');
  await transferFile('[role="log"]', 'drop', 'dropped.txt', 'Dropped: the meeting is at noon.');
  await chip('dropped.txt').waitFor();
  expect(await page.getByText('Drop files here to attach them').isVisible()).toBe(false);

  await page.getByRole('textbox', { name: 'Message' }).focus();
  await transferFile('.composer-input', 'paste', 'pasted.txt', 'Pasted: never mind.');
  await chip('pasted.txt').waitFor();
  await uploadsDone();
  // Uploaded already: removing its chip removes it on the server too.
  const removal = page.waitForResponse((response) => response.url().includes('/trpc/files.remove'));
  await page.getByRole('button', { name: 'Remove pasted.txt' }).click();
  expect((await removal).ok()).toBe(true);
  await chip('pasted.txt').waitFor({ state: 'detached' });

  turns.push({ kind: 'text', text: 'Noon it is.' });
  await answerTo(page, () => sendMessage(page, 'When is the meeting?'));
  await lastUserMessage()
    .getByRole('link', { name: /dropped\.txt/ })
    .waitFor();
  const seen = modelSaw('When is the meeting?');
  expect(seen).toContain('the meeting is at noon');
  expect(seen).not.toContain('never mind');
});

test('a file attached while the message before it is still on its way stays for the next message', async () => {
  // The send's answer reaches the page only after the reply has streamed in and a file was attached.
  const { promise: attachedMeanwhile, resolve: release } = Promise.withResolvers<void>();
  const answered = await holdSendAnswers(page, () => attachedMeanwhile);
  turns.push({ kind: 'text', text: 'Sent before the file.' }, { kind: 'text', text: 'The file came along.' });
  await answerTo(page, () => sendMessage(page, 'Before the file.'));
  await filePicker().setInputFiles([{ name: 'later.txt', mimeType: 'text/plain', buffer: Buffer.from('Attached while sending.') }]);
  await chip('later.txt').waitFor();
  await uploadsDone();
  release();
  await answered();
  expect(await chip('later.txt').count()).toBe(1);

  await answerTo(page, () => sendMessage(page, 'And the file?'));
  expect(modelSaw('And the file?')).toContain('Attached while sending.');
  expect(await chips().count()).toBe(0);
});

test('files the chat cannot take say why on their chip, before or after uploading, and are not sent', async () => {
  await filePicker().setInputFiles([
    { name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') },
    { name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(3000, 'a') },
    { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') },
  ]);
  await expect(chip('setup.exe').getByRole('alert').textContent()).resolves.toBe(
    'setup.exe is a .exe file; you can attach images (PNG, JPEG, WebP, GIF), text files, source code and PDFs.',
  );
  await expect(chip('big.txt').getByRole('alert').textContent()).resolves.toBe('big.txt is 3 KB; a file may be at most 2 KB.');
  // Its type is an image's, its bytes are not: only the server can tell, and its sentence is shown.
  await expect(chip('fake.png').getByRole('alert').textContent()).resolves.toContain('fake.png');
  await screenshot(page, 'attachments-refused');

  turns.push({ kind: 'text', text: 'Words only, then.' });
  await answerTo(page, () => sendMessage(page, 'Only words this time.'));
  expect(await lastUserMessage().locator('.message-files').count()).toBe(0);
  expect(await chips().count()).toBe(0);
  expect(modelSaw('Only words this time.')).not.toContain('not a picture');
});

test('with a model that cannot read images, the image’s chip says so and Send waits until another model is chosen', async () => {
  const ada = await signInAdmin(chat.server.url);
  const added = await postGraphQL(chat.server.url, 'mutation($input: ModelInput!) { createModel(input: $input) { id } }', {
    headers: { cookie: ada.cookie },
    variables: {
      input: { name: 'Words only', provider: 'OPENAI', baseUrl: chat.fixture.baseURL, modelId: 'words-model', acceptsImages: false },
    },
  });
  expect(added.body.errors).toBeUndefined();
  // The models are read each time a chat is opened.
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('link', { name: 'Files' }).click();
  const modelPicker = page.getByRole('combobox', { name: 'Model' });
  await modelPicker.locator('option', { hasText: 'Words only' }).waitFor({ state: 'attached' });
  const imageModel = await modelPicker.locator('option', { hasText: 'fixture-model' }).getAttribute('value');
  await modelPicker.selectOption({ label: 'Words only' });

  await filePicker().setInputFiles([{ name: 'dot.png', mimeType: 'image/png', buffer: PIXEL }]);
  await expect(chip('dot.png').getByRole('alert').textContent()).resolves.toBe(
    'Words only cannot read images; choose a model that can, or remove dot.png.',
  );
  await page.getByRole('textbox', { name: 'Message' }).fill('Can you see it?');
  await uploadsDone();
  expect(await sendButton().isDisabled()).toBe(true);
  await screenshot(page, 'attachments-model-without-images');

  await modelPicker.selectOption(imageModel!);
  await chip('dot.png').getByRole('alert').waitFor({ state: 'detached' });
  expect(await sendButton().isEnabled()).toBe(true);
  await page.getByRole('button', { name: 'Remove dot.png' }).click();
  expect(await chips().count()).toBe(0);
});

test('in a new chat, a file the server refuses keeps the message unsent, text and files; once it is removed, the next send goes on in the chat already made', async () => {
  await page.getByRole('button', { name: 'New chat' }).click();
  // Until the new chat is shown, the files would go to the chat still there.
  await page.getByRole('heading', { name: 'What can I help with?' }).waitFor();
  await filePicker().setInputFiles([
    { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') },
    { name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from('Step one: breathe.') },
  ]);
  await sendMessage(page, 'Here is my plan.');
  await expect(chip('fake.png').getByRole('alert').textContent()).resolves.toStartWith('fake.png is not a PNG image');
  await page.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('.composer-input')?.value === 'Here is my plan.');
  expect(new URL(page.url()).pathname).toBe('/');
  expect(await chip('plan.txt').count()).toBe(1);
  const chatsBefore = await page.locator('.chat-list > li').count();

  await page.getByRole('button', { name: 'Remove fake.png' }).click();
  turns.push({ kind: 'text', text: 'Breathing is a fine start.' });
  await answerTo(page, () => page.getByRole('textbox', { name: 'Message' }).press('Enter'));
  await lastUserMessage()
    .getByRole('link', { name: /plan\.txt/ })
    .waitFor();
  expect(modelSaw('Here is my plan.')).toContain('Step one: breathe.');
  expect(await page.locator('.chat-list > li').count()).toBe(chatsBefore);
});

test('a file alone is a message: Send waits for something to send, and goes with the file and no text', async () => {
  await page.getByRole('textbox', { name: 'Message' }).fill('');
  expect(await sendButton().isDisabled()).toBe(true);
  await filePicker().setInputFiles([{ name: 'recipe.txt', mimeType: 'text/plain', buffer: Buffer.from('Bake at 180 degrees.') }]);
  await uploadsDone();
  expect(await sendButton().isEnabled()).toBe(true);
  await screenshot(page, 'attachments-file-alone');

  turns.push({ kind: 'text', text: 'A recipe: bake it at 180.' });
  await expect(answerTo(page, () => sendButton().click())).resolves.toBe('A recipe: bake it at 180.');
  await lastUserMessage()
    .getByRole('link', { name: /recipe\.txt/ })
    .waitFor();
  expect(modelSaw('Bake at 180 degrees.')).toBe(
    JSON.stringify([
      { type: 'text', text: '--- Attached file: recipe.txt (text/plain) ---\nBake at 180 degrees.\n--- End of recipe.txt ---' },
    ]),
  );
  expect(await chips().count()).toBe(0);
  await screenshot(page, 'attachments-file-alone-sent');
});

test('no page errors', () => {
  // Besides fake.png's uploads, refused on purpose.
  expectNoProblems({ problems: chat.person.problems.filter((p) => !p.endsWith('status of 400 (Bad Request)')) });
});
