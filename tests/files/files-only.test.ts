/**
 * A message of files alone, through the typed client on a real server: the model, through the
 * OpenAI fixture, is given the files' blocks and images and no empty text, the chat shows the
 * message with its files, the title is asked for from the files' names, and a message with
 * neither text nor files is still refused with its sentence.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { type Person, signIn } from '../support/people.ts';
import { refusal } from '../support/refusal.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { chatTurns } from '../support/title-requests.ts';
import { addModelThatSeesImages, lastUserParts, sendAndWait, upload } from './file-client.ts';
import { PNG_BYTES } from './sample-files.ts';

let fixture: OpenAIFixture;
let server: TestServer;
let fay: Person;
let seesImages = '';

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback({ kind: 'text', text: 'Seen.' });
  server = await startTestServer({
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: fixture.baseURL,
    LLM_MODEL: 'text-only-model',
    DEV_ACCOUNTS: JSON.stringify([
      { name: 'Ada Admin', email: 'ada@countersign.dev', role: 'admin' },
      { name: 'Fay', email: 'fay@countersign.dev', role: 'user' },
    ]),
  });
  seesImages = await addModelThatSeesImages(server.url, fixture);
  fay = await signIn(server.url, 'fay@countersign.dev');
});
afterAll(async () => {
  await fay.client.close();
  await server[Symbol.asyncDispose]();
  await fixture.stop();
});

test('files sent without text reach the model as their blocks and images alone, and name the chat', async () => {
  const chat = await fay.client.api.chats.create.mutate({});
  await fay.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: seesImages });
  const image = await upload(fay, chat.id, 'dot.png', PNG_BYTES);
  const notes = await upload(fay, chat.id, 'notes.md', 'Ship on Friday.');
  const before = chatTurns(fixture).length;
  await sendAndWait(fay, chat.id, '', [image.id, notes.id]);

  expect(lastUserParts(chatTurns(fixture)[before]!)).toEqual([
    { type: 'text', text: '--- Attached file: notes.md (text/plain) ---\nShip on Friday.\n--- End of notes.md ---' },
    { type: 'text', text: 'Attached image: dot.png' },
    { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(PNG_BYTES).toString('base64')}` } },
  ]);
  const { history } = await fay.client.api.chats.get.query({ chatId: chat.id });
  expect(history.messages[0]).toMatchObject({ role: 'user', text: '', files: [image, notes] });
  await eventually(
    () => fixture.requests.some((r) => JSON.stringify(r.body.messages).includes('Person: dot.png, notes.md')),
    'the title asked for from the files’ names',
  );
});

test('a message with neither text nor files is refused with a sentence, and nothing is sent', async () => {
  const chat = await fay.client.api.chats.create.mutate({});
  const before = fixture.requests.length;
  for (const text of ['', '   \n '])
    expect(await refusal(fay.client.api.chats.send.mutate({ chatId: chat.id, text, files: [] }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'The message is empty; write something to send.',
    });
  expect(fixture.requests.length).toBe(before);
  expect((await fay.client.api.chats.get.query({ chatId: chat.id })).history.messages).toEqual([]);
});
