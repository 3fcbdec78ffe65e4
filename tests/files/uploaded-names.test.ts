/**
 * File names as a browser or a program sends them, through the typed client on a real server: a
 * quote (sent as %22 in the form) comes back as a quote, folders and bidirectional overrides are
 * dropped, and the file is served under its name in a header no name can break.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type Person, signIn } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { upload } from './file-client.ts';

let server: TestServer;
let nora: Person;
let chatId = '';

beforeAll(async () => {
  server = await startTestServer({
    DEV_ACCOUNTS: JSON.stringify([{ name: 'Nora', email: 'nora@countersign.dev', role: 'user' }]),
  });
  nora = await signIn(server.url, 'nora@countersign.dev');
  chatId = (await nora.client.api.chats.create.mutate({})).id;
});
afterAll(async () => {
  await nora.client.close();
  await server[Symbol.asyncDispose]();
});

test('a name with quotes is kept as typed, and served with them encoded', async () => {
  const file = await upload(nora, chatId, 'say "hi".txt', 'hi');
  expect(file.name).toBe('say "hi".txt');
  const served = await fetch(`${server.url}/files/${file.id}`, { headers: { cookie: nora.cookie } });
  expect(served.headers.get('content-disposition')).toBe(`attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`);
});

test('folders, line breaks and bidirectional overrides are dropped from the name', async () => {
  const names = await Promise.all(
    ['C:\\fakepath\\notes.txt', '../../etc/hosts.txt', 'two\nlines.md', 'photo\u202Egnp.js'].map(
      async (name) => (await upload(nora, chatId, name, 'text')).name,
    ),
  );
  expect(names).toEqual(['notes.txt', 'hosts.txt', 'twolines.md', 'photognp.js']);
});
