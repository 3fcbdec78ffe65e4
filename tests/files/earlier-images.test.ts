/**
 * A long chat's images are not all sent again with every request: the model, through the OpenAI
 * fixture, is given the images of the message it answers however many, then the newest earlier
 * ones within 6 images and 8 MB, and a line naming each earlier image it is not shown again.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { type Person, signIn } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { chatTurns } from '../support/title-requests.ts';
import { addModelThatSeesImages, type Part, sendAndWait, upload, userParts } from './file-client.ts';
import { PNG_BYTES } from './sample-files.ts';

let fixture: OpenAIFixture;
let server: TestServer;
/** A person per test, so none meets the per-person limits on uploads and messages. */
let ines: Person;
let ivo: Person;
let ida: Person;
let seesImages = '';

const imageNames = (parts: Part[]) => parts.filter((part) => part.text?.startsWith('Attached image: ')).map((part) => part.text?.slice(16));
const imageParts = (parts: Part[][]) => parts.flat().filter((part) => part.type === 'image_url');
const notShownAgain = (name: string) => `(The image ${name}, sent earlier, is not shown again.)`;
/** A PNG of about `bytes` (a real one, with data after its end): what an upload's type check accepts. */
const pngOf = (bytes: number) => Uint8Array.from([...PNG_BYTES, ...new Uint8Array(bytes - PNG_BYTES.byteLength)]);

async function chatThatSeesImages(person: Person): Promise<string> {
  const chat = await person.client.api.chats.create.mutate({});
  await person.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: seesImages });
  return chat.id;
}

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback({ kind: 'text', text: 'Seen.' });
  server = await startTestServer({
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: fixture.baseURL,
    LLM_MODEL: 'text-only-model',
    MESSAGE_MAX_FILES: '8',
    DEV_ACCOUNTS: JSON.stringify([
      { name: 'Ada Admin', email: 'ada@countersign.dev', role: 'admin' },
      ...['ines', 'ivo', 'ida'].map((name) => ({ name, email: `${name}@countersign.dev`, role: 'user' })),
    ]),
  });
  seesImages = await addModelThatSeesImages(server.url, fixture);
  const person = (name: string) => signIn(server.url, `${name}@countersign.dev`);
  [ines, ivo, ida] = await Promise.all([person('ines'), person('ivo'), person('ida')]);
});
afterAll(async () => {
  for (const person of [ines, ivo, ida]) await person.client.close();
  await server[Symbol.asyncDispose]();
  await fixture.stop();
});

test('after seven messages with an image each, the model is given the newest six and told of the first', async () => {
  const chatId = await chatThatSeesImages(ines);
  for (let n = 1; n <= 7; n++) {
    const shot = await upload(ines, chatId, `shot-${n}.png`, PNG_BYTES);
    await sendAndWait(ines, chatId, `Look ${n}`, [shot.id]);
  }
  const messages = userParts(chatTurns(fixture).at(-1)!);
  expect(imageParts(messages)).toHaveLength(6);
  expect(messages[0]).toEqual([{ type: 'text', text: `Look 1\n\n${notShownAgain('shot-1.png')}` }]);
  expect(messages.slice(1).map(imageNames)).toEqual([2, 3, 4, 5, 6, 7].map((n) => [`shot-${n}.png`]));
});

test('every image of the message being answered goes; the next request keeps the newest six of them', async () => {
  const chatId = await chatThatSeesImages(ivo);
  const names = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `page-${n}.png`);
  const pages = await Promise.all(names.map((name) => upload(ivo, chatId, name, PNG_BYTES)));
  await sendAndWait(
    ivo,
    chatId,
    'All pages',
    pages.map((page) => page.id),
  );
  expect(imageNames(userParts(chatTurns(fixture).at(-1)!)[0]!)).toEqual(names);

  await sendAndWait(ivo, chatId, 'And the first one?', []);
  const [first] = userParts(chatTurns(fixture).at(-1)!);
  expect(first![0]).toEqual({ type: 'text', text: `All pages\n\n${notShownAgain('page-1.png')}\n\n${notShownAgain('page-2.png')}` });
  expect(imageNames(first!)).toEqual(names.slice(2));
});

test('earlier images go while they fit in 8 MB together, the newest first', async () => {
  const chatId = await chatThatSeesImages(ida);
  for (let n = 1; n <= 3; n++) {
    const scan = await upload(ida, chatId, `scan-${n}.png`, pngOf(3 * 1024 * 1024));
    await sendAndWait(ida, chatId, `Scan ${n}`, [scan.id]);
  }
  const messages = userParts(chatTurns(fixture).at(-1)!);
  expect(messages[0]).toEqual([{ type: 'text', text: `Scan 1\n\n${notShownAgain('scan-1.png')}` }]);
  expect(messages.slice(1).map(imageNames)).toEqual([['scan-2.png'], ['scan-3.png']]);
});
