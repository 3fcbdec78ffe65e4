/**
 * Files attached to messages, through the typed client on a real server (SQLite file): uploaded
 * to a chat, sent with a message, and given to the model as the OpenAI fixture records it (image
 * parts for a model that takes images, text blocks naming each text file and PDF); refused with
 * a sentence when they are too large, of a type that cannot be attached, too many, or images for a
 * model that cannot read them; served with safe headers to their owner only; gone with their chat,
 * kept across a restart.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import type { FileDto } from '../../shared/files.ts';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { signIn, type Person } from '../support/people.ts';
import { refusal } from '../support/refusal.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { chatTurns } from '../support/title-requests.ts';
import { addModelThatSeesImages, lastUserParts, sendAndWait, upload } from './file-client.ts';
import { PNG_BYTES, pdfWithText } from './sample-files.ts';

const FILE_MAX_BYTES = 64 * 1024;

let fixture: OpenAIFixture;
let server: TestServer;
/** A person per group of tests, so no group meets the per-person limits on uploads and messages. */
let uma: Person;
let ulf: Person;
let rita: Person;
let sam: Person;
let tess: Person;
let seesImages = '';

const turns = () => chatTurns(fixture);

const fetchFile = (person: Person | undefined, id: string, query = '') =>
  fetch(`${server.url}/files/${id}${query}`, { headers: person ? { cookie: person.cookie } : {} });

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback({ kind: 'text', text: 'Seen.' });
  server = await startTestServer({
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: fixture.baseURL,
    LLM_MODEL: 'text-only-model',
    FILE_MAX_BYTES: String(FILE_MAX_BYTES),
    MESSAGE_MAX_FILES: '3',
    DEV_ACCOUNTS: JSON.stringify([
      { name: 'Ada Admin', email: 'ada@countersign.dev', role: 'admin' },
      ...['uma', 'ulf', 'rita', 'sam', 'tess'].map((name) => ({ name, email: `${name}@countersign.dev`, role: 'user' })),
    ]),
  });
  seesImages = await addModelThatSeesImages(server.url, fixture);
  const person = (name: string) => signIn(server.url, `${name}@countersign.dev`);
  [uma, ulf, rita, sam, tess] = await Promise.all([person('uma'), person('ulf'), person('rita'), person('sam'), person('tess')]);
});
afterAll(async () => {
  for (const person of [uma, ulf, rita, sam, tess]) await person.client.close();
  await server[Symbol.asyncDispose]();
  await fixture.stop();
});

test('the limits in force are offered to a composer', async () => {
  expect(await uma.client.api.files.limits.query()).toEqual({
    maxFileBytes: FILE_MAX_BYTES,
    maxMessageBytes: 25 * 1024 * 1024,
    maxFilesPerMessage: 3,
  });
});

describe('what the model is given', () => {
  test('an image goes as an image part and a text file as a block naming it, to a model that takes images', async () => {
    const chat = await uma.client.api.chats.create.mutate({});
    await uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: seesImages });
    const image = await upload(uma, chat.id, 'dot.png', PNG_BYTES, 'image/png');
    const notes = await upload(uma, chat.id, 'notes.md', '# Plan\nShip on Friday.', 'text/markdown');
    expect(image).toEqual({ id: image.id, name: 'dot.png', mediaType: 'image/png', size: PNG_BYTES.byteLength, kind: 'image' });
    expect(notes).toMatchObject({ name: 'notes.md', mediaType: 'text/plain', kind: 'text', size: 22 });

    const before = turns().length;
    await sendAndWait(uma, chat.id, 'What do you see?', [image.id, notes.id]);
    const request = turns()[before]!;
    expect(request.body.model).toBe('vision-model');
    expect(lastUserParts(request)).toEqual([
      {
        type: 'text',
        text: 'What do you see?\n\n--- Attached file: notes.md (text/plain) ---\n# Plan\nShip on Friday.\n--- End of notes.md ---',
      },
      { type: 'text', text: 'Attached image: dot.png' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(PNG_BYTES).toString('base64')}` } },
    ]);
    // The chat shows what was typed and the files by name, never their contents.
    const { history } = await uma.client.api.chats.get.query({ chatId: chat.id });
    expect(history.messages[0]).toMatchObject({ role: 'user', text: 'What do you see?', files: [image, notes] });
  });

  test('a PDF’s extracted text reaches the model', async () => {
    const chat = await uma.client.api.chats.create.mutate({});
    const pdf = await upload(uma, chat.id, 'report.pdf', pdfWithText('Revenue grew by 12 percent'), 'application/pdf');
    expect(pdf).toMatchObject({ kind: 'pdf', mediaType: 'application/pdf' });
    const before = turns().length;
    await sendAndWait(uma, chat.id, 'Summarise it.', [pdf.id]);
    expect(lastUserParts(turns()[before]!)).toEqual([
      {
        type: 'text',
        text: 'Summarise it.\n\n--- Attached file: report.pdf (PDF, its extracted text) ---\nRevenue grew by 12 percent\n--- End of report.pdf ---',
      },
    ]);
  });

  test('a model that cannot read images is sent nothing and the person is told; with a model that can, it goes', async () => {
    const chat = await uma.client.api.chats.create.mutate({});
    // The catalogue's default, which cannot read images (a new chat starts on the person's last choice).
    await uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: null });
    const image = await upload(uma, chat.id, 'dot.png', PNG_BYTES);
    const before = fixture.requests.length;
    expect(await refusal(uma.client.api.chats.send.mutate({ chatId: chat.id, text: 'Look', files: [image.id] }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'text-only-model cannot read images; choose a model that can, or remove dot.png.',
    });
    expect(fixture.requests.length).toBe(before);
    expect((await uma.client.api.chats.get.query({ chatId: chat.id })).history.messages).toEqual([]);

    await uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: seesImages });
    const sent = turns().length;
    await sendAndWait(uma, chat.id, 'Look', [image.id]);
    expect(lastUserParts(turns()[sent]!).map((part) => part.type)).toEqual(['text', 'text', 'image_url']);

    // Back on a model without images, the earlier message names its image instead of sending it.
    await uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: null });
    const later = turns().length;
    await sendAndWait(uma, chat.id, 'And now?', []);
    const earlier = turns()[later]!.body.messages.find((m) => m.role === 'user');
    expect(earlier?.content).toEqual([
      { type: 'text', text: "Look\n\n(The image dot.png was not sent: this chat's model cannot read images.)" },
    ]);
  });

  test('an edited message keeps its files, and the model is given them again', async () => {
    const chat = await uma.client.api.chats.create.mutate({});
    const notes = await upload(uma, chat.id, 'todo.txt', 'Water the plants.');
    await sendAndWait(uma, chat.id, 'What is on my list?', [notes.id]);
    const { history } = await uma.client.api.chats.get.query({ chatId: chat.id });
    const before = turns().length;
    await uma.client.api.chats.edit.mutate({ chatId: chat.id, messageId: history.messages[0]!.id, text: 'What is first on my list?' });
    await eventually(async () => {
      const after = (await uma.client.api.chats.get.query({ chatId: chat.id })).history;
      return turns().length > before && after.runState.status === 'idle' && after.messages.at(-1)?.role === 'assistant';
    }, 'the answer to the edited message');
    expect(lastUserParts(turns()[before]!)).toEqual([
      {
        type: 'text',
        text: 'What is first on my list?\n\n--- Attached file: todo.txt (text/plain) ---\nWater the plants.\n--- End of todo.txt ---',
      },
    ]);
    const edited = (await uma.client.api.chats.get.query({ chatId: chat.id })).history.messages[0];
    expect(edited).toMatchObject({ text: 'What is first on my list?', files: [notes] });
    const exported = await uma.client.api.chats.export.query({ chatId: chat.id, format: 'markdown' });
    expect(exported.content).toContain('Files:\n- todo.txt (text/plain, 17 bytes)');
  });
});

describe('refusals', () => {
  let chatId = '';
  beforeAll(async () => {
    chatId = (await rita.client.api.chats.create.mutate({})).id;
  });

  test('a file over FILE_MAX_BYTES is refused with its size and the limit', async () => {
    expect(await refusal(upload(rita, chatId, 'big.txt', 'x'.repeat(70 * 1024)))).toEqual({
      code: 'BAD_REQUEST',
      message: 'big.txt is 70 KB; a file may be at most 64 KB.',
    });
    // Far past the limit, the upload is refused before it is read.
    expect(await refusal(upload(rita, chatId, 'huge.txt', 'x'.repeat(1024 * 1024)))).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'A file may be at most 64 KB (FILE_MAX_BYTES); choose a smaller one.',
    });
  });

  test('files of types that cannot be attached are refused, whatever their name or declared type says', async () => {
    const refused = async (name: string, bytes: Uint8Array<ArrayBuffer> | string, type = '') =>
      (await refusal(upload(rita, chatId, name, bytes, type))).message;
    expect(await refused('setup.exe', 'MZ\x90\x00binary', 'application/x-msdownload')).toBe(
      'setup.exe is a .exe file; you can attach images (PNG, JPEG, WebP, GIF), text files, source code and PDFs.',
    );
    expect(await refused('logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'image/svg+xml')).toBe(
      'logo.svg is a .svg file; you can attach images (PNG, JPEG, WebP, GIF), text files, source code and PDFs.',
    );
    expect(await refused('photo.png', '<html><script>alert(1)</script></html>', 'image/png')).toBe(
      'photo.png is not a PNG image: its contents are something else. You can attach images (PNG, JPEG, WebP, GIF), text files, source code and PDFs.',
    );
    expect(await refused('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toBe(
      'latin1.txt is not UTF-8 text; save it as UTF-8 (or attach it as a PDF) and try again.',
    );
    expect(await refused('scan.pdf', pdfWithText(''))).toBe(
      'scan.pdf has no text to read (it may be scanned pages); attach the pages as images instead.',
    );
  });

  test('more files than MESSAGE_MAX_FILES on one message are refused, and nothing is sent', async () => {
    const files = await Promise.all(['a', 'b', 'c', 'd'].map((name) => upload(rita, chatId, `${name}.txt`, name)));
    expect(await refusal(rita.client.api.chats.send.mutate({ chatId, text: 'All of them', files: files.map((file) => file.id) }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'This message has 4 files; a message may carry at most 3.',
    });
    expect((await rita.client.api.chats.get.query({ chatId })).history.messages).toEqual([]);
  });

  test('an upload from another site’s page is refused before it is read', async () => {
    const form = new FormData();
    form.set('chatId', chatId);
    form.set('file', new File(['from elsewhere'], 'elsewhere.txt'));
    const response = await fetch(`${server.url}/trpc/files.upload`, {
      method: 'POST',
      headers: { cookie: rita.cookie, origin: 'https://elsewhere.example' },
      body: form,
    });
    expect(response.status).toBe(415);
  });

  test('a file sent with a message stays with it; an unsent one can be removed', async () => {
    const chat = await rita.client.api.chats.create.mutate({});
    const sent = await upload(rita, chat.id, 'kept.txt', 'kept');
    const unsent = await upload(rita, chat.id, 'dropped.txt', 'dropped');
    await sendAndWait(rita, chat.id, 'Keep this', [sent.id]);
    expect(await refusal(rita.client.api.files.remove.mutate({ fileId: sent.id }))).toEqual({
      code: 'CONFLICT',
      message: 'kept.txt was sent with a message and stays with it; delete the chat to remove it.',
    });
    expect(await refusal(rita.client.api.chats.send.mutate({ chatId: chat.id, text: 'Again', files: [sent.id] }))).toEqual({
      code: 'CONFLICT',
      message: 'kept.txt was already sent with a message; upload it again to send it once more.',
    });
    expect(await rita.client.api.files.remove.mutate({ fileId: unsent.id })).toEqual({ id: unsent.id, removed: true });
    expect((await fetchFile(rita, unsent.id)).status).toBe(404);
  });
});

describe('serving', () => {
  let chatId = '';
  let image: FileDto;
  let text: FileDto;
  beforeAll(async () => {
    chatId = (await sam.client.api.chats.create.mutate({})).id;
    image = await upload(sam, chatId, 'dot.png', PNG_BYTES, 'image/png');
    text = await upload(sam, chatId, 'Grüße; draft.html', '<script>alert(1)</script>', 'text/html');
  });

  test('an image is served inline with its checked type, and as a download when asked', async () => {
    const response = await fetchFile(sam, image.id);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(PNG_BYTES))).toBe(true);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': `inline; filename="dot.png"; filename*=UTF-8''dot.png`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=86400',
    });
    const download = await fetchFile(sam, image.id, '?download=1');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="dot.png"; filename*=UTF-8''dot.png`);
  });

  test('text is served as plain text to download, whatever the upload said, under a safe name', async () => {
    const response = await fetchFile(sam, text.id);
    expect(await response.text()).toBe('<script>alert(1)</script>');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Gr__e_ draft.html"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%3B%20draft.html`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('another person gets the same 404 as for an unknown id, and cannot send or remove the file', async () => {
    const unknown = await fetchFile(sam, crypto.randomUUID());
    const theirs = await fetchFile(ulf, image.id);
    const signedOut = await fetchFile(undefined, image.id);
    expect([unknown.status, theirs.status, signedOut.status]).toEqual([404, 404, 404]);
    expect(await theirs.text()).toBe(await unknown.text());

    const ulfsChat = await ulf.client.api.chats.create.mutate({});
    expect(await refusal(ulf.client.api.chats.send.mutate({ chatId: ulfsChat.id, text: 'Mine now', files: [image.id] }))).toEqual({
      code: 'NOT_FOUND',
      message: `File ${image.id} is not one of this chat's uploads; upload it again.`,
    });
    expect(await refusal(ulf.client.api.files.remove.mutate({ fileId: image.id }))).toEqual({
      code: 'NOT_FOUND',
      message: 'No such file: it was removed, or it is not yours.',
    });
    expect(await refusal(upload(ulf, chatId, 'into.txt', 'their chat'))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await fetchFile(sam, image.id)).status).toBe(200);
  });
});

describe('lifetime', () => {
  test('deleting the chat removes its files', async () => {
    const chat = await tess.client.api.chats.create.mutate({});
    const file = await upload(tess, chat.id, 'gone.txt', 'gone soon');
    await sendAndWait(tess, chat.id, 'Here', [file.id]);
    await tess.client.api.chats.delete.mutate({ chatId: chat.id });
    expect((await fetchFile(tess, file.id)).status).toBe(404);
    const { chatFiles } = server.db.tables;
    expect(await server.db.drizzle.select().from(chatFiles).where(eq(chatFiles.chatId, chat.id))).toEqual([]);
  });

  test('files are kept across a restart', async () => {
    const chat = await tess.client.api.chats.create.mutate({});
    await tess.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: seesImages });
    const file = await upload(tess, chat.id, 'kept.png', PNG_BYTES);
    await sendAndWait(tess, chat.id, 'Remember this', [file.id]);
    server = await server.restart();
    const response = await fetchFile(tess, file.id);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(PNG_BYTES))).toBe(true);
    const { history } = await tess.client.api.chats.get.query({ chatId: chat.id });
    expect(history.messages[0]).toMatchObject({ text: 'Remember this', files: [file] });
  });
});
